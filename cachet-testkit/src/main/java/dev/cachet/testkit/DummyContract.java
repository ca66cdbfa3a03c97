package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.cachet.Cache;
import dev.cachet.InvalidKeyException;
import dev.cachet.Timeout;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of the dummy backend ({@code storesValues() == false}), Django's DummyCache:
 * writes succeed, reads miss, nothing is found to delete, touch or count, yet keys and values
 * are still checked. Its tests skip on every other backend.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class DummyContract extends ConcurrencyContract {

    // =====================================================================================
    // The dummy backend (storesValues() == false): Django's DummyCache
    // =====================================================================================

    @Test
    void dummyAcceptsWritesButEveryReadMisses() {
        assumeFalse(storesValues(), "dummy backend only");
        assertThat(cache.set("key", "value")).isTrue();
        assertThat(cache.add("key", "value")).isTrue();
        assertThat(cache.add("key", "again")).as("nothing was stored, so add succeeds again").isTrue();
        assertThat(cache.get("key")).isNull();
        assertThat(cache.lookup("key").isMiss()).isTrue();
        assertThat(cache.get("key", String.class, "fallback")).isEqualTo("fallback");
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void dummySetManyReportsNoFailuresAndGetManyFindsNothing() {
        assumeFalse(storesValues(), "dummy backend only");
        assertThat(cache.setMany(Map.of("a", 1, "b", "B"))).isEmpty();
        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
    }

    @Test
    void dummyDeleteAndTouchReportNothingDone() {
        assumeFalse(storesValues(), "dummy backend only");
        cache.set("key", "value");
        assertThat(cache.touch("key")).isFalse();
        assertThat(cache.touch("key", Timeout.FOREVER)).isFalse();
        assertThat(cache.delete("key")).isFalse();
        cache.setMany(Map.of("a", 1, "b", 2));
        assertThat(cache.deleteMany(List.of("a", "b"))).isZero();
    }

    @Test
    void dummyIncrFindsNoKey() {
        assumeFalse(storesValues(), "dummy backend only");
        cache.set("n", 1);
        assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(NoSuchElementException.class).hasMessageContaining("'n'");
        assertThatThrownBy(() -> cache.decr("n")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> cache.incrVersion("n")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> cache.decrVersion("n")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void dummyGetOrSetRunsTheLoaderEveryTime() {
        assumeFalse(storesValues(), "dummy backend only");
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.getOrSet("key", String.class, () -> "run " + runs.incrementAndGet())).isEqualTo("run 1");
        assertThat(cache.getOrSet("key", String.class, () -> "run " + runs.incrementAndGet())).isEqualTo("run 2");
        assertThat(join(cache.async().getOrSet("key", String.class, () -> "run " + runs.incrementAndGet(), Timeout.DEFAULT)))
                .isEqualTo("run 3");
    }

    @Test
    void dummyStillChecksKeysAndValues() {
        assumeFalse(storesValues(), "dummy backend only");
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> strict.set("bad key", "v")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> cache.set("key", new Unlisted("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThatThrownBy(() -> cache.set(null, "v")).isInstanceOf(InvalidKeyException.class);
    }
}
