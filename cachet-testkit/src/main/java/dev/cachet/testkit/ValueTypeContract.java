package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.cachet.Lookup;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of value types: what the JDK offers (strings, bytes, numbers, dates,
 * collections, arrays...) reads back equal and of the same type, integers read back as
 * {@code Long}, and typed reads convert between integral types only, naming the key when they
 * cannot.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class ValueTypeContract extends KeyContract {

    private void assertRoundTrip(String key, Object value) {
        assertThat(cache.set(key, value)).isTrue();
        assertThat(cache.get(key)).isEqualTo(value);
        assertThat(cache.getMany(List.of(key))).containsExactly(entry(key, value));
    }

    // =====================================================================================
    // Typed reads
    // =====================================================================================

    @Test
    void integersReadBackAsLong() {
        requireStorage();
        cache.set("int", 42);
        cache.set("short", (short) 42);
        cache.set("byte", (byte) 42);
        cache.set("long", 42L);
        for (String k : List.of("int", "short", "byte", "long")) {
            assertThat(cache.get(k)).as(k).isInstanceOf(Long.class).isEqualTo(42L);
        }
    }

    @Test
    void typedReadsConvertBetweenIntegralTypes() {
        requireStorage();
        cache.set("n", 42L);
        assertThat(cache.get("n", Integer.class)).isEqualTo(42);
        assertThat(cache.get("n", Short.class)).isEqualTo((short) 42);
        assertThat(cache.get("n", Byte.class)).isEqualTo((byte) 42);
        assertThat(cache.get("n", Long.class)).isEqualTo(42L);
        assertThat(cache.get("n", int.class)).isEqualTo(42);
        assertThat(cache.get("n", long.class)).isEqualTo(42L);
        assertThat(cache.get("n", Number.class)).isEqualTo(42L);
        assertThat(cache.get("n", Object.class)).isEqualTo(42L);
    }

    @Test
    void anIntegerTooBigForTheTypeIsAClassCastNamingTheKey() {
        requireStorage();
        cache.set("big", 1L << 40);
        assertThatThrownBy(() -> cache.get("big", Integer.class)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'big'");
        cache.set("b", 300);
        assertThatThrownBy(() -> cache.get("b", Byte.class)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'b'");
        assertThat(cache.get("big", Long.class)).isEqualTo(1L << 40);
    }

    @Test
    void aTypedReadOfTheWrongTypeIsAClassCastNamingKeyAndTypes() {
        requireStorage();
        cache.set("text", "hello");
        assertThatThrownBy(() -> cache.get("text", Long.class)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'text'").hasMessageContaining("java.lang.String")
                .hasMessageContaining("java.lang.Long");
        assertThatThrownBy(() -> cache.lookup("text", Integer.class)).isInstanceOf(ClassCastException.class);
        assertThatThrownBy(() -> cache.get("text", Integer.class, 1)).isInstanceOf(ClassCastException.class);
        assertThat(cache.get("text")).isEqualTo("hello");
    }

    @Test
    void typedReadsDoNotConvertNonIntegers() {
        requireStorage();
        cache.set("d", 1.0d);
        assertThatThrownBy(() -> cache.get("d", Long.class)).isInstanceOf(ClassCastException.class);
        cache.set("n", 1L);
        assertThatThrownBy(() -> cache.get("n", Double.class)).isInstanceOf(ClassCastException.class);
        assertThatThrownBy(() -> cache.get("n", String.class)).isInstanceOf(ClassCastException.class);
    }

    // =====================================================================================
    // Value types
    // =====================================================================================

    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of(Named.of("empty", "")),
                Arguments.of(Named.of("ascii", "hello, world")),
                Arguments.of(Named.of("unicode", "Iñtërnâtiônàlizætiøn ☃ 日本語 кириллица")),
                Arguments.of(Named.of("emoji", "😀🔑👩‍👩‍👧‍👦")),
                Arguments.of(Named.of("control characters", "nul\u0000tab\tnewline\n\u007f")),
                Arguments.of(Named.of("digits", "12345")),
                Arguments.of(Named.of("negative digits", "-42")),
                Arguments.of(Named.of("envelope byte", "\u00c1\u0001x")),
                Arguments.of(Named.of("10k characters", randomText(10_000, 7))));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.ValueTypeContract#strings")
    void stringsRoundTripExactly(String value) {
        requireStorage();
        assertRoundTrip("s", value);
        assertThat(cache.get("s")).isInstanceOf(String.class);
    }

    @Test
    void theEmptyStringIsAHitNotAMiss() {
        requireStorage();
        cache.set("empty", "");
        assertThat(cache.lookup("empty")).isEqualTo(Lookup.hit(""));
        assertThat(cache.get("empty", String.class, "fallback")).isEqualTo("");
    }

    @Test
    void byteArraysRoundTripExactly() {
        requireStorage();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        for (byte[] value : List.of(new byte[0], all, "42".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC1},
                randomBytes(10_000, 3))) {
            cache.set("bytes", value);
            assertThat(cache.get("bytes")).isInstanceOf(byte[].class);
            assertThat(cache.get("bytes", byte[].class)).containsExactly(value);
        }
    }

    @Test
    void longsKeepTheirFullRange() {
        requireStorage();
        for (long n : new long[] {0, -1, 1, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertRoundTrip("n", n);
        }
    }

    @Test
    void booleansRoundTrip() {
        requireStorage();
        assertRoundTrip("t", true);
        assertRoundTrip("f", false);
        assertThat(cache.get("f", Boolean.class)).isFalse();
    }

    @Test
    void floatingPointRoundTripsIncludingSpecialValues() {
        requireStorage();
        for (double d : new double[] {0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE}) {
            assertRoundTrip("d", d);
        }
        assertRoundTrip("f", 1.5f);
        assertThat(cache.get("f")).isInstanceOf(Float.class);
    }

    @Test
    void bigNumbersKeepScaleAndPrecision() {
        requireStorage();
        assertRoundTrip("decimal", new BigDecimal("1.10"));
        assertThat(cache.get("decimal", BigDecimal.class).scale()).isEqualTo(2);
        assertRoundTrip("huge", new BigInteger("123456789012345678901234567890"));
        assertRoundTrip("tiny", new BigDecimal("-1E-400"));
    }

    @Test
    void charactersAndOtherBoxesRoundTrip() {
        requireStorage();
        assertRoundTrip("char", 'é');
        assertThat(cache.get("char")).isInstanceOf(Character.class);
    }

    @Test
    void jdkValueTypesRoundTrip() {
        requireStorage();
        assertRoundTrip("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertRoundTrip("instant", Instant.parse("2024-02-29T12:34:56.789Z"));
        assertRoundTrip("date", LocalDate.of(2024, 2, 29));
        assertRoundTrip("datetime", LocalDateTime.of(2024, 2, 29, 1, 2, 3));
        assertRoundTrip("zoned", ZonedDateTime.of(2024, 2, 29, 1, 2, 3, 0, ZoneOffset.ofHours(2)));
        assertRoundTrip("duration", Duration.ofMillis(1234));
        assertRoundTrip("enum", DayOfWeek.FRIDAY);
        assertThat(cache.get("enum")).isSameAs(DayOfWeek.FRIDAY);
    }

    @Test
    void listsRoundTripInOrder() {
        requireStorage();
        assertRoundTrip("list", new ArrayList<>(List.of("b", "a", "c")));
        assertRoundTrip("immutable", List.of(3, 1, 2));
        assertRoundTrip("empty", List.of());
        assertRoundTrip("withNull", Arrays.asList("a", null, "b"));
    }

    @Test
    void mapsRoundTrip() {
        requireStorage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", "two");
        m.put("null", null);
        assertRoundTrip("linked", m);
        assertThat(((Map<?, ?>) cache.get("linked")).keySet().toArray()).containsExactly("z", "a", "null");
        assertRoundTrip("immutable", Map.of("k", 1L));
        assertRoundTrip("sorted", new TreeMap<>(Map.of("b", 2, "a", 1)));
    }

    @Test
    void setsRoundTrip() {
        requireStorage();
        assertRoundTrip("hash", new HashSet<>(Set.of(1, 2, 3)));
        assertRoundTrip("linked", new LinkedHashSet<>(List.of("c", "a", "b")));
        assertThat(((Set<?>) cache.get("linked")).toArray()).containsExactly("c", "a", "b");
        assertRoundTrip("tree", new TreeSet<>(Set.of("x", "y")));
        assertRoundTrip("immutable", Set.of(1L));
    }

    @Test
    void nestedCollectionsRoundTrip() {
        requireStorage();
        Map<String, List<Map<String, Set<Long>>>> nested = new HashMap<>();
        nested.put("outer", List.of(Map.of("inner", Set.of(1L, 2L)), Map.of()));
        nested.put("empty", new ArrayList<>());
        assertRoundTrip("nested", nested);
        assertRoundTrip("unmodifiable", Collections.unmodifiableList(new ArrayList<>(List.of(List.of("x")))));
    }

    @Test
    void arraysRoundTrip() {
        requireStorage();
        cache.set("ints", new int[] {1, 2, 3});
        cache.set("strings", new String[] {"a", null, "c"});
        cache.set("longs", new long[0]);
        assertThat(cache.get("ints", int[].class)).containsExactly(1, 2, 3);
        assertThat(cache.get("strings", String[].class)).containsExactly("a", null, "c");
        assertThat(cache.get("longs", long[].class)).isEmpty();
    }
}
