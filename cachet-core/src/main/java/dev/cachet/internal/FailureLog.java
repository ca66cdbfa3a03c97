package dev.cachet.internal;

import dev.cachet.UnreadableValue;
import dev.cachet.spi.Secrets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a cache's backend failures and undecodable entries, quietly: one WARN line per burst
 * of backend failures (the first of a burst, with its cause's message; later ones within
 * {@link #BURST_NANOS} are counted and the count is reported with the next logged failure),
 * the stack trace at DEBUG only. Corrupt entries are logged likewise; entries this reader
 * cannot decode (a missing or refused class, another codec) once per class. Every key is shown
 * as the user wrote it, control characters escaped. Thread-safe, lock-free.
 */
public final class FailureLog {
    static final long BURST_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How many distinct unreadable classes are remembered (each logged once); beyond, each burst logs one. */
    static final int MAX_REMEMBERED_CLASSES = 1024;
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet");

    private final String cacheName;
    private final Secrets secrets;
    private final Burst backend = new Burst();
    private final Burst decode = new Burst();
    private final Burst unreadableOverflow = new Burst();
    private final AtomicLong unreadable = new AtomicLong();
    private final Set<String> loggedClasses = ConcurrentHashMap.newKeySet();
    private volatile UnreadableValue lastUnreadable;

    /** The log of cache {@code cacheName}, which has no secrets to mask beyond the URL forms. */
    public FailureLog(String cacheName) {
        this(cacheName, Secrets.none());
    }

    /** The log of cache {@code cacheName}, masking {@code secrets} in every line and stack trace. */
    public FailureLog(String cacheName, Secrets secrets) {
        this.cacheName = cacheName;
        this.secrets = secrets;
    }


    /** A backend failure during {@code operation}: WARN once per burst, the stack trace at DEBUG. */
    public void backendFailure(String operation, Throwable cause) {
        long suppressed = backend.admit();
        if (suppressed >= 0) {
            String more = suppressed > 0 ? " (" + suppressed + " more failures in the last burst were not logged)" : "";
            LOG.warn("cache '{}': {} failed: {}{}", cacheName, operation, secrets.describe(cause), more);
            if (LOG.isDebugEnabled()) {
                LOG.debug("cache '" + cacheName + "': " + operation + " failed", secrets.scrub(cause));
            }
        }
    }

    /**
     * A corrupt entry, shown as {@code shownKey} (the user's key, escaped), that was deleted:
     * WARN once per burst, the stack trace at DEBUG.
     */
    public void decodeFailure(String shownKey, Throwable cause) {
        long suppressed = decode.admit();
        if (suppressed >= 0) {
            LOG.warn("cache '{}': entry '{}' is corrupt and was deleted (read as a miss): {}{}", cacheName, shownKey,
                    secrets.describe(cause), suppressed > 0 ? " (" + suppressed + " more corrupt entries were not logged)" : "");
            if (LOG.isDebugEnabled()) {
                LOG.debug("cache '" + cacheName + "': corrupt entry '" + shownKey + "'", cause);
            }
        }
    }

    /**
     * An entry, shown as {@code shownKey}, that this reader cannot decode though its bytes are
     * sound; it was read as a miss and left in place. Logged at WARN once per class (or codec).
     */
    public void unreadableEntry(UnreadableValue entry) {
        unreadable.incrementAndGet();
        lastUnreadable = entry;
        String what = entry.className() != null ? entry.className() : "codec " + entry.codec();
        boolean first = loggedClasses.size() < MAX_REMEMBERED_CLASSES ? loggedClasses.add(what)
                : !loggedClasses.contains(what) && unreadableOverflow.admit() >= 0;
        if (first) {
            LOG.warn("cache '{}': entry '{}' holds {}; this reader cannot decode it, so it reads as a miss and the entry"
                    + " stays (logged once per class)", cacheName, entry.shownKey(), entry.describe());
        }
    }

    /** Total failures seen (logged or not), for tests and metrics. */
    public long backendFailures() {
        return backend.total.get();
    }

    /** Total corrupt (deleted) entries seen. */
    public long decodeFailures() {
        return decode.total.get();
    }

    /** Total reads of entries this reader could not decode (left in place). */
    public long unreadableEntries() {
        return unreadable.get();
    }

    /** The last entry this reader could not decode, or null: for tools that explain a miss (the CLI's get). */
    public UnreadableValue lastUnreadable() {
        return lastUnreadable;
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
