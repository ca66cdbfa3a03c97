package dev.cachet.memcached.internal;

import dev.cachet.spi.ReplyWait;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One blocking connection to one node, used by one caller at a time ({@code transport=blocking}):
 * the caller writes its request and reads the replies on its own thread, so a call costs what a
 * plain socket's does, with no hand-off to an event loop and back. Replies are parsed by the same
 * {@link ResponseDecoder} and handed to the same {@link MetaRequest}s as on the pipelined
 * transport, so both read the protocol alike, strictly.
 *
 * <p>A connection that fails in any way (the peer closes it, a protocol anomaly, a timeout, an
 * I/O error) is dropped and the request fails with a {@link MemcachedFailure} naming the node and
 * the reason; a dropped connection is never used again. Timeouts are enforced by the pool's
 * watchdog, which closes the channel of a call whose read made no progress for
 * {@code read_timeout} or whose write made none for {@code write_timeout} (the blocking read
 * and write then fail), so a call costs no timer of its own.
 */
final class SocketConnection {
    /** What a connection reports to its pool. */
    interface Listener {
        /** A reply arrived: the node answers. */
        void answered();

        /** The connection was dropped for {@code reason}; {@code nodeFault} when the node is to blame. */
        void dropped(SocketConnection c, String reason, boolean nodeFault);
    }

    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int READING = 2;
    /** Writes go out in pieces of at most this, so that progress is seen between them. */
    private static final int WRITE_PIECE = 256 * 1024;
    private static final int FIRST_READ_BUFFER = 16 * 1024;
    /** The least room a read is given. */
    private static final int MIN_READ = 8 * 1024;
    /** A read buffer grown past this (for a large value) is given back once the call is done. */
    private static final int KEEP_CAPACITY = 256 * 1024;

    private final SocketChannel channel;
    private final String label;
    private final Listener listener;
    private final ByteBufAllocator alloc;
    private final ResponseDecoder parser = new ResponseDecoder();
    private final List<Object> replies = new ArrayList<>(4);
    private ByteBuf in;
    private volatile int state = IDLE;
    /** When the current write or read last made progress (System.nanoTime). */
    private volatile long progressNanos;
    /** What the call in progress is, for the watchdog's message. */
    private volatile String current;
    /** Why the watchdog (or a close) closed the channel under a call, or null. */
    private volatile String abortReason;
    private volatile boolean abortIsNodeFault;
    private boolean dropped;
    /** When the connection was last handed back to its pool (System.nanoTime). */
    long idleSinceNanos;

    private SocketConnection(SocketChannel channel, String label, Listener listener, ByteBufAllocator alloc) {
        this.channel = channel;
        this.label = label;
        this.listener = listener;
        this.alloc = alloc;
        this.in = alloc.directBuffer(FIRST_READ_BUFFER);
    }

    /**
     * Connects to {@code host:port} within {@code connectTimeoutMillis}, on the caller's thread.
     *
     * @throws IOException when it cannot
     */
    static SocketConnection open(String host, int port, long connectTimeoutMillis, String label, Listener listener,
            ByteBufAllocator alloc) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            ch.socket().connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
            return new SocketConnection(ch, label, listener, alloc);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Sends {@code r} and reads its replies on the caller's thread; when this returns, {@code r}
     * has completed or failed.
     *
     * @return true when the connection can serve another call; false when it was dropped
     */
    boolean execute(MetaRequest<?> r) {
        current = r.describe();
        r.startedNanos = System.nanoTime();
        ByteBuf payload = r.takePayload();
        try {
            progressNanos = r.startedNanos;
            state = WRITING;
            write(payload);
        } catch (IOException | RuntimeException e) {
            drop(r, "could not send " + r.describe(), e);
            return false;
        } finally {
            payload.release();
        }
        long sent = System.nanoTime();
        r.sentNanos = sent;
        progressNanos = sent;
        state = READING;
        ReplyWait wait = r.replyWait;
        long spinUntil = wait == null ? 0 : wait.beginWait();
        try {
            return readReplies(r, spinUntil);
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
    private boolean readReplies(MetaRequest<?> r, long spinUntil) {
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
                    return true;
                }
                makeRoom();
                int n = spinUntil != 0 ? spinRead(spinUntil) : 0;
                spinUntil = 0;
                if (n < 0 || n == 0 && in.writeBytes(channel, in.writableBytes()) < 0) {
                    drop(r, "the server closed the connection", true);
                    return false;
                }
                progressNanos = System.nanoTime();
            }
        } catch (ProtocolException e) {
            replies.clear();
            drop(r, "protocol anomaly: " + e.getMessage(), true);
            return false;
        } catch (IOException | RuntimeException e) {
            replies.clear();
            drop(r, "reading the reply to " + r.describe(), e);
            return false;
        }
    }

    /**
     * Polls the channel without blocking until bytes arrive or {@code until} passes: a reply
     * that comes within the spin then wakes no blocked thread (on a virtual machine the kernel's
     * wake-up of a thread blocked in a read is a good part of a loopback round trip).
     *
     * @return the bytes read, 0 when none came in time, -1 at end of stream
     */
    private int spinRead(long until) throws IOException {
        channel.configureBlocking(false);
        try {
            while (true) {
                int n = in.writeBytes(channel, in.writableBytes());
                if (n != 0 || System.nanoTime() - until >= 0) {
                    return n;
                }
                Thread.onSpinWait();
            }
        } finally {
            channel.configureBlocking(true);
        }
    }

    /** The call is done: the connection waits idle, its read buffer back to a small one if a large value grew it. */
    private void finished() {
        state = IDLE;
        current = null;
        in.clear();
        if (in.capacity() > KEEP_CAPACITY) {
            in.release();
            in = alloc.directBuffer(FIRST_READ_BUFFER);
        }
    }

    private void write(ByteBuf payload) throws IOException {
        if (payload.readableBytes() <= WRITE_PIECE) {
            ByteBuffer[] bufs = payload.nioBuffers();
            long left = payload.readableBytes();
            while (left > 0) {
                left -= channel.write(bufs);
                progressNanos = System.nanoTime();
            }
            return;
        }
        for (ByteBuffer b : payload.nioBuffers()) {
            int limit = b.limit();
            while (b.hasRemaining()) {
                b.limit(Math.min(limit, b.position() + WRITE_PIECE));
                channel.write(b);
                b.limit(limit);
                progressNanos = System.nanoTime();
            }
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

    /**
     * For a connection that sat idle: true when it is still open with no unread byte. A peer that
     * closed it (a restarted server, an idle timeout) shows as end of stream without waiting.
     */
    boolean stillUsable() {
        try {
            channel.configureBlocking(false);
            int n;
            try {
                n = channel.read(ByteBuffer.allocate(1));
            } finally {
                channel.configureBlocking(true);
            }
            if (n == 0) {
                return true;
            }
            close(n < 0 ? "closed by the server while idle" : "bytes arrived with no request waiting");
        } catch (IOException | RuntimeException e) {
            close("failed while idle: " + e);
        }
        return false;
    }

    /**
     * The watchdog's look: closes the channel when the call in progress made no progress for its
     * timeout; the caller's blocked read or write then fails with the reason.
     */
    void checkTimeouts(long now, long readTimeoutNanos, long writeTimeoutNanos) {
        int s = state;
        long idleFor = now - progressNanos;
        if (s == READING && idleFor > readTimeoutNanos) {
            abort("no reply within read_timeout " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms to "
                    + current, true);
        } else if (s == WRITING && idleFor > writeTimeoutNanos) {
            abort("no byte of " + current + " could be sent within write_timeout "
                    + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms", true);
        }
    }

    /** Closes the channel, even under a call in progress, which then fails with {@code reason}. Any thread. */
    void abort(String reason, boolean nodeFault) {
        if (abortReason == null) {
            abortIsNodeFault = nodeFault;
            abortReason = reason;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
    }

    /** Closes an idle connection. Its owner's thread only. */
    void close(String reason) {
        abort(reason, false);
        release();
    }

    private void drop(MetaRequest<?> r, String doing, Throwable e) {
        boolean interrupted = e instanceof ClosedByInterruptException;
        String reason = abortReason != null ? abortReason
                : interrupted ? "interrupted while " + (doing.startsWith("could") ? "sending " + r.describe() : doing)
                : doing + ": " + e;
        drop(r, reason, abortReason != null ? abortIsNodeFault : !interrupted);
    }

    private void drop(MetaRequest<?> r, String reason, boolean nodeFault) {
        String why = abortReason != null ? abortReason : reason;
        boolean fault = abortReason != null ? abortIsNodeFault : nodeFault;
        abort(why, fault);
        release();
        listener.dropped(this, why, fault);
        r.fail(new MemcachedFailure("memcached " + label + ": " + why + "; " + r.describe() + " failed"));
    }

    private void release() {
        state = IDLE;
        if (!dropped) {
            dropped = true;
            in.release();
        }
    }

    @Override
    public String toString() {
        return "blocking connection to " + label + (abortReason != null ? " (closed: " + abortReason + ")" : "");
    }
}
