package dev.cachet.internal.memory;

import dev.cachet.testkit.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * By reference, every timed write keeps a deadline (a forever write of a non-null value is held
 * as the value itself): writes with the default and with their own timeouts must expire, touch
 * and incr alike, and replace each other.
 */
class ReferenceExpiryTest {
    private final TestClock clock = new TestClock();

    private Cache open(String options) {
        return Caches.open(CacheConfig.of("memory:?max_entries=1000&" + options).toBuilder().clock(clock).build());
    }

    @Test
    void aDefaultTimeoutWriteExpiresAfterTheDefault() {
        try (Cache cache = open("timeout=10")) {
            cache.set("k", "v");
            cache.add("a", 1);
            clock.advance(Duration.ofMillis(9_999));
            assertThat(cache.get("k")).isEqualTo("v");
            assertThat(cache.get("a")).isEqualTo(1L);
            clock.advance(Duration.ofMillis(1));
            assertThat(cache.get("k")).isNull();
            assertThat(cache.lookup("a")).isEqualTo(Lookup.miss());
            assertThat(cache.hasKey("k")).isFalse();
            assertThat(cache.add("k", "again")).isTrue();
            assertThat(cache.get("k")).isEqualTo("again");
        }
    }

    @Test
    void defaultAndOwnTimeoutsReplaceEachOther() {
        try (Cache cache = open("timeout=10")) {
            cache.set("k", "short", Duration.ofSeconds(2));
            cache.set("k", "default");
            clock.advance(Duration.ofSeconds(5));
            assertThat(cache.get("k")).isEqualTo("default");
            cache.set("k", "short", Duration.ofSeconds(2));
            clock.advance(Duration.ofSeconds(2));
            assertThat(cache.get("k")).isNull();
            cache.set("k", "forever", Timeout.FOREVER);
            cache.set("k", "default");
            clock.advance(Duration.ofSeconds(10));
            assertThat(cache.get("k")).isNull();
        }
    }

    @Test
    void incrKeepsTheExpiryOfEitherForm() {
        try (Cache cache = open("timeout=10")) {
            cache.set("d", 1);
            cache.set("own", 1, Duration.ofSeconds(4));
            clock.advance(Duration.ofSeconds(3));
            assertThat(cache.incr("d")).isEqualTo(2L);
            assertThat(cache.incr("own", 5)).isEqualTo(6L);
            assertThat(cache.incr("d")).isEqualTo(3L);
            clock.advance(Duration.ofSeconds(1));
            assertThat(cache.get("own")).isNull();
            assertThat(cache.get("d")).isEqualTo(3L);
            clock.advance(Duration.ofSeconds(6));
            assertThat(cache.get("d")).isNull();
        }
    }

    @Test
    void touchGivesEitherFormANewTimeout() {
        try (Cache cache = open("timeout=10")) {
            cache.set("d", "v");
            clock.advance(Duration.ofSeconds(9));
            assertThat(cache.touch("d", Timeout.ofSeconds(30))).isTrue();
            clock.advance(Duration.ofSeconds(29));
            assertThat(cache.get("d")).isEqualTo("v");
            assertThat(cache.touch("d")).isTrue();
            clock.advance(Duration.ofSeconds(9));
            assertThat(cache.getMany(List.of("d"))).isEqualTo(Map.of("d", "v"));
            clock.advance(Duration.ofSeconds(1));
            assertThat(cache.get("d")).isNull();
        }
    }

    @Test
    void nullsAndForeverDefaults() {
        try (Cache cache = open("timeout=none")) {
            cache.set("n", null);
            cache.set("v", "value");
            clock.advance(Duration.ofDays(365 * 100));
            assertThat(cache.lookup("n")).isEqualTo(Lookup.hit(null));
            assertThat(cache.get("v")).isEqualTo("value");
        }
        try (Cache cache = open("timeout=0")) {
            assertThat(cache.set("k", "v")).isTrue();
            assertThat(cache.hasKey("k")).isFalse();
        }
    }

    @Test
    void otherVersionsAndHashedKeysExpireToo() {
        try (Cache cache = open("timeout=10")) {
            Cache v2 = cache.withVersion(2);
            v2.set("k", "v2");
            cache.set("has space", "hashed");
            clock.advance(Duration.ofSeconds(10));
            assertThat(v2.get("k")).isNull();
            assertThat(cache.get("has space")).isNull();
        }
    }
}
