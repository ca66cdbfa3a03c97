package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Caches#open(CacheConfig, Store)}: the core wired around a store the caller built. */
class CachesOpenStoreTest {

    /** A map store that records what reaches it; no expiry (tests use forever-ish deadlines). */
    static final class MapStore implements Store {
        final Map<String, byte[]> map = new ConcurrentHashMap<>();
        final AtomicInteger closes = new AtomicInteger();
        final long maxItemBytes;
        volatile boolean failing;

        MapStore(long maxItemBytes) {
            this.maxItemBytes = maxItemBytes;
        }

        private void check() {
            if (failing) {
                throw new StoreException("map store: down");
            }
        }

        @Override
        public dev.cachet.spi.StoreCapabilities capabilities() {
            return new dev.cachet.spi.StoreCapabilities(maxItemBytes, true, false, true, false);
        }

        @Override
        public byte[] get(String key) {
            check();
            return map.get(key);
        }

        @Override
        public Map<String, byte[]> getMany(Collection<String> keys) {
            check();
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String k : keys) {
                byte[] v = map.get(k);
                if (v != null) {
                    out.put(k, v);
                }
            }
            return out;
        }

        @Override
        public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
            check();
            return switch (mode) {
                case SET -> {
                    map.put(key, value);
                    yield true;
                }
                case ADD -> map.putIfAbsent(key, value) == null;
                case REPLACE -> map.replace(key, value) != null;
            };
        }

        @Override
        public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
            check();
            map.putAll(entries);
            return Set.of();
        }

        @Override
        public boolean delete(String key) {
            check();
            return map.remove(key) != null;
        }

        @Override
        public int deleteMany(Collection<String> keys) {
            int n = 0;
            for (String k : Set.copyOf(keys)) {
                n += delete(k) ? 1 : 0;
            }
            return n;
        }

        @Override
        public boolean touch(String key, long expiresAt) {
            check();
            return map.containsKey(key);
        }

        @Override
        public Long incr(String key, long delta) {
            check();
            byte[][] out = new byte[1][];
            map.computeIfPresent(key, (k, v) -> out[0] = dev.cachet.spi.DecimalValues.bytes(
                    Math.addExact(dev.cachet.spi.DecimalValues.parse(v), delta)));
            return out[0] == null ? null : dev.cachet.spi.DecimalValues.parse(out[0]);
        }

        @Override
        public void clear(dev.cachet.spi.KeyScope scope) {
            check();
            map.keySet().removeIf(scope::owns);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void theCoreWrapsTheGivenStore() {
        MapStore store = new MapStore(Integer.MAX_VALUE);
        try (Cache cache = Caches.open(CacheConfig.builder("custom:").name("mine").option("key_prefix", "p").build(), store)) {
            assertThat(cache.name()).isEqualTo("mine");
            assertThat(cache.set("greeting", "hello")).isTrue();
            assertThat(cache.get("greeting")).isEqualTo("hello");
            assertThat(store.map).containsOnlyKeys("p:1:greeting");
            assertThat(store.map.get("p:1:greeting")).as("stored in the entry format, not as the raw string")
                    .isNotEqualTo("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            cache.set("n", 41);
            assertThat(cache.incr("n")).isEqualTo(42);
            assertThat(new String(store.map.get("p:1:n"), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("42");
            assertThat(cache.add("greeting", "other")).isFalse();
        }
        assertThat(store.closes).as("closing the cache closes the store").hasValue(1);
    }

    @Test
    void valuesLargerThanTheStoresLimitAreChunked() {
        MapStore store = new MapStore(1024);
        try (Cache cache = Caches.open(CacheConfig.builder("custom:").option("compression", "none").build(), store)) {
            byte[] big = new byte[10_000];
            new java.util.Random(3).nextBytes(big);
            cache.set("big", big);
            assertThat(cache.get("big", byte[].class)).isEqualTo(big);
            assertThat(store.map.size()).as("a manifest and its pieces").isGreaterThan(10);
            assertThat(store.map.values()).allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(1024));
        }
    }

    @Test
    void anUnknownOptionIsRefusedAndTheStoreClosed() {
        MapStore store = new MapStore(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Caches.open(CacheConfig.builder("custom:").option("max_entires", 5).build(), store))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_entires");
        assertThat(store.closes).hasValue(1);
    }

    @Test
    void aBadOptionValueIsRefusedAndTheStoreClosed() {
        MapStore store = new MapStore(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Caches.open(CacheConfig.builder("custom:").option("timeout", "ten").build(), store))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThat(store.closes).hasValue(1);
    }

    @Test
    void theErrorPolicyAppliesToTheStoresFailures() {
        MapStore store = new MapStore(Integer.MAX_VALUE);
        try (Cache raising = Caches.open(CacheConfig.builder("custom:").name("r").build(), store)) {
            store.failing = true;
            assertThatThrownBy(() -> raising.get("k")).isInstanceOf(CacheException.class).hasMessageContaining("down");
        }
        MapStore other = new MapStore(Integer.MAX_VALUE);
        try (Cache degrading = Caches.open(CacheConfig.builder("custom:").name("d").option("on_error", "degrade").build(), other)) {
            other.failing = true;
            assertThat(degrading.get("k")).isNull();
            assertThat(degrading.set("k", "v")).isFalse();
        }
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> Caches.open(CacheConfig.of("custom:"), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("store");
        MapStore store = new MapStore(Integer.MAX_VALUE);
        assertThatThrownBy(() -> Caches.open(null, store)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("config");
    }
}
