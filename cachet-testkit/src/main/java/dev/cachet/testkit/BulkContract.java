package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.cachet.Lookup;
import dev.cachet.Timeout;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of the operations on many keys: {@code getMany} returns the hits in the order
 * asked, {@code setMany} stores every entry and reports no failures, {@code deleteMany} counts
 * the keys it found, all of them naming user keys even when the stored keys are hashed.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class BulkContract extends GetOrSetContract {

    // =====================================================================================
    // getMany, setMany, deleteMany
    // =====================================================================================

    @Test
    void getManyReturnsHitsInTheOrderAsked() {
        requireStorage();
        cache.set("a", "A");
        cache.set("b", "B");
        cache.set("c", "C");
        assertThat(cache.getMany(List.of("c", "a", "b"))).containsExactly(entry("c", "C"), entry("a", "A"), entry("b", "B"));
        assertThat(cache.getMany(List.of("b", "c", "a")).keySet()).containsExactly("b", "c", "a");
    }

    @Test
    void getManyLeavesOutMisses() {
        requireStorage();
        cache.set("a", "A");
        cache.set("d", "D");
        assertThat(cache.getMany(List.of("a", "b", "c", "d"))).containsExactly(entry("a", "A"), entry("d", "D"));
        assertThat(cache.getMany(List.of("x", "y"))).isEmpty();
    }

    @Test
    void getManyOfNoKeysIsEmpty() {
        assertThat(cache.getMany(List.of())).isEmpty();
    }

    @Test
    void getManyWithRepeatedKeysReturnsEachOnce() {
        requireStorage();
        cache.set("a", "A");
        assertThat(cache.getMany(List.of("a", "a", "a"))).containsExactly(entry("a", "A"));
    }

    @Test
    void getManyLeavesOutExpiredKeys() {
        requireStorage();
        cache.set("short", "S", shortTimeout());
        cache.set("long", "L", Timeout.FOREVER);
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.getMany(List.of("short", "long"))).containsExactly(entry("long", "L"));
    }

    @Test
    void typedGetManyConvertsAndNamesTheKeyOnAMismatch() {
        requireStorage();
        cache.set("a", 1);
        cache.set("b", 2);
        assertThat(cache.getMany(List.of("a", "b"), Integer.class)).containsExactly(entry("a", 1), entry("b", 2));
        cache.set("c", "text");
        assertThatThrownBy(() -> cache.getMany(List.of("a", "c"), Integer.class))
                .isInstanceOf(ClassCastException.class).hasMessageContaining("'c'");
    }

    @Test
    void setManyStoresEveryEntryAndReportsNoFailures() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", "A");
        values.put("b", 2);
        values.put("c", List.of("x", "y"));
        assertThat(cache.setMany(values)).isEmpty();
        if (storesValues()) {
            assertThat(cache.getMany(List.of("a", "b", "c")))
                    .containsExactly(entry("a", "A"), entry("b", 2L), entry("c", List.of("x", "y")));
        }
    }

    @Test
    void setManyReplacesValues() {
        requireStorage();
        cache.set("a", "old");
        cache.setMany(Map.of("a", "new", "b", "B"));
        assertThat(cache.get("a")).isEqualTo("new");
        assertThat(cache.get("b")).isEqualTo("B");
    }

    @Test
    void setManyStoresNullValues() {
        requireStorage();
        Map<String, Object> values = new HashMap<>();
        values.put("null", null);
        values.put("one", 1);
        assertThat(cache.setMany(values)).isEmpty();
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(cache.get("one")).isEqualTo(1L);
    }

    @Test
    void setManyOfNothingIsEmpty() {
        assertThat(cache.setMany(Map.of())).isEmpty();
        assertThat(cache.setMany(Map.of(), Timeout.ofSeconds(0))).isEmpty();
    }

    @Test
    void setManyWithATimeoutExpires() {
        requireStorage();
        cache.setMany(Map.of("a", "A", "b", "B"), Timeout.of(shortTimeout()));
        Lapse l = lapse(shortTimeout());
        assertThat(cache.getMany(List.of("a", "b"))).hasSize(2);
        l.pass();
        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void setManyWithZeroOrNegativeTimeoutStoresNothingAndRemovesOldValues(long seconds) {
        cache.set("a", "old");
        assertThat(cache.setMany(Map.of("a", "A", "b", "B"), Timeout.ofSeconds(seconds))).isEmpty();
        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
        assertThat(cache.hasKey("a")).isFalse();
    }

    @Test
    void deleteManyRemovesTheKeysAndCountsTheReadableOnes() {
        requireStorage();
        cache.setMany(Map.of("a", 1, "b", 2, "c", 3));
        assertThat(cache.deleteMany(List.of("a", "b", "missing"))).isEqualTo(2);
        assertThat(cache.getMany(List.of("a", "b", "c"))).containsExactly(entry("c", 3L));
        assertThat(cache.deleteMany(List.of("a", "b"))).isZero();
    }

    @Test
    void deleteManyCountsARepeatedKeyOnce() {
        requireStorage();
        cache.set("a", 1);
        assertThat(cache.deleteMany(List.of("a", "a"))).isEqualTo(1);
    }

    @Test
    void deleteManyOfNothingIsZero() {
        assertThat(cache.deleteMany(List.of())).isZero();
    }

    @Test
    void manyOperationsReportUserKeysEvenWhenKeysAreHashed() {
        requireStorage();
        String spaced = "a key with spaces";
        String longKey = "k".repeat(400);
        assertThat(cache.setMany(Map.of(spaced, "S", longKey, "L"))).isEmpty();
        assertThat(cache.getMany(List.of(longKey, spaced))).containsExactly(entry(longKey, "L"), entry(spaced, "S"));
        assertThat(cache.deleteMany(List.of(spaced, longKey))).isEqualTo(2);
    }
}
