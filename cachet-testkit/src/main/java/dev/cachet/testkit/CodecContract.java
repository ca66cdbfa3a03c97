package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import dev.cachet.testkit.fixtures.Basket;
import dev.cachet.testkit.fixtures.Color;
import dev.cachet.testkit.fixtures.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of values through the codec: user classes are stored only when
 * {@code codec_allow} names them, a refused value fails the write naming its class and stores
 * nothing, stored values are copies (or the very objects when kept by reference), and large
 * values (chunked where a backend limits item size) and compressed ones read back whole.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class CodecContract extends ValueTypeContract {

    // =====================================================================================
    // Allowed and refused classes, copies and references
    // =====================================================================================

    private Cache withFixturesAllowed() {
        return open(b -> b.option("codec_allow", "dev.cachet.testkit.fixtures.*"));
    }

    @Test
    void allowedUserClassesRoundTrip() {
        requireSerialization(); // codec options apply where values are encoded
        Cache c = withFixturesAllowed();
        Point p = new Point(3, -4);
        Basket basket = new Basket("ann").add(p, Color.RED).add(new Point(0, 0), Color.BLUE);
        c.set("point", p);
        c.set("basket", basket);
        c.set("blue", Color.BLUE);
        c.set("list", List.of(p, Color.GREEN));
        assertThat(c.get("point")).isEqualTo(p);
        assertThat(c.get("basket", Basket.class)).isEqualTo(basket);
        assertThat(c.get("blue")).isSameAs(Color.BLUE);
        assertThat(c.get("list")).isEqualTo(List.of(p, Color.GREEN));
    }

    @Test
    void anExactClassNameInCodecAllowAllowsThatClassOnly() {
        requireSerialization();
        Cache c = open(b -> b.option("codec_allow", Point.class.getName()));
        c.set("point", new Point(1, 2));
        assertThat(c.get("point")).isEqualTo(new Point(1, 2));
        assertThatThrownBy(() -> c.set("basket", new Basket("bob"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Basket.class.getName());
    }

    @Test
    void userClassesAreRefusedWithoutCodecAllow() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThatThrownBy(() -> cache.set("point", new Point(1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Point.class.getName()).hasMessageContaining("codec_allow");
        assertThat(cache.hasKey("point")).isFalse();
    }

    @Test
    void aClassOutsideTheAllowListFailsSetNamingItAndStoresNothing() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Cache c = withFixturesAllowed();
        c.set("key", "previous");
        assertThatThrownBy(() -> c.set("key", new Unlisted("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThatThrownBy(() -> c.add("fresh", new Unlisted("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(c.hasKey("fresh")).isFalse();
        if (storesValues()) {
            assertThat(c.get("key")).isEqualTo("previous");
        }
    }

    @Test
    void aRefusedClassFailsEvenWithAZeroTimeout() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Cache c = withFixturesAllowed();
        c.set("key", "previous");
        assertThatThrownBy(() -> c.set("key", new Unlisted("x"), Timeout.ofSeconds(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Unlisted.class.getName());
        assertThatThrownBy(() -> c.add("fresh", new Unlisted("x"), Timeout.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Unlisted.class.getName());
        if (storesValues()) {
            assertThat(c.get("key")).as("a refused write loses nothing").isEqualTo("previous");
        }
    }

    @Test
    void aRefusedClassDeepInsideAValueIsRefused() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Cache c = withFixturesAllowed();
        Map<String, Object> value = Map.of("ok", List.of(new Point(1, 1), List.of(new Unlisted("deep"))));
        assertThatThrownBy(() -> c.set("key", value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(c.hasKey("key")).isFalse();
    }

    @Test
    void aNonSerializableClassIsRefusedNamingIt() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThatThrownBy(() -> cache.set("key", new NotSerializable())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NotSerializable.class.getName());
        assertThatThrownBy(() -> cache.set("key", List.of(new NotSerializable())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(NotSerializable.class.getName());
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void aRefusedValueInSetManyStoresNone() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("first", "fine");
        values.put("bad", new Unlisted("x"));
        values.put("last", "fine");
        assertThatThrownBy(() -> cache.setMany(values)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(cache.getMany(List.of("first", "bad", "last"))).isEmpty();
    }

    @Test
    void aRefusedLoaderResultPropagatesFromGetOrSet() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThatThrownBy(() -> cache.getOrSet("key", Object.class, () -> new Unlisted("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Unlisted.class.getName());
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void storedValuesAreCopiesIsolatedFromTheCaller() {
        requireSerialization();
        List<String> list = new ArrayList<>(List.of("a"));
        byte[] bytes = {1, 2, 3};
        cache.set("list", list);
        cache.set("bytes", bytes);
        list.add("b");
        bytes[0] = 9;
        assertThat(cache.get("list")).isEqualTo(List.of("a")).isNotSameAs(list);
        byte[] read = cache.get("bytes", byte[].class);
        assertThat(read).containsExactly(1, 2, 3);
        read[1] = 9;
        assertThat(cache.get("bytes", byte[].class)).containsExactly(1, 2, 3);
    }

    @Test
    void byReferenceValuesAreTheVerySameObjects() {
        requireStorage();
        assumeFalse(serializesValues(), "only for backends that keep values by reference");
        List<String> list = new ArrayList<>(List.of("a"));
        NotSerializable anything = new NotSerializable();
        cache.set("list", list);
        cache.set("anything", anything);
        assertThat(cache.get("list")).isSameAs(list);
        assertThat(cache.get("anything")).isSameAs(anything);
    }

    // =====================================================================================
    // Large values and compression
    // =====================================================================================

    @Test
    void aOneMegabyteStringRoundTrips() {
        requireStorage();
        String big = randomText(1 << 20, 11);
        assertThat(cache.set("big", big)).isTrue();
        assertThat(cache.get("big")).isEqualTo(big);
        cache.delete("big");
        assertThat(cache.hasKey("big")).isFalse();
    }

    @Test
    void fiveMegabytesOfRandomBytesRoundTrip() {
        requireStorage();
        byte[] big = randomBytes(5 << 20, 13);
        assertThat(cache.set("big", big)).isTrue();
        assertThat(cache.get("big", byte[].class)).isEqualTo(big);
        assertThat(cache.delete("big")).isTrue();
        assertThat(cache.get("big")).isNull();
    }

    @Test
    void largeValuesGoThroughSetManyAndGetMany() {
        requireStorage();
        byte[] a = randomBytes(300_000, 17);
        String b = randomText(200_000, 19);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", a);
        values.put("small", 1);
        values.put("b", b);
        assertThat(cache.setMany(values)).isEmpty();
        Map<String, Object> read = cache.getMany(List.of("b", "missing", "small", "a"));
        assertThat(read.keySet()).containsExactly("b", "small", "a");
        assertThat((byte[]) read.get("a")).isEqualTo(a);
        assertThat(read.get("b")).isEqualTo(b);
        assertThat(read.get("small")).isEqualTo(1L);
        assertThat(cache.deleteMany(List.of("a", "b", "small"))).isEqualTo(3);
    }

    @Test
    void addOfALargeValueRespectsAnExistingOne() {
        requireStorage();
        byte[] first = randomBytes(200_000, 23);
        byte[] second = randomBytes(200_000, 29);
        assertThat(cache.add("big", first)).isTrue();
        assertThat(cache.add("big", second)).isFalse();
        assertThat(cache.get("big", byte[].class)).isEqualTo(first);
        cache.delete("big");
    }

    @Test
    void largeAndSmallValuesReplaceEachOther() {
        requireStorage();
        byte[] big = randomBytes(200_000, 31);
        cache.set("key", big);
        cache.set("key", "small");
        assertThat(cache.get("key")).isEqualTo("small");
        cache.set("key", big);
        assertThat(cache.get("key", byte[].class)).isEqualTo(big);
        byte[] other = randomBytes(150_000, 37);
        cache.set("key", other);
        assertThat(cache.get("key", byte[].class)).isEqualTo(other);
        cache.delete("key");
    }

    @Test
    void aLargeValueExpiresAndTouchKeepsItWhole() {
        requireStorage();
        byte[] big = randomBytes(200_000, 41);
        cache.set("touched", big, shortTimeout());
        cache.set("expiring", big, shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.touch("touched", Timeout.FOREVER)).isTrue();
        l.pass();
        assertThat(cache.get("touched", byte[].class)).isEqualTo(big);
        assertThat(cache.hasKey("expiring")).isFalse();
        assertThat(cache.get("expiring")).isNull();
        cache.delete("touched");
    }

    @Test
    void largeValuesMoveWithIncrVersion() {
        requireStorage();
        String big = randomText(300_000, 43);
        cache.set("big", big);
        assertThat(cache.incrVersion("big")).isEqualTo(2);
        assertThat(cache.withVersion(2).get("big")).isEqualTo(big);
        assertThat(cache.get("big")).isNull();
        cache.withVersion(2).delete("big");
    }

    @Test
    void compressionOnAndOffGiveEqualValues() {
        requireSerialization(); // codec options apply where values are encoded
        Cache plain = open(prefix + "-plain", b -> b.option("compression", "none"));
        Cache deflated = open(prefix + "-deflated", b -> b.option("compression", "deflate").option("compress_threshold", 0));
        List<Object> values = List.of("x".repeat(200_000), randomText(50_000, 47), randomBytes(100_000, 53),
                "short", new byte[] {0}, List.of("abc".repeat(10_000), 42L), Map.of("k", "v".repeat(5000)));
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            plain.set("v" + i, v);
            deflated.set("v" + i, v);
            assertThat(plain.get("v" + i)).as("uncompressed #%d", i).isEqualTo(v);
            assertThat(deflated.get("v" + i)).as("compressed #%d", i).isEqualTo(v);
        }
    }

    @Test
    void compressionLevelsAllRoundTrip() {
        requireSerialization(); // codec options apply where values are encoded
        String text = "the quick brown fox ".repeat(10_000);
        for (int level : new int[] {0, 1, 9}) {
            Cache c = open(prefix + "-level" + level, b -> b.option("compress_level", level));
            c.set("text", text);
            assertThat(c.get("text")).as("level %d", level).isEqualTo(text);
        }
    }
}
