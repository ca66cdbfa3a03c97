package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.CacheStats;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Namespace#expire()}: every entry of the namespace turns stale at once, in every
 * process. A {@code getOrSet} whose {@link Freshness} has {@code freshFor} serves the previous
 * value while one background load recomputes it; fail-safe lets it stand in; every other read
 * misses as after {@code invalidate()}, which still wins afterwards; another cache on the
 * backend (another process) sees the previous value too and the cluster loads once; the
 * hottest keys with a registered loader are recomputed; nested namespaces, version views, a
 * generation hold, {@code getOrSetMany} and the async face follow.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain.
 */
public abstract class ExpireContract extends NamespaceContract {

    private static final Freshness SWR = Freshness.builder().timeout(Duration.ofMinutes(5))
            .freshFor(Duration.ofMinutes(1)).build();

    /** A loader that counts its calls, waits (at most a minute) for {@code release}, then returns {@code value}. */
    private static Supplier<String> held(AtomicInteger calls, CountDownLatch release, String value) {
        return () -> {
            calls.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        };
    }

    @Test
    void afterExpireFreshnessServesThePreviousValueWhileOneBackgroundLoadRecomputesIt() {
        requireStorage();
        Namespace ns = cache.namespace("user:1");
        assertThat(ns.getOrSet("links:page:1", String.class, () -> "page v1", SWR)).isEqualTo("page v1");
        ns.set("plain", "written by set");
        CacheStats before = ns.stats();
        ns.expire();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Supplier<String> recompute = held(loads, release, "page v2");
        for (int i = 0; i < 5; i++) {
            assertThat(ns.getOrSet("links:page:1", String.class, recompute, SWR)).as("the previous value at once")
                    .isEqualTo("page v1");
        }
        await(() -> loads.get() == 1, Duration.ofSeconds(10), "the background load to start");
        assertThat(ns.get("links:page:1")).as("a plain read misses meanwhile").isNull();
        release.countDown();
        await(() -> "page v2".equals(ns.get("links:page:1")), Duration.ofSeconds(10),
                "the recomputed value to be stored in the new generation");
        assertThat(ns.getOrSet("links:page:1", String.class, recompute, SWR)).isEqualTo("page v2");
        assertThat(loads).as("one load for five stale reads").hasValue(1);
        CacheStats after = ns.stats();
        assertThat(after.staleServed() - before.staleServed()).isEqualTo(5);
        assertThat(after.refreshesStarted() - before.refreshesStarted()).isEqualTo(1);

        assertThat(ns.getOrSet("plain", String.class, () -> "recomputed", SWR))
                .as("a value written by plain set is stale too").isEqualTo("written by set");
        await(() -> "recomputed".equals(ns.get("plain")), Duration.ofSeconds(10), "the plain value to be recomputed");
    }

    @Test
    void afterExpireEveryOtherReadMissesAsAfterInvalidate() {
        requireStorage();
        Namespace ns = cache.namespace("user:2");
        for (String k : List.of("a", "b", "c", "d")) {
            ns.getOrSet(k, String.class, () -> "old " + k, SWR);
        }
        ns.expire();
        assertThat(ns.get("a")).isNull();
        assertThat(ns.lookup("a").isMiss()).isTrue();
        assertThat(ns.hasKey("a")).isFalse();
        assertThat(ns.getMany(List.of("a", "b", "c", "d"))).isEmpty();
        assertThat(ns.getOrSet("b", String.class, () -> "new b", Timeout.DEFAULT))
                .as("getOrSet with a timeout loads in the foreground").isEqualTo("new b");
        assertThat(ns.getOrSet("c", String.class, () -> "new c", Freshness.DEFAULT))
                .as("a freshness without freshFor or fail-safe loads in the foreground").isEqualTo("new c");
        assertThat(ns.get("c")).isEqualTo("new c");
        assertThat(cache.namespace("user:2").getOrSet("d", String.class, () -> "new d", SWR))
                .as("another view of the namespace serves the previous value").isEqualTo("old d");
        await(() -> "new d".equals(ns.get("d")), Duration.ofSeconds(10), "d to be recomputed");
    }

    @Test
    void afterExpireFailSafeLetsThePreviousValueStandInForAFailingLoader() {
        requireStorage();
        Namespace ns = cache.namespace("user:3");
        Freshness failSafe = Freshness.builder().timeout(Duration.ofMinutes(5))
                .failSafe(Duration.ofMinutes(10), Duration.ofMinutes(1)).build();
        ns.getOrSet("k", String.class, () -> "good", failSafe);
        ns.getOrSet("other", String.class, () -> "old other", failSafe);
        long activations = ns.stats().failSafeActivations();
        ns.expire();
        assertThat(ns.getOrSet("k", String.class, () -> {
            throw new IllegalStateException("the source is down");
        }, failSafe)).as("the previous value stands in").isEqualTo("good");
        assertThat(ns.stats().failSafeActivations() - activations).isEqualTo(1);
        assertThat(ns.getOrSet("other", String.class, () -> "new other", failSafe))
                .as("without freshFor a working loader runs in the foreground").isEqualTo("new other");
    }

    @Test
    void invalidateAfterExpireMakesThePreviousValuesUnreachable() {
        requireStorage();
        Namespace ns = cache.namespace("user:4");
        ns.getOrSet("a", String.class, () -> "old a", SWR);
        ns.getOrSet("b", String.class, () -> "old b", SWR);
        ns.expire();
        ns.invalidate();
        assertThat(ns.getOrSet("a", String.class, () -> "new a", SWR)).as("hard invalidation wins").isEqualTo("new a");
        ns.expire();
        cache.namespace("user:4").invalidate(); // another view, as another process
        assertThat(ns.getOrSet("a", String.class, () -> "newer a", SWR)).isEqualTo("newer a");
        assertThat(ns.getOrSet("b", String.class, () -> "new b", SWR)).isEqualTo("new b");
    }

    @Test
    void afterTwoExpiresTheKeysNotRecomputedInBetweenMiss() {
        requireStorage();
        Namespace ns = cache.namespace("user:5");
        ns.getOrSet("a", String.class, () -> "a1", SWR);
        ns.getOrSet("b", String.class, () -> "b1", SWR);
        ns.expire();
        assertThat(ns.getOrSet("a", String.class, () -> "a2", SWR)).isEqualTo("a1");
        await(() -> "a2".equals(ns.get("a")), Duration.ofSeconds(10), "a to be recomputed");
        ns.expire();
        assertThat(ns.getOrSet("a", String.class, () -> "a3", SWR)).as("recomputed between the expiries").isEqualTo("a2");
        assertThat(ns.getOrSet("b", String.class, () -> "b3", SWR)).as("only the last expiry is remembered")
                .isEqualTo("b3");
        await(() -> "a3".equals(ns.get("a")), Duration.ofSeconds(10), "a to be recomputed again");
    }

    @Test
    void anotherProcessServesThePreviousValueAndTheClusterLoadsOnce() {
        requireStorage();
        assumeTrue(sharesStorage(), "caches on this backend do not share storage");
        Namespace here = cache.namespace("user:6");
        Namespace there = open(b -> { }).namespace("user:6"); // another cache on the backend: another process
        here.getOrSet("feed", String.class, () -> "feed v1", SWR);
        here.expire();
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Supplier<String> recompute = held(loads, release, "feed v2");
        assertThat(there.getOrSet("feed", String.class, recompute, SWR)).isEqualTo("feed v1");
        assertThat(here.getOrSet("feed", String.class, recompute, SWR)).isEqualTo("feed v1");
        await(() -> loads.get() == 1, Duration.ofSeconds(10), "one background load to start");
        assertThat(there.getOrSet("feed", String.class, recompute, SWR)).isEqualTo("feed v1");
        release.countDown();
        await(() -> "feed v2".equals(there.get("feed")) && "feed v2".equals(here.get("feed")),
                Duration.ofSeconds(10), "the recomputed value in both processes");
        assertThat(here.getOrSet("feed", String.class, recompute, SWR)).isEqualTo("feed v2");
        assertThat(loads).as("one load in the cluster").hasValue(1);
    }

    @Test
    void anExpiredNamespaceRecomputesItsHottestKeysInTheBackground() {
        requireStorage();
        Namespace ns = cache.namespace("user:7");
        AtomicInteger computed = new AtomicInteger();
        ns.registerLoader("links:", key -> key + "@" + computed.incrementAndGet(), SWR);
        heatLinks(ns);
        ns.expire();
        await(() -> ns.get("links:1") != null && ns.get("links:2") != null, Duration.ofSeconds(10),
                "the hottest keys to be recomputed");
        assertThat(ns.get("links:1", String.class)).startsWith("links:1@");
        assertThat(ns.get("links:2", String.class)).startsWith("links:2@");
        assertThat(computed).hasValue(2);
        assertThat(ns.get("other")).as("a key without a loader is not recomputed").isNull();
        assertThat(ns.getOrSet("other", String.class, () -> "recomputed", SWR)).isEqualTo("no loader");
        await(() -> "recomputed".equals(ns.get("other")), Duration.ofSeconds(10), "other to be recomputed");
    }

    @Test
    void getOrSetManyServesThePreviousValuesOfTheKeysThatMiss() {
        requireStorage();
        Namespace ns = cache.namespace("user:8");
        ns.getOrSetMany(List.of("a", "b"), String.class, keys -> Map.of("a", "a1", "b", "b1"), SWR);
        ns.expire();
        List<Set<String>> calls = new CopyOnWriteArrayList<>();
        Map<String, String> got = ns.getOrSetMany(List.of("a", "b", "c"), String.class, keys -> {
            calls.add(Set.copyOf(keys));
            return Map.of("a", "a2", "b", "b2", "c", "c2");
        }, SWR);
        assertThat(got).containsExactly(Map.entry("a", "a1"), Map.entry("b", "b1"), Map.entry("c", "c2"));
        assertThat(calls).as("the key with no previous value loads in the foreground, the others one by one in the background")
                .allMatch(keys -> keys.size() == 1).contains(Set.of("c"));
        await(() -> "a2".equals(ns.get("a")) && "b2".equals(ns.get("b")), Duration.ofSeconds(10),
                "the previous values to be recomputed");
        assertThat(ns.getMany(List.of("a", "b", "c"))).containsOnly(Map.entry("a", "a2"), Map.entry("b", "b2"),
                Map.entry("c", "c2"));
    }

    @Test
    void nestedNamespacesServeTheirPreviousValuesAfterTheParentExpires() {
        requireStorage();
        Namespace user = cache.namespace("user:9");
        Namespace feeds = user.namespace("feeds");
        feeds.getOrSet("k", String.class, () -> "nested v1", SWR);
        user.getOrSet("k", String.class, () -> "outer v1", SWR);
        user.expire();
        assertThat(feeds.get("k")).isNull();
        assertThat(user.namespace("feeds").getOrSet("k", String.class, () -> "nested v2", SWR)).isEqualTo("nested v1");
        assertThat(user.getOrSet("k", String.class, () -> "outer v2", SWR)).isEqualTo("outer v1");
        await(() -> "nested v2".equals(feeds.get("k")), Duration.ofSeconds(10), "the nested value to be recomputed");

        feeds.expire();
        assertThat(feeds.getOrSet("k", String.class, () -> "nested v3", SWR)).isEqualTo("nested v2");
        await(() -> "nested v3".equals(feeds.get("k")), Duration.ofSeconds(10), "the nested value to be recomputed");

        user.expire();
        feeds.invalidate();
        assertThat(feeds.getOrSet("k", String.class, () -> "nested v4", SWR))
                .as("the nested namespace's invalidation wins over its parent's previous generation")
                .isEqualTo("nested v4");
        user.expire();
        user.invalidate();
        assertThat(feeds.getOrSet("k", String.class, () -> "nested v5", SWR)).isEqualTo("nested v5");
    }

    @Test
    void aHeldGenerationAndVersionViewsSeeTheirOwnExpireAtOnce() {
        requireStorage();
        Namespace held = cache.namespace("user:10", Duration.ofHours(1));
        Cache v2 = held.withVersion(cache.version() + 1);
        held.getOrSet("k", String.class, () -> "v1", SWR);
        v2.getOrSet("k", String.class, () -> "w1", SWR);
        held.expire();
        assertThat(held.get("k")).isNull();
        assertThat(held.getOrSet("k", String.class, () -> "v2", SWR)).isEqualTo("v1");
        assertThat(v2.getOrSet("k", String.class, () -> "w2", SWR)).as("one generation for every version").isEqualTo("w1");
        await(() -> "w2".equals(v2.get("k")) && "v2".equals(held.get("k")), Duration.ofSeconds(10),
                "both versions to be recomputed");
    }

    @Test
    void theAsyncFaceServesThePreviousValues() {
        requireStorage();
        Namespace ns = cache.namespace("user:11");
        ns.getOrSet("a", String.class, () -> "a1", SWR);
        ns.getOrSet("b", String.class, () -> "b1", SWR);
        ns.expire();
        assertThat(join(ns.async().getOrSet("a", String.class, () -> "a2", SWR))).isEqualTo("a1");
        assertThat(join(ns.async().getOrSetMany(List.of("b"), String.class, keys -> Map.of("b", "b2"), SWR)))
                .containsExactly(Map.entry("b", "b1"));
        await(() -> "a2".equals(ns.get("a")) && "b2".equals(ns.get("b")), Duration.ofSeconds(10),
                "the previous values to be recomputed");
        assertThat(join(ns.async().get("a"))).isEqualTo("a2");
    }

    @Test
    void expireOnANamespaceNeverUsedOrOverAUsersWrapperActsAsInvalidate() {
        requireStorage();
        Namespace unused = cache.namespace("user:12");
        unused.expire();
        assertThat(unused.getOrSet("k", String.class, () -> "loaded", SWR)).isEqualTo("loaded");
        Cache wrapper = new ForwardingCache(cache) {
            @Override
            public void close() {
                // the fixture closes the cache under test
            }
        };
        Namespace wrapped = wrapper.namespace("user:13");
        wrapped.getOrSet("k", String.class, () -> "v1", SWR);
        wrapped.expire();
        assertThat(wrapped.getOrSet("k", String.class, () -> "v2", SWR))
                .as("no pipeline to hand the previous value to: a miss, as documented").isEqualTo("v2");
    }
}
