package dev.cachet.memcached.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to one node: requests are written in order and wait in a queue for their
 * replies, which come back in the same order (memcached answers a connection's commands in
 * order). Everything but {@link #send} runs on the channel's event loop.
 *
 * <p>The connection is dropped, and every waiting request fails with a
 * {@link MemcachedFailure} naming the node and the reason, when: the peer closes it; a reply
 * breaks the protocol; no reply byte arrives for {@code read_timeout} while the oldest waiting
 * request is sent (the clock starts when its last byte has left, so a large value on a slow link
 * is not cut short); no byte of the queued writes leaves for {@code write_timeout}. No request is
 * ever left waiting: a request handed to a dropped connection fails at once, with the reason.
 */
final class Connection extends ChannelDuplexHandler {
    /** What a connection reports to its node. */
    interface Listener {
        /** A reply arrived: the node answers. */
        void answered();

        /** The connection was dropped for {@code reason}; {@code nodeFault} when the node is to blame. */
        void dropped(Connection c, String reason, boolean nodeFault);

        /** {@code request} was never sent because the connection had closed: send it on another. */
        void reroute(MetaRequest<?> request);
    }

    private final String label;
    private final Listener listener;
    private final long readTimeoutNanos;
    private final long writeTimeoutNanos;
    private final ArrayDeque<MetaRequest<?>> pending = new ArrayDeque<>();
    private volatile Channel channel;
    private volatile boolean closed;
    private String closeReason;
    private boolean nodeFault;
    private long lastReadNanos;
    /** The write being flushed, and how many of its bytes were left, at the last watchdog look. */
    private Object flushing;
    private int flushingLeft;
    private long writeProgressNanos;
    private ScheduledFuture<?> watchdog;

    Connection(String label, Listener listener, long readTimeoutNanos, long writeTimeoutNanos) {
        this.label = label;
        this.listener = listener;
        this.readTimeoutNanos = readTimeoutNanos;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    /** True while the connection can take requests. */
    boolean isUsable() {
        Channel ch = channel;
        return !closed && ch != null && ch.isActive();
    }

    /** Sends {@code request}; it completes with its replies or fails, never hangs. Any thread. */
    void send(MetaRequest<?> request) {
        Channel ch = channel;
        if (closed || ch == null) {
            unsent(request);
            return;
        }
        ch.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                String why = closeReason != null ? closeReason : String.valueOf(f.cause());
                request.fail(new MemcachedFailure("memcached " + label + ": could not send " + request.describe() + ": "
                        + why, f.cause()));
                // its bytes may be missing from the stream while it waits in the reply queue: the
                // replies behind it would go to the wrong requests, so the connection goes
                drop("a write failed: " + f.cause(), true);
            }
        });
    }

    /** A request this connection never sent: another connection gets it, once; then it fails. */
    private void unsent(MetaRequest<?> request) {
        if (!request.rerouted) {
            request.rerouted = true;
            listener.reroute(request);
            return;
        }
        request.fail(new MemcachedFailure("memcached " + label + ": connection closed"
                + (closeReason == null ? "" : " (" + closeReason + ")") + "; " + request.describe() + " not sent"));
    }

    /** Closes the connection; waiting requests fail with {@code reason}. Any thread. */
    void close(String reason) {
        Channel ch = channel;
        if (ch == null) {
            closed = true;
            return;
        }
        ch.eventLoop().execute(() -> drop(reason, false));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastReadNanos = System.nanoTime();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(readTimeoutNanos, writeTimeoutNanos) / 10);
        watchdog = ctx.executor().scheduleAtFixedRate(this::checkTimeouts, period, period, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        MetaRequest<?> request = (MetaRequest<?>) msg;
        if (closed || !ctx.channel().isActive()) {
            promise.trySuccess();
            unsent(request);
            return;
        }
        request.startedNanos = System.nanoTime();
        pending.add(request);
        promise.addListener(f -> {
            if (f.isSuccess()) {
                request.sentNanos = System.nanoTime();
            }
        });
        ctx.write(request.takePayload(), promise);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        MetaResponse r = (MetaResponse) msg;
        MetaRequest<?> head = pending.peek();
        if (head == null) {
            drop("protocol anomaly: a reply (" + r + ") with no request waiting", true);
            return;
        }
        boolean done;
        try {
            done = head.onResponse(r);
        } catch (ProtocolException e) {
            drop("protocol anomaly: " + e.getMessage(), true);
            return;
        }
        if (done) {
            pending.poll();
        }
        listener.answered();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof ProtocolException) {
            drop("protocol anomaly: " + c.getMessage(), true);
        } else {
            drop(String.valueOf(c), true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        drop("the server closed the connection", true);
        super.channelInactive(ctx);
    }

    private void checkTimeouts() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        MetaRequest<?> head = pending.peek();
        if (head != null && head.sentNanos != 0 && now - Math.max(head.sentNanos, lastReadNanos) > readTimeoutNanos) {
            drop("no reply within read_timeout " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms to "
                    + head.describe(), true);
        } else if (!writesProgress(now)) {
            drop("no byte of the queued writes could be sent within write_timeout "
                    + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms", true);
        }
    }

    /**
     * False when writes are queued and none of their bytes left in the last
     * {@code write_timeout}: the write being flushed is the same one, with as many bytes left,
     * as at every look since then. Event loop.
     */
    private boolean writesProgress(long now) {
        Channel ch = channel;
        ChannelOutboundBuffer queued = ch == null ? null : ch.unsafe().outboundBuffer();
        Object current = queued == null ? null : queued.current();
        int left = current instanceof ByteBuf b ? b.readableBytes() : 0;
        if (current == null || current != flushing || left != flushingLeft) {
            flushing = current;
            flushingLeft = left;
            writeProgressNanos = now;
            return true;
        }
        return now - writeProgressNanos <= writeTimeoutNanos;
    }

    /** Closes the channel and fails every waiting request. Event loop only; idempotent. */
    private void drop(String reason, boolean fault) {
        if (!closed) {
            closed = true;
            closeReason = reason;
            nodeFault = fault;
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
            listener.dropped(this, reason, fault);
        }
        MetaRequest<?> r;
        while ((r = pending.poll()) != null) {
            r.fail(new MemcachedFailure("memcached " + label + ": " + closeReason + "; " + r.describe() + " failed"));
        }
    }

    /** Why it was closed, or null. */
    String closeReason() {
        return closeReason;
    }

    boolean droppedForNodeFault() {
        return nodeFault;
    }

    @Override
    public String toString() {
        return "connection to " + label + (closed ? " (closed: " + closeReason + ")" : "");
    }
}
