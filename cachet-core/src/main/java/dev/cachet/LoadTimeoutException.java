package dev.cachet;

import java.time.Duration;

/**
 * A load through {@link Cache#getOrSet(String, Class, java.util.function.Supplier, Freshness)}
 * took longer than its {@linkplain Freshness#hardLoaderTimeout() hard loader timeout} and no
 * fail-safe value could stand in. The load goes on in the background and stores its result
 * when it finishes. The message names the cache, the key and the timeout.
 */
public class LoadTimeoutException extends CacheException {
    private static final long serialVersionUID = 1L;
    private final transient Duration timeout;

    /** A load of {@code key} in cache {@code cacheName} that did not finish within {@code timeout}. */
    public LoadTimeoutException(String cacheName, String key, Duration timeout) {
        super(cacheName, "the load of key '" + key + "' did not finish within its hard loader timeout of "
                + timeout.toMillis() + " ms (it goes on in the background)", null);
        this.timeout = timeout;
    }

    /** The hard loader timeout that passed. */
    public Duration timeout() {
        return timeout;
    }
}
