package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.Timeout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@code clear} and {@code close}: {@code clear} removes every key of the
 * cache's prefix in every version and nothing of another prefix; with a custom key function
 * (keys of unknown shape) it empties the whole store, as Django's does; after {@code close} (idempotent, through any version
 * view) every operation fails with {@link IllegalStateException}.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class ClearAndCloseContract extends ExpiryContract {

    // =====================================================================================
    // clear, close
    // =====================================================================================

    @Test
    void clearRemovesEveryKey() {
        requireStorage();
        cache.setMany(Map.of("a", 1, "b", "B", "c a", "hashed"));
        cache.clear();
        assertThat(cache.getMany(List.of("a", "b", "c a"))).isEmpty();
        assertThat(cache.add("a", "again")).isTrue();
    }

    @Test
    void clearRemovesEveryVersion() {
        requireStorage();
        cache.set("key", 1);
        cache.withVersion(2).set("key", 2);
        cache.withVersion(-7).set("other", 3);
        cache.withVersion(2).clear();
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.withVersion(2).hasKey("key")).isFalse();
        assertThat(cache.withVersion(-7).hasKey("other")).isFalse();
    }

    /**
     * The one rule of {@code clear}'s scope, the same on every backend: a cache under the
     * default key function owns the keys of its prefix's shape ({@code p:<version>:...} and
     * hashed {@code p:~...}), so clearing it leaves caches of other prefixes, even one that
     * starts with its own ({@code p:x}); a cache with a custom key function clears the whole
     * store. Ends by emptying the store at {@link #location()}.
     */
    @Test
    void clearRemovesExactlyItsOwnKeysAndACustomKeyFunctionClearsTheStore() {
        requireStorage();
        org.junit.jupiter.api.Assumptions.assumeTrue(sharesStorage(), "caches on this location do not share storage");
        Cache mine = open(prefix + "a", b -> { });
        Cache other = open(prefix + "b", b -> { });
        Cache longer = open(prefix + "a:x", b -> { });
        Cache custom = open("", b -> b.keyFunction((key, p, v) -> "custom/" + key));
        String hashed = "a key with spaces is hashed";
        mine.set("k", 1);
        mine.withVersion(2).set("k", 2);
        mine.set(hashed, 3);
        other.set("k", "other");
        longer.set("k", "longer");
        custom.set(prefix, "custom");

        mine.clear();
        assertThat(mine.getMany(List.of("k", hashed))).isEmpty();
        assertThat(mine.withVersion(2).get("k")).isNull();
        assertThat(other.get("k")).isEqualTo("other");
        assertThat(longer.get("k")).isEqualTo("longer");
        assertThat(custom.get(prefix)).isEqualTo("custom");

        custom.clear();
        assertThat(custom.get(prefix)).isNull();
        assertThat(other.get("k")).isNull();
        assertThat(longer.get("k")).isNull();
        assertThat(mine.add("k", "again")).isTrue();
    }

    @Test
    void clearOfAnEmptyCacheIsFine() {
        cache.clear();
        cache.clear();
        assertThat(cache.get("key")).isNull();
    }

    @Test
    void clearRemovesLargeValues() {
        requireStorage();
        cache.set("big", randomBytes(300_000, 59));
        cache.clear();
        assertThat(cache.get("big")).isNull();
        assertThat(cache.add("big", "small")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.ContractFixture#keyOperations")
    void everyOperationAfterCloseThrowsIllegalState(KeyOp op) {
        cache.set("key", "value");
        cache.close();
        assertThatThrownBy(() -> op.action().accept(cache, "key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void operationsOnNoKeysAfterCloseThrowIllegalStateToo() {
        cache.close();
        assertThatThrownBy(() -> cache.getMany(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.setMany(Map.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.deleteMany(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clearAfterCloseThrowsIllegalState() {
        cache.close();
        assertThatThrownBy(() -> cache.clear()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeIsIdempotent() {
        cache.close();
        cache.close();
        assertThatThrownBy(() -> cache.get("key")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAVersionViewClosesTheCache() {
        Cache v2 = cache.withVersion(2);
        v2.close();
        assertThatThrownBy(() -> cache.get("key")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.withVersion(3).set("key", "v")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void asyncOperationsAfterCloseFailWithIllegalState() {
        AsyncCache async = cache.async();
        cache.close();
        assertThat(failureOf(async.get("key"))).isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(async.set("key", "v"))).isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(async.getOrSet("key", String.class, () -> "v", Timeout.DEFAULT)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(async.clear())).isInstanceOf(IllegalStateException.class);
    }
}
