package dev.cachet.spi;

import dev.cachet.CacheException;

/**
 * A backend failure a {@link Store} reports: the server is down, timed out, refused the
 * request, or answered something the store cannot parse. The cache applies its error policy
 * to it. The message should say what failed in the backend's terms (host, statement, path).
 *
 * <p>It is a {@link CacheException}, so that {@code catch (CacheException e)} catches every
 * backend failure, including one a store throws directly (opening a store through
 * {@link Stores#open}, or a backend's own entry points); a cache's operations wrap it in a
 * {@code CacheException} naming the cache and the operation. {@link #cacheName()} is null.
 */
public class StoreException extends CacheException {
    private static final long serialVersionUID = 1L;

    /** A failure with a cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure without a cause. */
    public StoreException(String message) {
        super(message);
    }
}
