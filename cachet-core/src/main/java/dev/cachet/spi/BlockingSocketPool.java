package dev.cachet.spi;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@link BlockingSocket} connections of one server: a caller {@linkplain #take takes} an
 * idle one (or the pool opens one, up to its maximum), runs its call on it on its own thread,
 * and {@linkplain #give gives} it back. Callers beyond the maximum wait for a free one, bounded.
 * The most recently used connection is taken first, so a few stay warm; one idle for over
 * {@value #CHECK_IDLE_MILLIS} ms is {@linkplain BlockingSocket#stillUsable checked} before use,
 * so a restarted server's old connections are replaced, not failed on (a connection in steady
 * use is never checked).
 *
 * <p>A failed connect is reported to the server's health and backs off: for 50 ms, doubling up
 * to the retry interval, takes fail at once with the last connect error. A watchdog, every tenth
 * of the shorter timeout (at least 5 ms) on the executor given, enforces the timeouts on the
 * calls in progress. Thread-safe.
 *
 * @param <C> the connection: a socket and what the protocol keeps beside it
 */
public final class BlockingSocketPool<C extends BlockingSocketPool.Pooled> {
    /** A connection idle longer than this, in milliseconds, is checked before use. */
    public static final long CHECK_IDLE_MILLIS = 10;
    private static final long CHECK_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(CHECK_IDLE_MILLIS);

    /** What the pool keeps: a connection over a {@link BlockingSocket}. */
    public interface Pooled {
        /** Its socket. */
        BlockingSocket socket();

        /** Frees what it holds besides the socket (buffers); called once, when it leaves the pool for good. */
        void release();
    }

    /** Opens a connection: connects, and logs in or selects what the protocol needs. */
    public interface Opener<C> {
        /**
         * A new connection.
         *
         * @throws IOException when it cannot connect
         */
        C open() throws IOException;
    }

    private final String label;
    private final int max;
    private final long waitMillis;
    private final String maxOption;
    private final Opener<C> opener;
    private final Consumer<String> connectFailed;
    private final long retryMillis;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<C> idle = new ConcurrentLinkedDeque<>();
    private final Set<C> open = ConcurrentHashMap.newKeySet();
    /** Sockets an opener is still setting up (logging in): watched too. */
    private final Set<BlockingSocket> opening = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> watchdog;
    private volatile boolean closed;
    private long notBeforeNanos;
    private long backoffMillis = 50;
    private String lastConnectError;

    /**
     * @param label how messages name the server
     * @param max the most connections, and {@code maxOption} the option that set it
     * @param waitMillis the longest a caller waits for a free connection
     * @param opener opens a connection (a failure counts against the server)
     * @param connectFailed told the reason of every failed connect (the server's health)
     * @param retryInterval the longest backoff after failed connects
     * @param timers runs the watchdog
     * @param timeouts the timeouts the watchdog enforces
     */
    public BlockingSocketPool(String label, int max, String maxOption, long waitMillis, Opener<C> opener,
            Consumer<String> connectFailed, Duration retryInterval, ScheduledExecutorService timers,
            BlockingSocket.Timeouts timeouts) {
        this.label = label;
        this.max = max;
        this.maxOption = maxOption;
        this.waitMillis = waitMillis;
        this.opener = opener;
        this.connectFailed = connectFailed;
        this.retryMillis = Math.max(50, retryInterval.toMillis());
        this.permits = new Semaphore(max);
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(timeouts.readNanos(), timeouts.writeNanos()) / 10);
        this.watchdog = timers.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            for (C c : open) {
                c.socket().checkTimeouts(now, timeouts);
            }
            for (BlockingSocket b : opening) {
                b.checkTimeouts(now, timeouts);
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /**
     * A connection for one call, usable; {@link #give} it back after the call, whatever happened.
     *
     * @throws StoreException naming the server when none can be had: the pool is closed, every
     *     connection stayed busy for the wait's limit, the caller was interrupted, or a connect
     *     failed (or backs off after one that did)
     */
    public C take() {
        if (!permits.tryAcquire()) {
            try {
                if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                    throw new StoreException(label + ": all " + max + " connections (" + maxOption + ") stayed busy for "
                            + waitMillis + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(label + ": interrupted while waiting for a connection", e);
            }
        }
        try {
            return takeOrOpen();
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    private C takeOrOpen() {
        if (closed) {
            throw new StoreException(label + ": the client is closed");
        }
        C c;
        long now = System.nanoTime();
        while ((c = idle.pollFirst()) != null) {
            if (c.socket().idleNanos(now) < CHECK_IDLE_NANOS || c.socket().stillUsable()) {
                return c;
            }
            discard(c);
        }
        synchronized (this) {
            if (lastConnectError != null && System.nanoTime() - notBeforeNanos < 0) {
                throw new StoreException(label + ": " + lastConnectError); // still backing off
            }
        }
        try {
            c = opener.open();
        } catch (IOException | RuntimeException e) {
            String reason = "cannot connect: " + e;
            synchronized (this) {
                lastConnectError = reason;
                notBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, retryMillis);
            }
            connectFailed.accept(reason);
            throw new StoreException(label + ": " + reason, e);
        }
        resetBackoff();
        open.add(c);
        if (closed) {
            discard(c);
            throw new StoreException(label + ": the client is closed");
        }
        return c;
    }

    /** Takes back a connection {@link #take} gave: to the idle ones, or, when its socket was aborted, for good. */
    public void give(C c) {
        try {
            if (c.socket().isAborted()) {
                discard(c);
            } else {
                c.socket().end();
                idle.offerFirst(c);
                if (closed) {
                    closeIdle("client closed");
                }
            }
        } finally {
            permits.release();
        }
    }

    private void discard(C c) {
        open.remove(c);
        c.socket().abort("discarded", false);
        c.release();
    }

    /**
     * Has the watchdog enforce the timeouts on {@code socket} while an opener sets it up (a
     * login that gets no reply fails instead of hanging); {@link #unwatch} it when done.
     */
    public void watch(BlockingSocket socket) {
        opening.add(socket);
    }

    /** Ends {@link #watch}. */
    public void unwatch(BlockingSocket socket) {
        opening.remove(socket);
    }

    /** Forgets a failed connect's backoff: the server answered, so the next take connects at once. */
    public synchronized void resetBackoff() {
        lastConnectError = null;
        backoffMillis = 50;
    }

    /** Closes the idle connections (the server went down: they would only fail). */
    public void closeIdle(String reason) {
        C c;
        while ((c = idle.pollFirst()) != null) {
            c.socket().abort(reason, false);
            discard(c);
        }
    }

    /** How many connections are open, idle or in use. */
    public int openConnections() {
        return open.size();
    }

    /** Closes every connection: idle ones at once, busy ones under their calls, which fail. */
    public void close() {
        closed = true;
        watchdog.cancel(false);
        closeIdle("client closed");
        for (C c : open) {
            c.socket().abort("client closed", false);
        }
    }

    @Override
    public String toString() {
        return "blocking connections to " + label + " (" + open.size() + " open)";
    }
}
