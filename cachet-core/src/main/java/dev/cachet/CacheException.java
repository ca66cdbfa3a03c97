package dev.cachet;

/**
 * A cache's backend failed (is down, timed out, or answered garbage), and the cache's error
 * policy is {@link ErrorPolicy#RAISE}, or the operation has no way to report failure in its
 * return value ({@code incr}, {@code decr}, {@code incrVersion}, {@code decrVersion},
 * {@code clear}). The message names the cache and the operation; the cause is the backend's.
 */
public class CacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cacheName;

    /** A failure of cache {@code cacheName}. */
    public CacheException(String cacheName, String message, Throwable cause) {
        super("cache '" + cacheName + "': " + message, cause);
        this.cacheName = cacheName;
    }

    /** The name of the cache that failed. */
    public String cacheName() {
        return cacheName;
    }
}
