package dev.cachet.metrics;

import dev.cachet.Caches;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinderCompatibilityKit;
import org.junit.jupiter.api.AfterEach;

/** Micrometer's own checks of a cache binder, on a local-memory cache named {@code mycache}. */
class CachetCacheMetricsCompatibilityTest extends CacheMeterBinderCompatibilityKit<MeteredCache> {
    private dev.cachet.Cache opened;

    @Override
    public MeteredCache createCache() {
        opened = Caches.open(dev.cachet.CacheConfig.builder("memory:").name("mycache").build());
        return new MeteredCache(opened, "memory");
    }

    @Override
    public CacheMeterBinder<MeteredCache> binder() {
        return new CachetCacheMetrics(cache, "mycache", Tags.empty());
    }

    @Override
    public void put(String key, String value) {
        cache.set(key, value);
    }

    @Override
    public String get(String key) {
        return cache.get(key, String.class);
    }

    @AfterEach
    void closeCache() {
        opened.close();
    }
}
