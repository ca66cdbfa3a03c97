package dev.cachet.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.testkit.Servers;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.EventType;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What cachet adds to JSR-107, which the TCK cannot check: where the caches live (locations,
 * options from properties), the codec's allow-list, value types kept through cachet's counter
 * rule, keys of every form listed back by iteration, EXPIRED events (the TCK sends none), and a
 * remote backend shared by managers of two providers (as by two processes).
 */
class CachetCachingProviderTest {
    /** A Redis database no other test class uses. */
    private static final int REDIS_DATABASE = 7;

    private final List<CachingProviderHolder> providers = new ArrayList<>();

    /** A provider of its own per use: managers are kept per provider, URI and class loader. */
    private record CachingProviderHolder(CachetCachingProvider provider) {
    }

    private CachetCachingProvider provider() {
        CachetCachingProvider p = new CachetCachingProvider();
        providers.add(new CachingProviderHolder(p));
        return p;
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(h -> h.provider().close());
    }

    record Order(String id, int lines) implements Serializable {
    }

    @Test
    void cachingFindsTheProviderAndItsDefaultUriIsLocalMemory() {
        assertThat(Caching.getCachingProvider()).isInstanceOf(CachetCachingProvider.class);
        assumeTrue(System.getProperty(CachetCachingProvider.LOCATION_PROPERTY) == null, "the TCK's Redis run");
        assertThat(new CachetCachingProvider().getDefaultURI()).isEqualTo(URI.create("cachet:memory:"));
    }

    @Test
    void valuesKeepTheirTypeAndAreCopies() {
        CacheManager manager = provider().getCacheManager();
        Cache<String, Object> cache = manager.createCache("values", new MutableConfiguration<>());
        cache.put("int", 7);
        assertThat(cache.get("int")).isEqualTo(7).isInstanceOf(Integer.class); // not cachet's Long counter

        ArrayList<String> list = new ArrayList<>(List.of("a"));
        cache.put("list", list);
        list.add("changed after the put");
        assertThat(cache.get("list")).isEqualTo(List.of("a"));
        assertThat(cache.get("list")).isNotSameAs(cache.get("list"));

        assertThat(cache.unwrap(dev.cachet.Cache.class).name()).isEqualTo("values");
    }

    @Test
    void classesOutsideTheCodecsAllowListAreRefusedUntilThePropertiesAllowThem() {
        Cache<String, Order> refusing = provider().getCacheManager()
                .createCache("orders", new MutableConfiguration<String, Order>().setTypes(String.class, Order.class));
        assertThatThrownBy(() -> refusing.put("o1", new Order("o1", 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Order.class.getName());

        Properties props = new Properties();
        props.setProperty("cachet.codec_allow", Order.class.getName());
        CachetCachingProvider p = provider();
        Cache<String, Order> allowing = p.getCacheManager(p.getDefaultURI(), p.getDefaultClassLoader(), props)
                .createCache("orders", new MutableConfiguration<String, Order>().setTypes(String.class, Order.class));
        allowing.put("o1", new Order("o1", 3));
        assertThat(allowing.get("o1")).isEqualTo(new Order("o1", 3));
    }

    @Test
    void aBadOptionIsACacheExceptionThatNamesIt() {
        CachetCachingProvider p = provider();
        CacheManager manager = p.getCacheManager(URI.create("cachet:memory:?max_entires=10"), p.getDefaultClassLoader());
        assertThatThrownBy(() -> manager.createCache("c", new MutableConfiguration<>()))
                .isInstanceOf(CacheException.class).hasMessageContaining("max_entires");
        assertThatThrownBy(() -> p.getCacheManager(URI.create("cachet:nosuch:x"), p.getDefaultClassLoader())
                .createCache("c", new MutableConfiguration<>()))
                .isInstanceOf(CacheException.class).hasMessageContaining("nosuch");
    }

    @Test
    void aPasswordInTheUriIsNeverShown() {
        CachetCachingProvider p = provider();
        CacheManager manager = p.getCacheManager(URI.create("redis://:hunter2@127.0.0.1:1/0?bogus=1"), p.getDefaultClassLoader());
        assertThatThrownBy(() -> manager.createCache("c", new MutableConfiguration<>()))
                .isInstanceOf(CacheException.class).hasMessageContaining("bogus").hasMessageNotContaining("hunter2");
        manager.close();
        assertThatThrownBy(manager::getCacheNames)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("***").hasMessageNotContaining("hunter2");
    }

    @Test
    void iterationGivesBackKeysOfEveryForm() {
        Cache<Object, String> cache = provider().getCacheManager().createCache("keys", new MutableConfiguration<>());
        UUID uuid = UUID.randomUUID();
        Map<Object, String> expected = Map.of("plain", "a", "with space and\ttab", "b", 42L, "c", 7, "d", uuid, "e",
                "x".repeat(300), "f");
        cache.putAll(expected);
        Map<Object, String> seen = new HashMap<>();
        cache.forEach(e -> seen.put(e.getKey(), e.getValue()));
        assertThat(seen).isEqualTo(expected);
        cache.removeAll();
        assertThat(cache.iterator().hasNext()).isFalse();
    }

    @Test
    void anEntryFoundPastItsDeadlineIsHeardOfAsExpired() {
        List<CacheEntryEvent<? extends String, ? extends String>> expired = new CopyOnWriteArrayList<>();
        CacheEntryExpiredListener<String, String> listener = events -> events.forEach(expired::add);
        MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 50)))
                .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                        () -> listener, null, true, true));
        Cache<String, String> cache = provider().getCacheManager().createCache("expiring", config);
        cache.put("k", "v");
        assertThat(Servers.waitUntil(() -> !cache.containsKey("k"), java.time.Duration.ofSeconds(10))).isTrue();
        assertThat(expired).singleElement().satisfies(e -> {
            assertThat(e.getEventType()).isEqualTo(EventType.EXPIRED);
            assertThat(e.getKey()).isEqualTo("k");
            assertThat(e.getOldValue()).isEqualTo("v");
        });
        assertThat(cache.get("k")).isNull();
        assertThat(expired).hasSize(1);
    }

    @Test
    void managersOfTwoProvidersShareARedisLocation() {
        String location = "redis://" + Servers.requireRedis().address() + "/" + REDIS_DATABASE;
        String name = "shared-" + UUID.randomUUID();
        CachetCachingProvider one = provider();
        CachetCachingProvider two = provider();
        Cache<String, Integer> writer = one.getCacheManager(URI.create(location), one.getDefaultClassLoader())
                .createCache(name, new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
        Cache<String, Integer> reader = two.getCacheManager(URI.create(location), two.getDefaultClassLoader())
                .createCache(name, new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
        try {
            writer.put("k", 1);
            assertThat(reader.get("k")).isEqualTo(1);
            assertThat(reader.iterator().next().getKey()).isEqualTo("k");
            assertThat(reader.replace("k", 1, 2)).isTrue();
            assertThat(writer.get("k")).isEqualTo(2);
        } finally {
            writer.getCacheManager().destroyCache(name);
        }
        assertThat(reader.containsKey("k")).isFalse();
    }
}
