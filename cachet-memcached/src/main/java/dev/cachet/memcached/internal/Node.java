package dev.cachet.memcached.internal;

import dev.cachet.spi.BlockingSocket;
import dev.cachet.spi.BlockingSocketPool;
import dev.cachet.spi.StoreException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One memcached server: a small pool of pipelined connections, and its health.
 *
 * <h2>Health</h2>
 * A connection dropped for the node's fault (refused, timed out, closed by the peer, a protocol
 * anomaly) counts one failure; any reply resets the count. After {@code failure_limit}
 * consecutive failures the node is <em>down</em>: requests to it fail at once with a
 * {@link MemcachedFailure} (no waiting for a timeout), and a probe (connect, then {@code mn}
 * within {@code read_timeout}) runs in the background every {@code retry_interval}. When a probe
 * answers, the node is up again and takes requests. While up, a dropped connection is
 * reconnected on the next request, no sooner than a backoff after a failed connect (50 ms
 * doubling up to {@code retry_interval}).
 *
 * <p>With {@code transport=blocking} a call runs on the caller's thread over a pool of
 * {@link SocketConnection}s instead; the pipelined connections then only carry background requests and the probe.
 *
 * <p>Thread-safe.
 */
final class Node implements Connection.Listener, SocketConnection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    final int index;
    final String label;
    private final String host;
    private final int port;
    private final Bootstrap bootstrap;
    private final MemcachedSettings settings;
    private final Slot[] slots;
    /** The blocking connections ({@code transport=blocking}), or null. */
    private final BlockingSocketPool<SocketConnection> sockets;
    private final AtomicInteger nextSlot = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean closed;
    private volatile String downReason;

    /** One pooled connection, or its connect in progress. */
    private final class Slot {
        private CompletableFuture<Connection> current;
        private long notBeforeNanos;
        private long backoffMillis = 50;

        synchronized CompletableFuture<Connection> acquire() {
            CompletableFuture<Connection> c = current;
            if (c != null && (!c.isDone() || (!c.isCompletedExceptionally() && c.join().isUsable()))) {
                return c;
            }
            long now = System.nanoTime();
            if (c != null && c.isCompletedExceptionally() && now - notBeforeNanos < 0) {
                return c; // still backing off: fail fast with the last connect error
            }
            current = connect();
            current.whenComplete((conn, err) -> {
                synchronized (Slot.this) {
                    if (err != null) {
                        notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
                        backoffMillis = Math.min(backoffMillis * 2, Math.max(50, settings.retryInterval.toMillis()));
                    } else {
                        backoffMillis = 50;
                    }
                }
            });
            return current;
        }

        synchronized void install(Connection c) {
            CompletableFuture<Connection> old = current;
            current = CompletableFuture.completedFuture(c);
            if (old != null && old.isDone() && !old.isCompletedExceptionally() && old.join() != c) {
                old.join().close("replaced");
            }
        }

        /** Forgets a failed connect's backoff: the node answered, so the next use connects at once. */
        synchronized void resetBackoff() {
            notBeforeNanos = System.nanoTime();
            backoffMillis = 50;
        }

        synchronized void closeConnection(String reason) {
            CompletableFuture<Connection> c = current;
            if (c != null) {
                c.thenAccept(conn -> conn.close(reason));
            }
        }
    }

    Node(int index, KetamaRing.Server server, Bootstrap bootstrap, MemcachedSettings settings,
            io.netty.buffer.ByteBufAllocator alloc, long waitMillis) {
        this.index = index;
        this.host = server.host();
        this.port = server.port();
        this.label = MemcachedSettings.label(server);
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.slots = new Slot[settings.connectionsPerNode];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
        this.sockets = settings.transport != MemcachedSettings.Transport.BLOCKING ? null
                : new BlockingSocketPool<>("memcached " + label, settings.maxConnections, "max_connections", waitMillis,
                        () -> new SocketConnection(BlockingSocket.open(host, port, settings.connectTimeout.toMillis(), label),
                                this, alloc), this::fault, settings.retryInterval, bootstrap.config().group(),
                        new BlockingSocket.Timeouts(settings.readTimeout.toNanos(), "read_timeout",
                                settings.writeTimeout.toNanos(), "write_timeout"));
    }

    /** True while the node is marked down. */
    boolean isDown() {
        return down;
    }

    /** Sends {@code request} on one of the node's connections; it completes or fails, never hangs. */
    void send(MetaRequest<?> request) {
        if (closed) {
            request.fail(new IllegalStateException("the memcached client is closed"));
            return;
        }
        if (down) {
            request.fail(new MemcachedFailure("memcached " + label + " is down (" + downReason + "); "
                    + request.describe() + " not sent, the node is probed every " + settings.retryInterval.toMillis()
                    + " ms and used again once it answers"));
            return;
        }
        if (sockets != null && !request.background) {
            SocketConnection c;
            try {
                c = sockets.take();
            } catch (StoreException e) {
                request.fail(e);
                return;
            }
            try {
                c.execute(request);
            } finally {
                sockets.give(c);
            }
            return;
        }
        int i = slots.length == 1 ? 0 : Math.floorMod(nextSlot.getAndIncrement(), slots.length);
        CompletableFuture<Connection> c = slots[i].acquire();
        if (c.isDone() && !c.isCompletedExceptionally()) {
            c.join().send(request);
            return;
        }
        c.whenComplete((conn, err) -> {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                request.fail(cause instanceof MemcachedFailure ? cause
                        : new MemcachedFailure("memcached " + label + ": cannot connect: " + cause, cause));
            } else {
                conn.send(request);
            }
        });
    }

    /** Opens a connection; the future fails with a {@link MemcachedFailure} when it cannot. */
    private CompletableFuture<Connection> connect() {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Connection conn = new Connection(label, this, settings.readTimeout.toNanos(), settings.writeTimeout.toNanos());
        ChannelFuture f;
        try {
            f = bootstrap.clone().handler(new io.netty.channel.ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new ResponseDecoder(), conn);
                }
            }).connect(host, port);
        } catch (RuntimeException e) {
            result.completeExceptionally(new MemcachedFailure("memcached " + label + ": cannot connect: " + e, e));
            return result;
        }
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(conn);
            } else {
                String reason = "cannot connect: " + done.cause();
                result.completeExceptionally(new MemcachedFailure("memcached " + label + ": " + reason, done.cause()));
                failed(reason);
            }
        });
        return result;
    }

    @Override
    public void reroute(MetaRequest<?> request) {
        send(request);
    }

    @Override
    public void answered() {
        if (failures.get() != 0) {
            failures.set(0);
        }
    }

    @Override
    public void dropped(Connection c, String reason, boolean nodeFault) {
        if (nodeFault) {
            fault(reason);
        }
    }

    @Override
    public void fault(String reason) {
        if (!closed) {
            failed(reason);
        }
    }

    private void failed(String reason) {
        if (closed) {
            return;
        }
        int n = failures.incrementAndGet();
        if (n >= settings.failureLimit && !down) {
            synchronized (this) {
                if (down) {
                    return;
                }
                downReason = n + " consecutive failures, the last: " + reason;
                down = true;
            }
            // INFO: the cache's failure log already says WARN once per burst of the failures this causes
            LOG.info("memcached {} marked down after {}; probing every {} ms", label, downReason,
                    settings.retryInterval.toMillis());
            for (Slot s : slots) {
                s.closeConnection("node marked down");
            }
            if (sockets != null) {
                sockets.closeIdle("node marked down");
            }
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        if (closed) {
            return;
        }
        try {
            bootstrap.config().group().schedule(this::probe, settings.retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the event loops are shutting down: nothing to probe any more
        }
    }

    /** Connects and sends {@code mn}; on {@code MN} the node is up again. */
    private void probe() {
        if (closed) {
            return;
        }
        connect().whenComplete((conn, err) -> {
            if (err != null) {
                scheduleProbe();
                return;
            }
            CommandRequest mn = new CommandRequest(new MetaCommands(io.netty.buffer.ByteBufAllocator.DEFAULT, 8).line("mn"),
                    new int[] {CommandRequest.codes(MetaResponse.Code.MN)}, "mn (health probe)");
            conn.send(mn);
            mn.future.whenComplete((r, e) -> {
                if (e != null) {
                    conn.close("health probe failed");
                    scheduleProbe();
                    return;
                }
                if (closed) {
                    conn.close("client closed");
                    return;
                }
                failures.set(0);
                slots[0].install(conn);
                for (int i = 1; i < slots.length; i++) {
                    slots[i].resetBackoff();
                }
                if (sockets != null) {
                    sockets.resetBackoff();
                }
                down = false;
                LOG.info("memcached {} answers again; back in use", label);
            });
        });
    }

    /** Closes every connection and stops probing. */
    void close() {
        closed = true;
        for (Slot s : slots) {
            s.closeConnection("client closed");
        }
        if (sockets != null) {
            sockets.close();
        }
    }

    @Override
    public String toString() {
        return "memcached " + label + (down ? " (down)" : "");
    }
}
