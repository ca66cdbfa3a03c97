package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.Freshness;
import dev.cachet.InvalidKeyException;
import dev.cachet.Lookup;
import dev.cachet.Namespace;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
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
    void asyncOverloadsCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.set("a", "one", Duration.ofMinutes(5)))).isTrue();
        assertThat(join(async.add("a", "two", Duration.ofMinutes(5)))).isFalse();
        assertThat(join(async.add("b", "two", Duration.ofMinutes(5)))).isTrue();
        assertThat(join(async.touch("a"))).isTrue();
        assertThat(join(async.touch("b", Duration.ofMinutes(10)))).isTrue();
        assertThat(join(async.touch("missing", Duration.ofMinutes(10)))).isFalse();
        assertThat(join(async.setMany(Map.of("c", 3)))).isEmpty();
        assertThat(join(async.setMany(Map.of("d", 4), Duration.ofMinutes(5)))).isEmpty();
        assertThat(join(async.getMany(List.of("d", "missing", "c"), Long.class)))
                .containsExactly(entry("d", 4L), entry("c", 3L));
        assertThat(cache.get("a")).isEqualTo("one");
        assertThat(cache.get("b")).isEqualTo("two");
        assertThat(failureOf(async.set("e", "v", (Duration) null))).isInstanceOf(NullPointerException.class);
        assertThat(cache.hasKey("e")).isFalse();
    }

    @Test
    void asyncCountersAndVersionsWithoutADelta() {
        requireStorage();
        AsyncCache async = cache.async();
        cache.set("n", 10);
        assertThat(join(async.incr("n"))).isEqualTo(11L);
        assertThat(join(async.decr("n"))).isEqualTo(10L);
        assertThat(join(async.incrVersion("n"))).isEqualTo(2);
        AsyncCache v2 = async.withVersion(2);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.sync().version()).isEqualTo(2);
        assertThat(join(v2.get("n"))).isEqualTo(10L);
        assertThat(join(v2.decrVersion("n"))).isEqualTo(1);
        assertThat(join(async.get("n"))).isEqualTo(10L);
        assertThat(join(async.incrVersion("n", 4))).isEqualTo(5);
        assertThat(join(async.withVersion(5).decrVersion("n", 4))).isEqualTo(1);
        assertThat(cache.get("n")).isEqualTo(10L);
    }

    @Test
    void asyncGetOrSetOverloadsRunTheLoaderOffTheCallersThread() {
        requireStorage();
        AsyncCache async = cache.async();
        Thread caller = Thread.currentThread();
        List<Thread> ran = new CopyOnWriteArrayList<>();
        Supplier<String> loader = () -> {
            ran.add(Thread.currentThread());
            return "loaded";
        };
        assertThat(join(async.getOrSet("a", String.class, loader))).isEqualTo("loaded");
        assertThat(join(async.getOrSet("b", String.class, loader, Duration.ofMinutes(5)))).isEqualTo("loaded");
        assertThat(join(async.getOrSet("c", String.class, loader, Timeout.DEFAULT))).isEqualTo("loaded");
        assertThat(join(async.getOrSet("d", String.class, loader, Freshness.DEFAULT))).isEqualTo("loaded");
        assertThat(join(async.getOrSetMany(List.of("e"), String.class, keys -> {
            ran.add(Thread.currentThread());
            return Map.of("e", "many");
        }, Freshness.DEFAULT))).containsExactly(entry("e", "many"));
        assertThat(ran).hasSize(5).doesNotContain(caller);
        assertThat(cache.get("b")).isEqualTo("loaded");
    }

    @Test
    void asyncTagsRefreshPrefetchAndStats() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(async.name()).isEqualTo(cache.name());
        assertThat(join(async.set("post", "p", Duration.ofMinutes(5), List.of("feed")))).isTrue();
        assertThat(join(async.set("other", "o", Timeout.DEFAULT, List.of("user")))).isTrue();
        assertThat(join(async.invalidateTag("feed"))).isNull();
        assertThat(cache.hasKey("post")).isFalse();
        assertThat(cache.get("other")).isEqualTo("o");

        AtomicInteger version = new AtomicInteger();
        async.registerLoader("user:", key -> key + "#" + version.incrementAndGet(), Freshness.DEFAULT);
        assertThat(join(async.prefetch(List.of("user:1", "user:2")))).isEqualTo(2);
        assertThat(join(async.prefetch(List.of("user:1")))).as("fresh keys are not loaded again").isZero();
        String before = cache.get("user:2", String.class);
        assertThat(join(async.refresh("user:2"))).isTrue();
        assertThat(cache.get("user:2", String.class)).startsWith("user:2#").isNotEqualTo(before);
        assertThat(join(async.refresh("x", k -> k + "!", Freshness.DEFAULT))).isTrue();
        assertThat(join(async.prefetch(List.of("y"), k -> k + "?", Freshness.DEFAULT))).isEqualTo(1);
        assertThat(cache.get("x")).isEqualTo("x!");
        assertThat(cache.get("y")).isEqualTo("y?");
        assertThat(failureOf(async.refresh("post:1"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no loader is registered for key 'post:1'");
        assertThat(async.stats()).isEqualTo(cache.stats());
        assertThat(async.stats().loads()).isEqualTo(5);
    }

    @Test
    void asyncNamespaceIsTheNamespacesAsyncFace() {
        requireStorage();
        AsyncCache user = cache.async().namespace("user:42");
        assertThat(user.sync()).isInstanceOf(Namespace.class);
        assertThat(join(user.set("k", "v", Duration.ofMinutes(5)))).isTrue();
        assertThat(cache.namespace("user:42").get("k")).isEqualTo("v");
        assertThat(cache.hasKey("k")).isFalse();
        assertThat(join(user.getMany(List.of("k"), String.class))).containsExactly(entry("k", "v"));
        assertThat(join(user.clear())).as("clear is invalidate").isNull();
        assertThat(cache.namespace("user:42").hasKey("k")).isFalse();
        assertThat(cache.async().hotNamespaces(5)).isEqualTo(cache.hotNamespaces(5));
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
                new AsyncKeyOp("getMany typed", (a, k) -> a.getMany(Arrays.asList("ok", k), String.class)),
                new AsyncKeyOp("set with a duration", (a, k) -> a.set(k, "v", Duration.ofMinutes(1))),
                new AsyncKeyOp("set with tags", (a, k) -> a.set(k, "v", Timeout.DEFAULT, List.of("t"))),
                new AsyncKeyOp("touch without timeout", (a, k) -> a.touch(k)),
                new AsyncKeyOp("incr by one", (a, k) -> a.incr(k)),
                new AsyncKeyOp("decrVersion", (a, k) -> a.decrVersion(k)),
                new AsyncKeyOp("refresh", (a, k) -> a.refresh(k, key -> "v", Freshness.DEFAULT)),
                new AsyncKeyOp("prefetch", (a, k) -> a.prefetch(Arrays.asList("ok", k), key -> "v", Freshness.DEFAULT)),
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
