package dev.cachet.spi;

import java.util.Map;
import java.util.Set;

/**
 * A bulk call of a {@link Store} ({@link Store#getMany}, {@link Store#putMany},
 * {@link Store#deleteMany}) that failed for some keys and did its work for the others: a
 * memcached node down while the rest of the cluster answered, a file that could not be
 * written. It carries what was done, so the core can apply the cache's error policy once, for
 * every backend: {@code raise} throws, {@code degrade} keeps the partial result (misses for
 * the failed reads, failed keys reported by {@code setMany}, fewer deletions counted).
 */
public final class PartialFailureException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Set<String> failedKeys;
    private final transient Map<String, byte[]> found;
    private final int deleted;

    private PartialFailureException(String message, Throwable cause, Set<String> failedKeys, Map<String, byte[]> found,
            int deleted) {
        super(message + " (" + failedKeys.size() + (failedKeys.size() == 1 ? " key" : " keys") + " failed)", cause);
        this.failedKeys = Set.copyOf(failedKeys);
        this.found = found;
        this.deleted = deleted;
    }

    /** A {@code getMany} that read {@code found} and could not read {@code failedKeys}. */
    public static PartialFailureException ofGetMany(Map<String, byte[]> found, Set<String> failedKeys, String message,
            Throwable cause) {
        return new PartialFailureException(message, cause, failedKeys, Map.copyOf(found), 0);
    }

    /** A {@code putMany} that could not store {@code failedKeys}; the others were stored. */
    public static PartialFailureException ofPutMany(Set<String> failedKeys, String message, Throwable cause) {
        return new PartialFailureException(message, cause, failedKeys, Map.of(), 0);
    }

    /** A {@code deleteMany} that removed {@code deleted} readable entries and failed on {@code failedKeys}. */
    public static PartialFailureException ofDeleteMany(int deleted, Set<String> failedKeys, String message,
            Throwable cause) {
        return new PartialFailureException(message, cause, failedKeys, Map.of(), deleted);
    }

    /** The keys the call failed on. */
    public Set<String> failedKeys() {
        return failedKeys;
    }

    /** For {@code getMany}: the values read from the keys that did not fail; empty otherwise. */
    public Map<String, byte[]> found() {
        return found;
    }

    /** For {@code deleteMany}: how many readable entries were removed; 0 otherwise. */
    public int deleted() {
        return deleted;
    }
}
