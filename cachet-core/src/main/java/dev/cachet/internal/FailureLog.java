package dev.cachet.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a cache's backend failures and undecodable entries once per burst: the first failure
 * of a burst is logged with its cause; later ones within {@link #BURST_NANOS} are counted, and
 * the count is reported with the next logged failure. Thread-safe, lock-free.
 */
public final class FailureLog {
    static final long BURST_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet");

    private final String cacheName;
    private final Burst backend = new Burst();
    private final Burst decode = new Burst();

    public FailureLog(String cacheName) {
        this.cacheName = cacheName;
    }

    /** A backend failure during {@code operation}. */
    public void backendFailure(String operation, Throwable cause) {
        long suppressed = backend.admit();
        if (suppressed >= 0) {
            LOG.warn("cache '{}': {} failed: {}{}", cacheName, operation, cause.toString(),
                    suppressed > 0 ? " (" + suppressed + " more failures in the last burst were not logged)" : "",
                    cause);
        }
    }

    /** An entry under {@code storedKey} that could not be decoded and was dropped. */
    public void decodeFailure(String storedKey, Throwable cause) {
        long suppressed = decode.admit();
        if (suppressed >= 0) {
            LOG.warn("cache '{}': entry '{}' could not be decoded and was deleted (read as a miss): {}{}", cacheName,
                    KeyPolicy.abbreviate(storedKey), cause.toString(),
                    suppressed > 0 ? " (" + suppressed + " more undecodable entries were not logged)" : "");
        }
    }

    /** Total failures seen (logged or not), for tests and metrics. */
    public long backendFailures() {
        return backend.total.get();
    }

    /** Total undecodable entries seen. */
    public long decodeFailures() {
        return decode.total.get();
    }

    private static final class Burst {
        final AtomicLong total = new AtomicLong();
        final AtomicLong windowStart = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();

        /** Returns the suppressed count to report when this one should be logged, else -1. */
        long admit() {
            total.incrementAndGet();
            long now = System.nanoTime();
            long start = windowStart.get();
            if ((start == Long.MIN_VALUE || now - start >= BURST_NANOS) && windowStart.compareAndSet(start, now)) {
                return suppressed.getAndSet(0);
            }
            suppressed.incrementAndGet();
            return -1;
        }
    }
}
