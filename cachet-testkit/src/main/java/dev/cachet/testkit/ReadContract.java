package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of reading one key: {@code get} with and without a default, {@code lookup}
 * telling a hit from a miss, {@code set} then {@code get}, and a stored {@code null} being a hit
 * everywhere a value is.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class ReadContract extends ContractFixture {

    // =====================================================================================
    // get, lookup, set
    // =====================================================================================

    @Test
    void getOfAMissingKeyIsNull() {
        assertThat(cache.get("missing")).isNull();
        assertThat(cache.get("missing", String.class)).isNull();
    }

    @Test
    void getWithDefaultReturnsTheDefaultOnAMiss() {
        assertThat(cache.get("missing", String.class, "fallback")).isEqualTo("fallback");
        assertThat(cache.get("missing", Long.class, 42L)).isEqualTo(42L);
    }

    @Test
    void setThenGetReturnsTheValue() {
        requireStorage();
        assertThat(cache.set("key", "value")).isTrue();
        assertThat(cache.get("key")).isEqualTo("value");
        assertThat(cache.get("key", String.class)).isEqualTo("value");
    }

    @Test
    void getWithDefaultReturnsTheValueOnAHit() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.get("key", String.class, "fallback")).isEqualTo("value");
    }

    @Test
    void setReplacesTheValue() {
        requireStorage();
        cache.set("key", "first");
        assertThat(cache.set("key", "second")).isTrue();
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void setReportsSuccess() {
        assertThat(cache.set("key", "value")).isTrue();
        assertThat(cache.set("key", "value", Timeout.FOREVER)).isTrue();
        assertThat(cache.set("key", "value", Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void lookupTellsAHitFromAMiss() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.lookup("key")).isEqualTo(Lookup.hit("value"));
        assertThat(cache.lookup("key").isHit()).isTrue();
        assertThat(cache.lookup("missing")).isEqualTo(Lookup.miss());
        assertThat(cache.lookup("missing").isMiss()).isTrue();
    }

    @Test
    void typedLookupConvertsAndMisses() {
        requireStorage();
        cache.set("n", 7);
        assertThat(cache.lookup("n", Integer.class)).isEqualTo(Lookup.hit(7));
        assertThat(cache.lookup("missing", Integer.class).isMiss()).isTrue();
    }

    @Test
    void keysAreDistinct() {
        requireStorage();
        cache.set("a", "A");
        cache.set("b", "B");
        cache.set("A", "upper");
        assertThat(cache.get("a")).isEqualTo("A");
        assertThat(cache.get("b")).isEqualTo("B");
        assertThat(cache.get("A")).isEqualTo("upper");
    }

    @Test
    void nameAndVersionAreTheConfiguredOnes() {
        assertThat(cache.name()).isEqualTo("contract");
        assertThat(cache.version()).isEqualTo(1);
        Cache named = open(b -> b.name("pages").option("version", 7));
        assertThat(named.name()).isEqualTo("pages");
        assertThat(named.version()).isEqualTo(7);
    }

    // =====================================================================================
    // Stored null
    // =====================================================================================

    @Test
    void storedNullIsAHit() {
        requireStorage();
        assertThat(cache.set("null", null)).isTrue();
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(cache.lookup("null", String.class)).isEqualTo(Lookup.hit(null));
        assertThat(cache.get("null")).isNull();
    }

    @Test
    void storedNullBeatsTheDefault() {
        requireStorage();
        cache.set("null", null);
        assertThat(cache.get("null", String.class, "fallback")).isNull();
    }

    @Test
    void storedNullCountsForHasKey() {
        requireStorage();
        cache.set("null", null);
        assertThat(cache.hasKey("null")).isTrue();
    }

    @Test
    void storedNullIsInGetMany() {
        requireStorage();
        cache.set("null", null);
        Map<String, Object> found = cache.getMany(List.of("null", "missing"));
        assertThat(found).containsOnlyKeys("null");
        assertThat(found.get("null")).isNull();
    }

    @Test
    void storedNullBlocksAddAndCanBeDeleted() {
        requireStorage();
        cache.set("null", null);
        assertThat(cache.add("null", "other")).isFalse();
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(cache.delete("null")).isTrue();
        assertThat(cache.lookup("null").isMiss()).isTrue();
    }

    @Test
    void storedNullIsNotAnInteger() {
        requireStorage();
        cache.set("null", null);
        assertThatThrownBy(() -> cache.incr("null")).isInstanceOf(NotAnIntegerException.class)
                .hasMessageContaining("'null'");
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
    }
}
