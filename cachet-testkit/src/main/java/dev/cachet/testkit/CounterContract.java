package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of counters and versions: {@code incr} and {@code decr} are exact on every
 * integral value, refuse what is not one and keep the expiry; a version (the {@code version}
 * option, {@code withVersion}) names entries apart, and {@code incrVersion}/{@code decrVersion}
 * move a value between versions.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class CounterContract extends BulkContract {

    // =====================================================================================
    // incr, decr
    // =====================================================================================

    @Test
    void incrAddsOne() {
        requireStorage();
        cache.set("n", 1);
        assertThat(cache.incr("n")).isEqualTo(2);
        assertThat(cache.get("n")).isEqualTo(2L);
    }

    @Test
    void incrAddsADelta() {
        requireStorage();
        cache.set("n", 1);
        assertThat(cache.incr("n", 10)).isEqualTo(11);
        assertThat(cache.incr("n", -20)).isEqualTo(-9);
        assertThat(cache.incr("n", 0)).isEqualTo(-9);
        assertThat(cache.get("n")).isEqualTo(-9L);
    }

    @Test
    void decrSubtracts() {
        requireStorage();
        cache.set("n", 10);
        assertThat(cache.decr("n")).isEqualTo(9);
        assertThat(cache.decr("n", 4)).isEqualTo(5);
        assertThat(cache.decr("n", -5)).isEqualTo(10);
        assertThat(cache.get("n")).isEqualTo(10L);
    }

    @Test
    void decrGoesBelowZero() {
        requireStorage();
        cache.set("n", 1);
        assertThat(cache.decr("n", 3)).isEqualTo(-2);
        assertThat(cache.get("n")).isEqualTo(-2L);
        assertThat(cache.incr("n", 5)).isEqualTo(3);
    }

    @Test
    void incrOfAMissingKeyThrowsNamingTheKey() {
        assertThatThrownBy(() -> cache.incr("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThatThrownBy(() -> cache.decr("missing", 2)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThat(cache.hasKey("missing")).isFalse();
    }

    @Test
    void incrOfAnExpiredKeyThrows() {
        requireStorage();
        cache.set("n", 1, shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(NoSuchElementException.class);
    }

    static Stream<Arguments> nonIntegers() {
        return Stream.of(
                Arguments.of(Named.of("text", "abc")),
                Arguments.of(Named.of("numeric text", "12")),
                Arguments.of(Named.of("double", 1.5d)),
                Arguments.of(Named.of("BigInteger", BigInteger.TEN)),
                Arguments.of(Named.of("bytes of digits", "12".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of(Named.of("list", List.of(1L))),
                Arguments.of(Named.of("boolean", true)));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CounterContract#nonIntegers")
    void incrOfANonIntegerThrowsAndLeavesTheValue(Object value) {
        requireStorage();
        cache.set("v", value);
        assertThatThrownBy(() -> cache.incr("v")).isInstanceOf(NotAnIntegerException.class)
                .hasMessageContaining("'v'");
        assertThatThrownBy(() -> cache.decr("v")).isInstanceOf(NotAnIntegerException.class);
        assertThat(cache.get("v")).isEqualTo(value);
    }

    @Test
    void incrOverflowThrowsAndLeavesTheValue() {
        requireStorage();
        cache.set("max", Long.MAX_VALUE);
        assertThatThrownBy(() -> cache.incr("max")).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("'max'");
        assertThat(cache.get("max")).isEqualTo(Long.MAX_VALUE);
        cache.set("min", Long.MIN_VALUE);
        assertThatThrownBy(() -> cache.decr("min")).isInstanceOf(ArithmeticException.class);
        assertThat(cache.get("min")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void incrReachesTheLongBounds() {
        requireStorage();
        cache.set("n", Long.MAX_VALUE - 1);
        assertThat(cache.incr("n")).isEqualTo(Long.MAX_VALUE);
        cache.set("m", Long.MIN_VALUE + 1);
        assertThat(cache.decr("m")).isEqualTo(Long.MIN_VALUE);
        assertThat(cache.get("m")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void decrByLongMinValueIsRefused() {
        requireStorage();
        cache.set("n", 0);
        assertThatThrownBy(() -> cache.decr("n", Long.MIN_VALUE)).isInstanceOf(ArithmeticException.class);
        assertThat(cache.get("n")).isEqualTo(0L);
        assertThat(cache.incr("n", Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void incrKeepsTheExpiry() {
        requireStorage();
        cache.set("n", 1, shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.incr("n")).isEqualTo(2);
        l.pass();
        assertThat(cache.hasKey("n")).isFalse();
    }

    @Test
    void incrKeepsAForeverEntryForever() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("n", 1, Timeout.FOREVER);
        cache.incr("n");
        clock.advance(Duration.ofDays(3650));
        assertThat(cache.get("n")).isEqualTo(2L);
    }

    @Test
    void incrWorksOnEveryIntegralType() {
        requireStorage();
        cache.set("byte", (byte) 1);
        cache.set("short", (short) 2);
        cache.set("int", 3);
        cache.set("long", 4L);
        assertThat(cache.incr("byte")).isEqualTo(2);
        assertThat(cache.incr("short")).isEqualTo(3);
        assertThat(cache.incr("int")).isEqualTo(4);
        assertThat(cache.incr("long")).isEqualTo(5);
    }

    @Test
    void incrWorksOnValuesStoredBySetManyAddAndGetOrSet() {
        requireStorage();
        cache.setMany(Map.of("many", 1));
        cache.add("added", 1);
        cache.getOrSet("loaded", Integer.class, () -> 1);
        assertThat(cache.incr("many")).isEqualTo(2);
        assertThat(cache.incr("added")).isEqualTo(2);
        assertThat(cache.incr("loaded")).isEqualTo(2);
    }

    // =====================================================================================
    // Versions
    // =====================================================================================

    @Test
    void withVersionIsolatesValues() {
        requireStorage();
        Cache v2 = cache.withVersion(2);
        cache.set("key", "one");
        assertThat(v2.get("key")).isNull();
        v2.set("key", "two");
        assertThat(cache.get("key")).isEqualTo("one");
        assertThat(v2.get("key")).isEqualTo("two");
        v2.delete("key");
        assertThat(cache.get("key")).isEqualTo("one");
    }

    @Test
    void withVersionGivesAViewOfThatVersion() {
        Cache v5 = cache.withVersion(5);
        assertThat(v5.version()).isEqualTo(5);
        assertThat(v5.name()).isEqualTo(cache.name());
        assertThat(cache.version()).isEqualTo(1);
        assertThat(cache.withVersion(1).version()).isEqualTo(1);
        assertThat(v5.withVersion(1).version()).isEqualTo(1);
    }

    @Test
    void withVersionSharesStorageWithTheCache() {
        requireStorage();
        Cache v2 = cache.withVersion(2);
        v2.set("key", "two");
        assertThat(cache.withVersion(2).get("key")).isEqualTo("two");
        cache.clear();
        assertThat(v2.get("key")).isNull();
    }

    @Test
    void theVersionOptionVersionsKeys() {
        requireStorage();
        Cache v3 = open(b -> b.option("version", 3));
        assertThat(v3.version()).isEqualTo(3);
        v3.set("key", "three");
        assertThat(v3.withVersion(1).get("key")).isNull();
        assertThat(v3.withVersion(3).get("key")).isEqualTo("three");
    }

    @Test
    void theVersionOptionAndWithVersionNameTheSameEntries() {
        requireStorage();
        assumeTrue(sharesStorage(), "needs caches that share storage");
        Cache v3 = open(b -> b.option("version", 3));
        v3.set("key", "three");
        assertThat(cache.get("key")).isNull();
        assertThat(cache.withVersion(3).get("key")).isEqualTo("three");
    }

    @Test
    void incrVersionMovesTheValueUp() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.incrVersion("key")).isEqualTo(2);
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.withVersion(2).get("key")).isEqualTo("value");
        assertThat(cache.withVersion(2).incrVersion("key", 3)).isEqualTo(5);
        assertThat(cache.withVersion(2).hasKey("key")).isFalse();
        assertThat(cache.withVersion(5).get("key")).isEqualTo("value");
    }

    @Test
    void decrVersionMovesTheValueDown() {
        requireStorage();
        Cache v3 = cache.withVersion(3);
        v3.set("key", "value");
        assertThat(v3.decrVersion("key")).isEqualTo(2);
        assertThat(v3.hasKey("key")).isFalse();
        assertThat(cache.withVersion(2).get("key")).isEqualTo("value");
        assertThat(cache.withVersion(2).decrVersion("key", 1)).isEqualTo(1);
        assertThat(cache.get("key")).isEqualTo("value");
    }

    @Test
    void incrVersionOfAMissingKeyThrowsNamingTheKey() {
        assertThatThrownBy(() -> cache.incrVersion("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThatThrownBy(() -> cache.decrVersion("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThat(cache.withVersion(2).hasKey("missing")).isFalse();
        assertThat(cache.withVersion(0).hasKey("missing")).isFalse();
    }

    @Test
    void incrVersionReplacesAValueAtTheTargetVersion() {
        requireStorage();
        cache.set("key", "new");
        cache.withVersion(2).set("key", "stale");
        assertThat(cache.incrVersion("key")).isEqualTo(2);
        assertThat(cache.withVersion(2).get("key")).isEqualTo("new");
    }

    @Test
    void incrVersionMovesNullsAndCounters() {
        requireStorage();
        cache.set("null", null);
        cache.set("n", 5);
        cache.incrVersion("null");
        cache.incrVersion("n");
        Cache v2 = cache.withVersion(2);
        assertThat(v2.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(v2.incr("n")).isEqualTo(6);
    }

    @Test
    void incrVersionByZeroKeepsTheValueInPlace() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.incrVersion("key", 0)).isEqualTo(1);
        assertThat(cache.get("key")).isEqualTo("value");
    }

    @Test
    void incrVersionStartsFromTheVersionOption() {
        requireStorage();
        Cache v3 = open(b -> b.option("version", 3));
        v3.set("key", "value");
        assertThat(v3.incrVersion("key")).isEqualTo(4);
        assertThat(v3.withVersion(4).get("key")).isEqualTo("value");
    }
}
