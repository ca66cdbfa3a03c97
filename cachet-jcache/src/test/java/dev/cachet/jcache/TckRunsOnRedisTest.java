package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.CacheConfig;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.util.List;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;

/**
 * Runs in the TCK's Redis execution only (the default one excludes it): checks that the TCK's
 * default CacheManager really stores in the redis-server {@link TckRedisServer} started, by
 * finding a JCache entry's key in that server through a store of its own.
 */
class TckRunsOnRedisTest {
    @Test
    void theDefaultManagerStoresInTheRedisServer() {
        assumeTrue("redis".equals(System.getProperty(TckRedisServer.BACKEND_PROPERTY)), "not the TCK's Redis run");
        String location = System.getProperty(CachetCachingProvider.LOCATION_PROPERTY);
        assertThat(location).startsWith("redis://");
        CacheManager manager = Caching.getCachingProvider().getCacheManager();
        assertThat(manager.getURI().toString()).isEqualTo("cachet:" + location);
        Cache<String, String> cache = manager.createCache("proof", new MutableConfiguration<>());
        try {
            cache.put("k", "v");
            try (Store store = Stores.open(CacheConfig.of(location))) {
                List<String> keys = store.keys(KeyScope.everything(), 1000).orElseThrow();
                assertThat(keys).anyMatch(k -> k.startsWith("jcache.proof:") && k.endsWith(":s:k"));
            }
        } finally {
            manager.destroyCache("proof");
        }
    }
}
