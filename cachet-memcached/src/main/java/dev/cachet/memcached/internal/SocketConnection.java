package dev.cachet.memcached.internal;

import dev.cachet.spi.BlockingSocket;
import dev.cachet.spi.BlockingSocketPool;
import dev.cachet.spi.ReplyWait;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One blocking connection to one node ({@code transport=blocking}), used by one caller at a
 * time: the caller writes its request and reads the replies on its own thread, so a call costs
 * what a plain socket's does, with no hand-off to an event loop and back. Replies are parsed by
 * the same {@link ResponseDecoder} and handed to the same {@link MetaRequest}s as on the
 * pipelined transport, so both read the protocol alike, strictly. A reply expected soon is polled
 * for before the read blocks, by the request's {@link ReplyWait} rule.
 *
 * <p>A connection that fails in any way (the peer closes it, a protocol anomaly, a timeout
 * enforced by its pool's watchdog, an I/O error) is aborted and the request fails with a
 * {@link MemcachedFailure} naming the node and the reason; its pool never hands it out again.
 */
final class SocketConnection implements BlockingSocketPool.Pooled {
    /** What a connection reports to its node. */
    interface Listener {
        /** A reply arrived: the node answers. */
        void answered();

        /** The connection failed for the node's fault. */
        void fault(String reason);
    }

    private static final int FIRST_READ_BUFFER = 16 * 1024;
    /** The least room a read is given. */
    private static final int MIN_READ = 8 * 1024;
    /** A read buffer grown past this (for a large value) is given back once the call is done. */
    private static final int KEEP_CAPACITY = 256 * 1024;

    private final BlockingSocket socket;
    private final Listener listener;
    private final ByteBufAllocator alloc;
    private final ResponseDecoder parser = new ResponseDecoder();
    private final List<Object> replies = new ArrayList<>(4);
    private ByteBuf in;
    private boolean released;

    SocketConnection(BlockingSocket socket, Listener listener, ByteBufAllocator alloc) {
        this.socket = socket;
        this.listener = listener;
        this.alloc = alloc;
        this.in = alloc.directBuffer(FIRST_READ_BUFFER);
    }

    @Override
    public BlockingSocket socket() {
        return socket;
    }

    /**
     * Sends {@code r} and reads its replies on the caller's thread; when this returns, {@code r}
     * has completed or failed, and the connection was aborted if it cannot serve another call.
     */
    void execute(MetaRequest<?> r) {
        socket.begin(r.describe());
        r.startedNanos = System.nanoTime();
        ByteBuf payload = r.takePayload();
        try {
            socket.write(payload.nioBuffers());
        } catch (IOException | RuntimeException e) {
            fail(r, socket.failure("sending " + r.describe(), e));
            return;
        } finally {
            payload.release();
        }
        r.sentNanos = System.nanoTime();
        ReplyWait wait = r.replyWait;
        long spinUntil = wait == null ? 0 : wait.beginWait();
        try {
            readReplies(r, spinUntil);
        } finally {
            if (wait != null) {
                wait.endWait();
            }
        }
    }

    /**
     * Reads and hands over replies until {@code r} has all of them; the first read polls without
     * blocking until {@code spinUntil} ({@code System.nanoTime}; 0: it blocks at once).
     */
    private void readReplies(MetaRequest<?> r, long spinUntil) {
        try {
            boolean done = false;
            while (true) {
                parser.parse(in, replies);
                for (int i = 0; i < replies.size(); i++) {
                    if (done) {
                        throw new ProtocolException("a reply (" + replies.get(i) + ") with no request waiting");
                    }
                    done = r.onResponse((MetaResponse) replies.get(i));
                    listener.answered();
                }
                replies.clear();
                if (done) {
                    if (in.isReadable()) {
                        throw new ProtocolException(in.readableBytes() + " bytes after the last reply to " + r.describe());
                    }
                    finished();
                    return;
                }
                makeRoom();
                int n = socket.read(in.nioBuffer(in.writerIndex(), in.writableBytes()), spinUntil);
                spinUntil = 0;
                if (n < 0) {
                    socket.abort("the server closed the connection", true);
                    fail(r, socket.failure("reading the reply to " + r.describe(), null));
                    return;
                }
                in.writerIndex(in.writerIndex() + n);
            }
        } catch (ProtocolException e) {
            socket.abort("protocol anomaly: " + e.getMessage(), true);
            fail(r, socket.failure("reading the reply to " + r.describe(), e));
        } catch (IOException | RuntimeException e) {
            fail(r, socket.failure("reading the reply to " + r.describe(), e));
        } finally {
            replies.clear();
        }
    }

    /** The call is done: the read buffer back to a small one if a large value grew it. */
    private void finished() {
        in.clear();
        if (in.capacity() > KEEP_CAPACITY) {
            in.release();
            in = alloc.directBuffer(FIRST_READ_BUFFER);
        }
    }

    /**
     * Room for the next read: the bytes already read move to the buffer's start, and a buffer too
     * small for a value whose length is known grows as {@link ResponseDecoder#capacityFor} says.
     */
    private void makeRoom() {
        if (in.readerIndex() > 0) {
            in.discardReadBytes();
        }
        int have = in.readableBytes();
        long want = (long) have + MIN_READ;
        int need = parser.awaiting();
        if (need > 0) {
            want = Math.max(want, ResponseDecoder.capacityFor(have, need));
        }
        if (in.capacity() < want) {
            in.capacity((int) Math.min(Integer.MAX_VALUE - 8, want));
        }
    }

    private void fail(MetaRequest<?> r, BlockingSocket.Failure f) {
        if (f.serverFault()) {
            listener.fault(f.reason());
        }
        r.fail(new MemcachedFailure("memcached " + socket.label() + ": " + f.reason() + "; " + r.describe() + " failed"));
    }

    @Override
    public void release() {
        if (!released) {
            released = true;
            in.release();
        }
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
