package dev.cachet.internal;

import dev.cachet.ErrorPolicy;
import dev.cachet.Timeout;
import dev.cachet.spi.KeyScope;
import java.time.Clock;
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
    volatile boolean closed;
    private volatile ExecutorService executor;

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

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (executor != null) {
                executor.shutdown();
            }
        }
        entries.close();
    }
}
