package dev.cachet.internal.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.InvalidKeyException;
import dev.cachet.Lookup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The by-reference store holds the configured version's safe keys under the key itself (get and
 * set reach it without building {@code prefix:version:key}) and every other stored key wrapped.
 * Whatever path an operation takes, one stored key must reach one entry, and distinct stored keys
 * distinct entries.
 */
class ReferenceKeyPathsTest {
    private static final List<String> KEYS = List.of("k", "bench:s:000001", ":1:k", "1:k", "", "~abc",
            "caf\u00e9", "has space", "x".repeat(260), "\ud83d");

    @Test
    void everyOperationReachesTheEntryThatGetAndSetUse() {
        for (String prefix : List.of("", "app", "caf\u00e9")) {
            try (Cache cache = Caches.open(CacheConfig.builder("memory:").option("key_prefix", prefix)
                    .option("max_entries", 1000).build())) {
                for (String key : KEYS) {
                    assertThat(cache.set(key, key + "!")).isTrue();
                    assertThat(cache.get(key)).as("prefix %s key %s", prefix, key).isEqualTo(key + "!");
                    assertThat(cache.lookup(key)).isEqualTo(Lookup.hit(key + "!"));
                    assertThat(cache.hasKey(key)).isTrue();
                    assertThat(cache.getMany(List.of(key))).isEqualTo(Map.of(key, key + "!"));
                    assertThat(cache.add(key, "other")).isFalse();
                    assertThat(cache.touch(key)).isTrue();
                    assertThat(cache.delete(key)).isTrue();
                    assertThat(cache.get(key)).isNull();
                    assertThat(cache.add(key, 1)).isTrue();
                    assertThat(cache.incr(key)).isEqualTo(2L);
                    assertThat(cache.get(key, Integer.class)).isEqualTo(2);
                    cache.setMany(Map.of(key, "many"));
                    assertThat(cache.get(key)).isEqualTo("many");
                    assertThat(cache.deleteMany(List.of(key))).isEqualTo(1);
                    assertThat(cache.get(key, String.class, "absent")).isEqualTo("absent");
                }
            }
        }
    }

    @Test
    void versionsAndKeysStayDistinct() {
        try (Cache v1 = Caches.open("memory:?max_entries=1000")) {
            Cache v2 = v1.withVersion(2);
            Cache v12 = v1.withVersion(12);
            for (String key : KEYS) {
                v1.set(key, "v1 " + key);
                v2.set(key, "v2 " + key);
                v12.set(key, "v12 " + key);
            }
            for (String key : KEYS) {
                assertThat(v1.get(key)).isEqualTo("v1 " + key);
                assertThat(v2.get(key)).isEqualTo("v2 " + key);
                assertThat(v12.get(key)).isEqualTo("v12 " + key);
            }
            v1.set("moved", "value");
            assertThat(v1.incrVersion("moved")).isEqualTo(2);
            assertThat(v1.get("moved")).isNull();
            assertThat(v2.get("moved")).isEqualTo("value");
            assertThat(v2.decrVersion("moved")).isEqualTo(1);
            assertThat(v1.get("moved")).isEqualTo("value");
            // a version-2 view opened from config holds version 2 directly; the keys are the same entries
            v1.clear();
            assertThat(v2.get("k")).isNull();
        }
    }

    @Test
    void aConfiguredVersionSharesEntriesWithAViewOfIt() {
        try (Cache v3 = Caches.open("memory:?version=3&key_prefix=p")) {
            Cache v1 = v3.withVersion(1);
            v3.set("k", "three");
            v1.set("k", "one");
            assertThat(v3.get("k")).isEqualTo("three");
            assertThat(v1.get("k")).isEqualTo("one");
            assertThat(v1.withVersion(3).get("k")).isEqualTo("three");
            v1.withVersion(3).set("k", "three again");
            assertThat(v3.get("k")).isEqualTo("three again");
        }
    }

    @Test
    void strictKeysAreStillRefusedAndNullKeysStillNamed() {
        try (Cache cache = Caches.open("memory:?strict_keys=true")) {
            assertThatThrownBy(() -> cache.set("has space", 1)).isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(() -> cache.get("has space")).isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(() -> cache.get(null)).isInstanceOf(InvalidKeyException.class);
            assertThat(cache.set("k".repeat(247), 1)).isTrue(); // 250 bytes with ":1:"
            assertThatThrownBy(() -> cache.set("k".repeat(248), 1)).isInstanceOf(InvalidKeyException.class);
        }
    }

    @Test
    void aClosedCacheRefusesGetAndSet() {
        Cache cache = Caches.open("memory:");
        cache.close();
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.set("k", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.get(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyFunctionTakesTheStoredKeyPath() {
        try (Cache cache = Caches.open(CacheConfig.builder("memory:")
                .keyFunction((key, prefix, version) -> "fn/" + version + "/" + key).build())) {
            cache.set("k", "v");
            assertThat(cache.get("k")).isEqualTo("v");
            assertThat(cache.withVersion(2).get("k")).isNull();
            assertThat(cache.delete("k")).isTrue();
        }
    }
}
