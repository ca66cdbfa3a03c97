package dev.cachet.spring.boot;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;

/**
 * Wraps each cachet cache before Spring sees it (for metrics, a namespace, a second level...):
 * every bean of this type is applied, in bean order, when the auto-configured
 * {@link dev.cachet.spring.CachetCacheManager} is built. cachet-metrics' decorator is one,
 * registered when Micrometer and cachet-metrics are present.
 */
@FunctionalInterface
public interface CachetCacheDecorator {
    /**
     * The cache to use in place of {@code cache}, the cache named {@code name}; the returned
     * cache must forward to {@code cache} (for instance a {@link dev.cachet.ForwardingCache})
     * and keep its name.
     *
     * @param config the cache's configuration from {@code cachet.caches.<name>}, or null when
     *     the cache comes from the application's own {@code Caches} bean and has no location there
     */
    Cache decorate(String name, CacheConfig config, Cache cache);
}
