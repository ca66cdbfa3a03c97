package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of timeouts: a value expires after its timeout and not before, the default is
 * 300 seconds or the {@code timeout} option, {@code FOREVER} and huge timeouts never expire,
 * and a zero or negative timeout stores nothing readable.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class ExpiryContract extends CodecContract {

    // =====================================================================================
    // Expiry
    // =====================================================================================

    @Test
    void aValueExpiresAfterItsTimeout() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.get("key")).isEqualTo("value");
        l.pass();
        assertThat(cache.get("key")).isNull();
        assertThat(cache.lookup("key").isMiss()).isTrue();
    }

    @Test
    void aValueIsReadableUntilJustBeforeItsDeadline() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("key", "value", Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(9_999));
        assertThat(cache.get("key")).isEqualTo("value");
        clock.advance(Duration.ofMillis(2));
        assertThat(cache.get("key")).isNull();
    }

    @Test
    void millisecondTimeoutsAreHonoured() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("key", "value", Duration.ofMillis(1500));
        clock.advance(Duration.ofMillis(1400));
        assertThat(cache.hasKey("key")).isTrue();
        clock.advance(Duration.ofMillis(200));
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void theDefaultTimeoutIs300Seconds() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("set", "value");
        cache.add("add", "value");
        cache.setMany(Map.of("many", "value"));
        cache.getOrSet("loaded", String.class, () -> "value");
        clock.advance(Duration.ofSeconds(299));
        assertThat(cache.getMany(List.of("set", "add", "many", "loaded"))).hasSize(4);
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.getMany(List.of("set", "add", "many", "loaded"))).isEmpty();
    }

    @Test
    void theTimeoutOptionSetsTheDefault() {
        requireStorage();
        Cache c = open(b -> b.option("timeout", shortTimeout().toMillis() + "ms"));
        c.set("default", "value");
        c.set("explicit", "value", Timeout.FOREVER);
        Lapse l = lapse(c, Timeout.DEFAULT, shortTimeout());
        assertThat(c.get("default")).isEqualTo("value");
        l.pass();
        assertThat(c.get("default")).isNull();
        assertThat(c.get("explicit")).isEqualTo("value");
    }

    @Test
    void aTimeoutOptionOfNoneMeansForever() {
        TestClock clock = requireClock();
        requireStorage();
        Cache c = open(b -> b.option("timeout", "none"));
        c.set("key", "value");
        clock.advance(Duration.ofDays(365 * 20));
        assertThat(c.get("key")).isEqualTo("value");
    }

    @Test
    void foreverNeverExpires() {
        requireStorage();
        cache.set("forever", "value", Timeout.FOREVER);
        cache.set("short", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.get("short")).isNull();
        assertThat(cache.get("forever")).isEqualTo("value");
        TestClock clock = clock();
        if (clock != null) {
            clock.advance(Duration.ofDays(365 * 50));
            assertThat(cache.get("forever")).isEqualTo("value");
        }
    }

    @Test
    void aHugeTimeoutIsForeverNotAnError() {
        requireStorage();
        assertThat(cache.set("key", "value", Duration.ofDays(365L * 1_000_000))).isTrue();
        assertThat(cache.set("max", "value", Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        assertThat(cache.get("key")).isEqualTo("value");
        assertThat(cache.get("max")).isEqualTo("value");
        TestClock clock = clock();
        if (clock != null) {
            clock.advance(Duration.ofDays(365 * 50));
            assertThat(cache.get("key")).isEqualTo("value");
            assertThat(cache.get("max")).isEqualTo("value");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -86_400, Long.MIN_VALUE})
    void zeroOrNegativeTimeoutsStoreNothingReadable(long seconds) {
        assertThat(cache.set("fresh", "value", Timeout.ofSeconds(seconds))).isTrue();
        assertThat(cache.hasKey("fresh")).isFalse();
        assertThat(cache.get("fresh")).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void setWithZeroOrNegativeTimeoutRemovesTheOldValue(long seconds) {
        requireStorage();
        cache.set("key", "old");
        assertThat(cache.set("key", "new", Timeout.ofSeconds(seconds))).isTrue();
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.add("key", "after")).isTrue();
    }

    @Test
    void eachKeyExpiresOnItsOwn() {
        requireStorage();
        cache.set("short", "S", shortTimeout());
        cache.set("long", "L", Duration.ofHours(1));
        Lapse l = lapse(shortTimeout());
        l.pass();
        // on a memcached cluster "short" and the probe may live on two servers whose whole-second clocks tick
        // apart: "short" may outlive the probe by up to a second
        await(() -> cache.get("short") == null, Duration.ofSeconds(2), "'short' to expire");
        assertThat(cache.get("long")).isEqualTo("L");
    }

    @Test
    void setResetsTheExpiry() {
        requireStorage();
        cache.set("key", "first", shortTimeout());
        Lapse l = lapse(shortTimeout());
        cache.set("key", "second", Timeout.FOREVER);
        l.pass();
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void aTimeoutIsMeasuredFromTheWriteNotTheRead() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("key", "value", Duration.ofSeconds(10));
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(cache.get("key")).isEqualTo("value");
        }
        clock.advance(Duration.ofMillis(1001));
        assertThat(cache.get("key")).isNull();
    }
}
