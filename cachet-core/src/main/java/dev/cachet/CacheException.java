package dev.cachet;

/**
 * A cache's backend failed (is down, timed out, or answered garbage), and the cache's error
 * policy is {@link ErrorPolicy#RAISE}, or the operation has no way to report failure in its
 * return value ({@code incr}, {@code decr}, {@code incrVersion}, {@code decrVersion},
 * {@code clear}). The message names the cache and the operation; the cause is the backend's.
 *
 * <p>Every backend failure is one: a {@link dev.cachet.spi.StoreException} (what a store
 * reports, e.g. when opening fails) is a subclass, so {@code catch (CacheException e)} catches
 * every failure of every backend, at open as in an operation.
 */
public class CacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String cacheName;

    /** A failure of cache {@code cacheName}. */
    public CacheException(String cacheName, String message, Throwable cause) {
        super("cache '" + cacheName + "': " + message, cause);
        this.cacheName = cacheName;
    }

    /**
     * A failure whose message already says where it happened, for subclasses reported below a
     * cache (see {@link dev.cachet.spi.StoreException}): the message is kept as given and
     * {@link #cacheName()} is null.
     */
    protected CacheException(String message, Throwable cause) {
        super(message, cause);
        this.cacheName = null;
    }

    /** As {@link #CacheException(String, Throwable)}, without a cause (one may be set later by {@code initCause}). */
    protected CacheException(String message) {
        super(message);
        this.cacheName = null;
    }

    /**
     * The name of the cache that failed; null for a {@link dev.cachet.spi.StoreException} a
     * store threw itself (its message names the cache when the store knows it).
     */
    public String cacheName() {
        return cacheName;
    }
}
