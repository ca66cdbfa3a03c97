package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.InvalidKeyException;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of the async face: each {@code AsyncCache} operation completes with what its
 * synchronous twin returns, and every failure (bad key, refused value, missing key) completes
 * the stage exceptionally instead of being thrown.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class AsyncContract extends ClearAndCloseContract {

    // =====================================================================================
    // Async face
    // =====================================================================================

    @Test
    void asyncGetWithDefaultAndUntypedLookup() {
        AsyncCache async = cache.async();
        assertThat(join(async.get("absent", String.class, "fallback"))).isEqualTo("fallback");
        assertThat(join(async.lookup("absent")).isMiss()).isTrue();
        if (storesValues()) {
            cache.set("present", "value");
            assertThat(join(async.get("present", String.class, "fallback"))).isEqualTo("value");
            assertThat(join(async.lookup("present"))).isEqualTo(Lookup.hit("value"));
        }
    }

    @Test
    void asyncSyncIsTheCache() {
        assertThat(cache.async().sync()).isSameAs(cache);
    }

    @Test
    void asyncSetAndGetCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.set("key", "value"))).isTrue();
        assertThat(join(async.get("key"))).isEqualTo("value");
        assertThat(join(async.get("key", String.class))).isEqualTo("value");
        assertThat(join(async.get("missing"))).isNull();
        assertThat(join(async.lookup("key", String.class))).isEqualTo(Lookup.hit("value"));
        assertThat(join(async.lookup("missing", String.class))).isEqualTo(Lookup.miss());
        assertThat(join(async.set("short", "v", Timeout.ofSeconds(0)))).isTrue();
        assertThat(cache.hasKey("short")).isFalse();
    }

    @Test
    void asyncAddCompletesWithTheSyncResult() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.add("key", "first"))).isTrue();
        assertThat(join(async.add("key", "second", Timeout.FOREVER))).isFalse();
        assertThat(cache.get("key")).isEqualTo("first");
    }

    @Test
    void asyncGetOrSetRunsTheLoaderOnlyOnAMiss() {
        requireStorage();
        AsyncCache async = cache.async();
        AtomicInteger runs = new AtomicInteger();
        assertThat(join(async.getOrSet("key", String.class, () -> "loaded " + runs.incrementAndGet(), Timeout.DEFAULT)))
                .isEqualTo("loaded 1");
        assertThat(join(async.getOrSet("key", String.class, () -> "loaded " + runs.incrementAndGet(), Timeout.DEFAULT)))
                .isEqualTo("loaded 1");
        assertThat(runs).hasValue(1);
    }

    @Test
    void asyncGetOrSetFailsWithTheLoadersException() {
        Throwable t = failureOf(cache.async().getOrSet("key", String.class, () -> {
            throw new IllegalStateException("loader failed");
        }, Timeout.DEFAULT));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("loader failed");
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void asyncTouchDeleteAndHasKeyCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        cache.set("key", "value");
        assertThat(join(async.hasKey("key"))).isTrue();
        assertThat(join(async.touch("key", Timeout.FOREVER))).isTrue();
        assertThat(join(async.touch("missing", Timeout.FOREVER))).isFalse();
        assertThat(join(async.delete("key"))).isTrue();
        assertThat(join(async.delete("key"))).isFalse();
        assertThat(join(async.hasKey("key"))).isFalse();
    }

    @Test
    void asyncManyOperationsCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.setMany(Map.of("a", 1, "b", 2), Timeout.DEFAULT))).isEmpty();
        assertThat(join(async.getMany(List.of("b", "missing", "a")))).containsExactly(entry("b", 2L), entry("a", 1L));
        assertThat(join(async.deleteMany(List.of("a", "b", "missing")))).isEqualTo(2);
        assertThat(join(async.getMany(List.of("a", "b")))).isEmpty();
    }

    @Test
    void asyncCountersAndVersionsCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        cache.set("n", 10);
        assertThat(join(async.incr("n", 5))).isEqualTo(15L);
        assertThat(join(async.decr("n", 20))).isEqualTo(-5L);
        assertThat(join(async.incrVersion("n", 2))).isEqualTo(3);
        assertThat(cache.withVersion(3).get("n")).isEqualTo(-5L);
    }

    @Test
    void asyncClearCompletes() {
        requireStorage();
        cache.set("key", "value");
        assertThat(join(cache.async().clear())).isNull();
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void asyncOperationErrorsCompleteExceptionally() {
        AsyncCache async = cache.async();
        assertThat(failureOf(async.incr("missing", 1))).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThat(failureOf(async.incrVersion("missing", 1))).isInstanceOf(NoSuchElementException.class);
        if (storesValues()) {
            cache.set("text", "abc");
            assertThat(failureOf(async.incr("text", 1))).isInstanceOf(NotAnIntegerException.class);
            assertThat(failureOf(async.get("text", Long.class))).isInstanceOf(ClassCastException.class);
        }
    }

    /** An async operation on one key. */
    public record AsyncKeyOp(String name, BiFunction<AsyncCache, String, CompletionStage<?>> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<AsyncKeyOp> asyncKeyOperations() {
        return Stream.of(
                new AsyncKeyOp("get", (a, k) -> a.get(k)),
                new AsyncKeyOp("get typed", (a, k) -> a.get(k, String.class)),
                new AsyncKeyOp("get with default", (a, k) -> a.get(k, String.class, "d")),
                new AsyncKeyOp("lookup", (a, k) -> a.lookup(k, String.class)),
                new AsyncKeyOp("lookup untyped", (a, k) -> a.lookup(k)),
                new AsyncKeyOp("set", (a, k) -> a.set(k, "v")),
                new AsyncKeyOp("add", (a, k) -> a.add(k, "v")),
                new AsyncKeyOp("getOrSet", (a, k) -> a.getOrSet(k, String.class, () -> "v", Timeout.DEFAULT)),
                new AsyncKeyOp("touch", (a, k) -> a.touch(k, Timeout.DEFAULT)),
                new AsyncKeyOp("delete", (a, k) -> a.delete(k)),
                new AsyncKeyOp("hasKey", (a, k) -> a.hasKey(k)),
                new AsyncKeyOp("incr", (a, k) -> a.incr(k, 1)),
                new AsyncKeyOp("decr", (a, k) -> a.decr(k, 1)),
                new AsyncKeyOp("incrVersion", (a, k) -> a.incrVersion(k, 1)),
                new AsyncKeyOp("getMany", (a, k) -> a.getMany(Arrays.asList("ok", k))),
                new AsyncKeyOp("setMany", (a, k) -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put(k, "v");
                    return a.setMany(m, Timeout.DEFAULT);
                }),
                new AsyncKeyOp("deleteMany", (a, k) -> a.deleteMany(Arrays.asList("ok", k))));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.AsyncContract#asyncKeyOperations")
    void asyncBadKeysCompleteExceptionallyInsteadOfThrowing(AsyncKeyOp op) {
        CompletionStage<?> nullKey = op.action().apply(cache.async(), null);
        assertThat(failureOf(nullKey)).isInstanceOf(InvalidKeyException.class);
        Cache strict = open(b -> b.option("strict_keys", true));
        CompletionStage<?> badKey = op.action().apply(strict.async(), "bad key");
        assertThat(failureOf(badKey)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("'bad key'");
    }

    @Test
    void asyncRefusedValuesCompleteExceptionally() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThat(failureOf(cache.async().set("key", new Unlisted("x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(failureOf(cache.async().setMany(Map.of("key", new NotSerializable()), Timeout.DEFAULT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.hasKey("key")).isFalse();
    }
}
