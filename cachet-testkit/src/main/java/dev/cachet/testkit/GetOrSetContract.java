package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cachet.Lookup;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@code getOrSet}: the loader runs on a miss only, its result (even
 * {@code null}) is stored with the given timeout, its exceptions propagate and store nothing,
 * and a loader that calls {@code getOrSet} on its own key fails instead of deadlocking.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class GetOrSetContract extends WriteContract {

    // =====================================================================================
    // getOrSet
    // =====================================================================================

    @Test
    void getOrSetRunsTheLoaderOnAMissAndStoresItsResult() {
        requireStorage();
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.getOrSet("key", String.class, () -> {
            runs.incrementAndGet();
            return "loaded";
        })).isEqualTo("loaded");
        assertThat(runs).hasValue(1);
        assertThat(cache.get("key")).isEqualTo("loaded");
    }

    @Test
    void getOrSetSkipsTheLoaderOnAHit() {
        requireStorage();
        cache.set("key", "stored");
        assertThat(cache.getOrSet("key", String.class, () -> {
            throw new AssertionError("loader ran on a hit");
        })).isEqualTo("stored");
    }

    @Test
    void getOrSetStoresANullResult() {
        requireStorage();
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.getOrSet("key", String.class, () -> {
            runs.incrementAndGet();
            return null;
        })).isNull();
        assertThat(cache.getOrSet("key", String.class, () -> {
            runs.incrementAndGet();
            return "second";
        })).isNull();
        assertThat(runs).hasValue(1);
        assertThat(cache.lookup("key")).isEqualTo(Lookup.hit(null));
    }

    @Test
    void getOrSetPropagatesLoaderExceptionsAndStoresNothing() {
        assertThatThrownBy(() -> cache.getOrSet("key", String.class, () -> {
            throw new IllegalStateException("loader failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("loader failed");
        assertThat(cache.hasKey("key")).isFalse();
        if (storesValues()) {
            assertThat(cache.getOrSet("key", String.class, () -> "recovered")).isEqualTo("recovered");
            assertThat(cache.get("key")).isEqualTo("recovered");
        }
    }

    @Test
    void getOrSetReturnsAValueStoredMeanwhile() {
        requireStorage();
        String result = cache.getOrSet("key", String.class, () -> {
            cache.set("key", "other writer");
            return "mine";
        });
        assertThat(result).isEqualTo("other writer");
        assertThat(cache.get("key")).isEqualTo("other writer");
    }

    @Test
    void getOrSetConvertsToTheRequestedType() {
        requireStorage();
        cache.set("n", 5L);
        assertThat(cache.getOrSet("n", Integer.class, () -> 9)).isEqualTo(5);
        assertThatThrownBy(() -> cache.getOrSet("n", String.class, () -> "x"))
                .isInstanceOf(ClassCastException.class).hasMessageContaining("'n'");
    }

    @Test
    void getOrSetHonoursItsTimeout() {
        requireStorage();
        cache.getOrSet("key", String.class, () -> "first", Timeout.of(shortTimeout()));
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.getOrSet("key", String.class, () -> "second", Timeout.FOREVER)).isEqualTo("second");
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void getOrSetWithZeroTimeoutReturnsTheResultButKeepsNothing() {
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThat(cache.getOrSet("key", String.class, () -> "run " + runs.incrementAndGet(), Timeout.ofSeconds(0)))
                    .isEqualTo("run " + (i + 1));
        }
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void getOrSetCalledAgainFromItsOwnLoaderFailsInsteadOfDeadlocking() {
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> catchThrowable(() ->
                cache.getOrSet("key", String.class, () -> cache.getOrSet("key", String.class, () -> "inner"))));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("'key'");
        assertThat(cache.hasKey("key")).isFalse();
        if (storesValues()) {
            assertThat(cache.getOrSet("key", String.class, () -> "later")).isEqualTo("later");
        }
    }
}
