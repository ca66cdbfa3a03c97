package dev.cachet.internal;

import dev.cachet.ErrorPolicy;
import dev.cachet.Timeout;
import dev.cachet.spi.KeyScope;
import java.time.Clock;
import dev.cachet.internal.fresh.FreshLoads;
import dev.cachet.internal.fresh.LoadCounters;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What every version view of one cache shares: storage, settings, logs and lifecycle. */
final class CacheCore {
    final String name;
    final KeyPolicy keys;
    /** Which stored keys are this cache's, for clear. */
    final KeyScope scope;
    final EntryStore entries;
    final FailureLog log;
    final Clock clock;
    final ErrorPolicy policy;
    /** The default timeout in millis; {@link Long#MAX_VALUE} for forever. */
    final long defaultMillis;
    /** getOrSet's loader runs in flight, shared by every version view. */
    final SingleFlight flights = new SingleFlight();
    /** Tag versions, checked by reads of tagged entries. */
    final TagVersions tags;
    /** Set once this process wrote a tagged entry or moved a tag: from then on hasKey reads values to check their tags. */
    volatile boolean tagsUsed;
    /** The fresh-data pipeline's counters and flights, shared by every view. */
    final LoadCounters counters = new LoadCounters();
    final FreshLoads.Flights freshFlights = new FreshLoads.Flights();
    /** Loaders registered per key prefix, for refresh and prefetch. */
    final LoaderRegistry loaders = new LoaderRegistry();
    volatile boolean closed;
    private volatile ExecutorService executor;
    private volatile ThreadPoolExecutor refreshExecutor;

    CacheCore(String name, KeyPolicy keys, EntryStore entries, FailureLog log, Clock clock, ErrorPolicy policy,
            Timeout defaultTimeout) {
        this.name = name;
        this.keys = keys;
        this.scope = keys.scope();
        this.entries = entries;
        this.log = log;
        this.clock = clock;
        this.policy = policy;
        this.defaultMillis = defaultMillis(defaultTimeout);
        this.tags = new TagVersions(entries, keys, clock);
    }

    /** A cache's default timeout in millis; {@link Long#MAX_VALUE} for forever. */
    static long defaultMillis(Timeout defaultTimeout) {
        return defaultTimeout.isForever() ? Long.MAX_VALUE : defaultTimeout.duration().toMillis();
    }

    /** The executor for blocking async work: up to 8 daemon threads, created on first use. */
    ExecutorService executor() {
        ExecutorService e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    AtomicInteger n = new AtomicInteger();
                    ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "cachet-" + name + "-async-" + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    pool.allowCoreThreadTimeOut(true);
                    executor = e = pool;
                }
            }
        }
        return e;
    }

    /** Background loads and refreshes wait in a queue of this many; more are dropped (counted). */
    static final int REFRESH_QUEUE = 1024;

    /**
     * The bounded executor for background loads and refreshes: up to 4 daemon threads and a
     * queue of {@value #REFRESH_QUEUE}; when full it rejects (the pipeline drops the refresh and
     * counts it), so a reader never blocks on it. Created on first use.
     */
    ThreadPoolExecutor refreshExecutor() {
        ThreadPoolExecutor e = refreshExecutor;
        if (e == null) {
            synchronized (this) {
                e = refreshExecutor;
                if (e == null) {
                    AtomicInteger n = new AtomicInteger();
                    e = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(REFRESH_QUEUE), r -> {
                        Thread t = new Thread(r, "cachet-" + name + "-refresh-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
                    e.allowCoreThreadTimeOut(true);
                    if (closed) {
                        e.shutdown();
                    }
                    refreshExecutor = e;
                }
            }
        }
        return e;
    }

    /** How long {@link #close()} waits for background loads that are running to finish. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    /**
     * Closes: background loads still queued are dropped, those running get up to
     * {@value #CLOSE_WAIT_MILLIS} ms to finish (never interrupted: an interrupt in the middle of
     * a write can leave an embedded database's file damaged), then the store is closed.
     */
    void close() {
        ThreadPoolExecutor refreshing;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (executor != null) {
                executor.shutdown();
            }
            refreshing = refreshExecutor;
            if (refreshing != null) {
                refreshing.getQueue().clear();
                refreshing.shutdown();
            }
        }
        if (refreshing != null) {
            try {
                refreshing.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        entries.close();
    }
}
