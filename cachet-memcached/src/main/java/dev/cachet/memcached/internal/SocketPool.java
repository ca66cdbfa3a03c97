package dev.cachet.memcached.internal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The blocking connections of one node ({@code transport=blocking}): a caller takes an idle one
 * (or opens one, up to {@code max_connections}), runs its call on it on its own thread, and hands
 * it back. Callers beyond {@code max_connections} wait for a free one, bounded. The most recently
 * used connection is taken first, so a few stay warm; one idle for over 10 ms is checked before
 * use, at the cost of three system calls (a restarted server's old connections are seen closed
 * and replaced, not failed on; a connection in steady use is never checked).
 *
 * <p>A failed connect counts a node failure and, like the pipelined transport's, backs off: for
 * 50 ms doubling up to {@code retry_interval}, calls fail fast with the last connect error. One
 * watchdog per node, on the shared event loops, enforces {@code read_timeout} and
 * {@code write_timeout} on the calls in progress. Thread-safe.
 */
final class SocketPool implements SocketConnection.Listener {
    /** A connection idle longer than this is checked before use. */
    private static final long CHECK_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** What the pool reports to its node. */
    interface Health {
        /** A reply arrived. */
        void answered();

        /** Something failed for the node's fault. */
        void fault(String reason);
    }

    private final String host;
    private final int port;
    private final String label;
    private final MemcachedSettings settings;
    private final Health health;
    private final ByteBufAllocator alloc;
    private final long waitMillis;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<SocketConnection> idle = new ConcurrentLinkedDeque<>();
    private final Set<SocketConnection> open = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> watchdog;
    private volatile boolean closed;
    private long notBeforeNanos;
    private long backoffMillis = 50;
    private String lastConnectError;

    SocketPool(String host, int port, String label, MemcachedSettings settings, Health health, ByteBufAllocator alloc,
            EventExecutorGroup timers, long waitMillis) {
        this.host = host;
        this.port = port;
        this.label = label;
        this.settings = settings;
        this.health = health;
        this.alloc = alloc;
        this.waitMillis = waitMillis;
        this.permits = new Semaphore(settings.maxConnections);
        long read = settings.readTimeout.toNanos();
        long write = settings.writeTimeout.toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(read, write) / 10);
        this.watchdog = timers.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (SocketConnection c : open) {
                c.checkTimeouts(now, read, write);
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code r} on a connection of this node, on the caller's thread; it has completed or failed on return. */
    void execute(MetaRequest<?> r) {
        if (!permits.tryAcquire()) {
            try {
                if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                    r.fail(new MemcachedFailure("memcached " + label + ": all " + settings.maxConnections
                            + " connections (max_connections) stayed busy for " + waitMillis + " ms; " + r.describe()
                            + " not sent"));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.fail(new MemcachedFailure("memcached " + label + ": interrupted while waiting for a connection; "
                        + r.describe() + " not sent", e));
                return;
            }
        }
        try {
            SocketConnection c = take();
            if (c.execute(r)) {
                c.idleSinceNanos = System.nanoTime();
                idle.offerFirst(c);
                if (closed) {
                    closeIdle("client closed");
                }
            } else {
                open.remove(c);
            }
        } catch (MemcachedFailure e) {
            r.fail(e);
        } finally {
            permits.release();
        }
    }

    /** An idle connection known usable, or a new one. */
    private SocketConnection take() {
        if (closed) {
            throw new MemcachedFailure("memcached " + label + ": the client is closed");
        }
        SocketConnection c;
        long now = System.nanoTime();
        while ((c = idle.pollFirst()) != null) {
            if (now - c.idleSinceNanos < CHECK_IDLE_NANOS || c.stillUsable()) {
                return c;
            }
            open.remove(c);
        }
        return connect();
    }

    private SocketConnection connect() {
        synchronized (this) {
            if (lastConnectError != null && System.nanoTime() - notBeforeNanos < 0) {
                throw new MemcachedFailure("memcached " + label + ": " + lastConnectError); // still backing off
            }
        }
        SocketConnection c;
        try {
            c = SocketConnection.open(host, port, settings.connectTimeout.toMillis(), label, this, alloc);
        } catch (IOException | RuntimeException e) {
            String reason = "cannot connect: " + e;
            synchronized (this) {
                lastConnectError = reason;
                notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, Math.max(50, settings.retryInterval.toMillis()));
            }
            health.fault(reason);
            throw new MemcachedFailure("memcached " + label + ": " + reason, e);
        }
        synchronized (this) {
            lastConnectError = null;
            backoffMillis = 50;
        }
        open.add(c);
        if (closed) {
            open.remove(c);
            c.close("client closed");
            throw new MemcachedFailure("memcached " + label + ": the client is closed");
        }
        return c;
    }

    /** Forgets a failed connect's backoff: the node answered, so the next call connects at once. */
    synchronized void resetBackoff() {
        lastConnectError = null;
        backoffMillis = 50;
    }

    /** Closes the idle connections (the node went down: they would only fail). */
    void closeIdle(String reason) {
        SocketConnection c;
        while ((c = idle.pollFirst()) != null) {
            open.remove(c);
            c.close(reason);
        }
    }

    /** How many connections are open, idle or in use. */
    int openConnections() {
        return open.size();
    }

    @Override
    public void answered() {
        health.answered();
    }

    @Override
    public void dropped(SocketConnection c, String reason, boolean nodeFault) {
        open.remove(c);
        if (nodeFault && !closed) {
            health.fault(reason);
        }
    }

    /** Closes every connection: idle ones at once, busy ones under their calls, which fail. */
    void close() {
        closed = true;
        watchdog.cancel(false);
        closeIdle("client closed");
        for (SocketConnection c : open) {
            c.abort("client closed", false);
        }
    }

    @Override
    public String toString() {
        return "blocking connections to " + label + " (" + open.size() + " open)";
    }
}
