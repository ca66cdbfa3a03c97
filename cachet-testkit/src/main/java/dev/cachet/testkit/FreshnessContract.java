package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.CacheStats;
import dev.cachet.Freshness;
import dev.cachet.LoadTimeoutException;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The fresh-data pipeline: {@code getOrSet} with {@link Freshness} (stale-while-revalidate,
 * fail-safe, loader timeouts, eager refresh), {@code getOrSetMany}, tags, registered loaders
 * with {@code refresh} and {@code prefetch}, and one load across caches that share a backend
 * (each cache opened separately stands for a process: its own flights, the backend's lease).
 * On backends with an injected clock time is moved; on servers it passes for real, waited for
 * as a condition.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain.
 */
public abstract class FreshnessContract extends DummyContract {

    /** Lets {@code d} pass on the cache's clock: moves the test clock, or waits for real time. */
    private void elapse(Duration d) {
        TestClock c = clock();
        if (c != null) {
            c.advance(d);
            return;
        }
        long until = System.currentTimeMillis() + d.toMillis();
        await(() -> System.currentTimeMillis() >= until, d.plusSeconds(5), d + " to pass");
    }

    /** A loader that waits (at most a minute) for {@code release}, then returns {@code value}. */
    private static Supplier<String> blockedUntil(CountDownLatch release, String value) {
        return () -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        };
    }

    /** A loader returning {@code values} in turn (the last one again), counting its calls. */
    private static Supplier<String> counted(AtomicInteger calls, String... values) {
        return () -> values[Math.min(calls.getAndIncrement(), values.length - 1)];
    }

    @Test
    void aFreshValueIsServedWithoutLoadingAgain() {
        requireStorage();
        AtomicInteger calls = new AtomicInteger();
        Freshness f = Freshness.builder().timeout(Duration.ofMinutes(5)).freshFor(Duration.ofMinutes(1)).build();
        assertThat(cache.getOrSet("k", String.class, counted(calls, "v1", "v2"), f)).isEqualTo("v1");
        assertThat(cache.getOrSet("k", String.class, counted(calls, "v1", "v2"), f)).isEqualTo("v1");
        assertThat(calls).hasValue(1);
        assertThat(cache.get("k")).as("a plain read sees the value, not its stamp").isEqualTo("v1");
        assertThat(cache.getMany(List.of("k"))).containsExactly(Map.entry("k", "v1"));
        CacheStats s = cache.stats();
        assertThat(s.misses()).isEqualTo(1);
        assertThat(s.hits()).isEqualTo(1);
        assertThat(s.loads()).isEqualTo(1);
    }

    @Test
    void aStaleValueIsServedAtOnceWhileOneBackgroundRefreshRuns() throws Exception {
        requireStorage();
        Duration fresh = Duration.ofMillis(400);
        Freshness f = Freshness.builder().timeout(Duration.ofMinutes(5)).freshFor(fresh).build();
        assertThat(cache.getOrSet("k", String.class, () -> "v1", f)).isEqualTo("v1");
        elapse(fresh.plusMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger refreshes = new AtomicInteger();
        Supplier<String> blocked = blockedUntil(release, "v2");
        Supplier<String> slow = () -> {
            refreshes.incrementAndGet();
            return blocked.get();
        };
        for (int i = 0; i < 5; i++) {
            assertThat(cache.getOrSet("k", String.class, slow, f)).as("stale value at once").isEqualTo("v1");
        }
        await(() -> refreshes.get() == 1, Duration.ofSeconds(10), "the refresh to start");
        release.countDown();
        await(() -> "v2".equals(cache.get("k")), Duration.ofSeconds(10), "the refreshed value to be stored");
        assertThat(refreshes).as("one refresh for five stale reads").hasValue(1);
        assertThat(cache.getOrSet("k", String.class, slow, f)).isEqualTo("v2");
        CacheStats s = cache.stats();
        assertThat(s.staleServed()).isEqualTo(5);
        assertThat(s.refreshesStarted()).isEqualTo(1);
    }

    @Test
    void failSafeServesTheLastGoodValueAndRetriesTheLoaderOncePerThrottle() {
        requireStorage();
        Duration life = Duration.ofMillis(400);
        Duration throttle = Duration.ofMillis(600);
        Freshness f = Freshness.builder().timeout(life).failSafe(Duration.ofMinutes(2), throttle).build();
        assertThat(cache.getOrSet("k", String.class, () -> "good", f)).isEqualTo("good");
        elapse(life.plusMillis(50));
        AtomicInteger failures = new AtomicInteger();
        Supplier<String> failing = () -> {
            failures.incrementAndGet();
            throw new IllegalStateException("the source is down");
        };
        for (int i = 0; i < 4; i++) {
            assertThat(cache.getOrSet("k", String.class, failing, f)).isEqualTo("good");
        }
        assertThat(failures).as("retried at most once per throttle period").hasValue(1);
        elapse(throttle.plusMillis(50));
        assertThat(cache.getOrSet("k", String.class, failing, f)).isEqualTo("good");
        assertThat(failures).hasValue(2);
        assertThat(cache.stats().failSafeActivations()).isEqualTo(2);
        assertThat(cache.getOrSet("k", String.class, () -> "better", f)).as("past the throttle a good load wins")
                .isEqualTo("good");
        elapse(throttle.plusMillis(50));
        assertThat(cache.getOrSet("k", String.class, () -> "better", f)).isEqualTo("better");
    }

    @Test
    void withoutAStandInALoaderFailurePropagatesAndStoresNothing() {
        requireStorage();
        Freshness f = Freshness.builder().failSafe(Duration.ofMinutes(1), Duration.ofSeconds(1)).build();
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, () -> {
            throw new IllegalStateException("boom");
        }, f)).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(cache.hasKey("k")).isFalse();
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }

    @Test
    void aHardLoaderTimeoutGivesUpAndTheLoadStillStoresItsValue() {
        requireStorage();
        CountDownLatch release = new CountDownLatch(1);
        Freshness f = Freshness.builder().hardLoaderTimeout(Duration.ofMillis(200)).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> cache.getOrSet("k", String.class, blockedUntil(release, "late"), f)).isInstanceOf(LoadTimeoutException.class).hasMessageContaining("'k'").hasMessageContaining("200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        release.countDown();
        await(() -> "late".equals(cache.get("k")), Duration.ofSeconds(10), "the late load to store its value");
    }

    @Test
    void aSoftLoaderTimeoutReturnsTheStaleValueAndTheLoadFinishesInTheBackground() {
        requireStorage();
        Duration life = Duration.ofMillis(400);
        Freshness f = Freshness.builder().timeout(life).failSafe(Duration.ofMinutes(2), Duration.ofMillis(10))
                .softLoaderTimeout(Duration.ofMillis(100)).build();
        cache.getOrSet("k", String.class, () -> "old", f);
        elapse(life.plusMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        assertThat(cache.getOrSet("k", String.class, blockedUntil(release, "new"), f)).isEqualTo("old");
        release.countDown();
        await(() -> "new".equals(cache.get("k")), Duration.ofSeconds(10), "the slow load to store its value");
    }

    @Test
    void eagerRefreshRecomputesBeforeTheValueGoesStale() {
        requireStorage();
        Duration fresh = Duration.ofSeconds(2);
        Freshness f = Freshness.builder().timeout(Duration.ofMinutes(5)).freshFor(fresh).eagerRefresh(0.5).build();
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.getOrSet("k", String.class, counted(calls, "v1", "v2"), f)).isEqualTo("v1");
        assertThat(cache.getOrSet("k", String.class, counted(calls, "v1", "v2"), f)).as("before half: no refresh")
                .isEqualTo("v1");
        assertThat(calls).hasValue(1);
        elapse(Duration.ofMillis(1100));
        assertThat(cache.getOrSet("k", String.class, counted(calls, "v1", "v2"), f)).isEqualTo("v1");
        await(() -> "v2".equals(cache.get("k")), Duration.ofSeconds(10), "the early refresh to store v2");
        assertThat(cache.stats().earlyRefreshes()).isEqualTo(1);
    }

    @Test
    void aValueLoadedWithoutFreshnessStaysPlainSoIncrAndOlderReadersTakeIt() {
        requireStorage();
        assertThat(cache.getOrSet("n", Long.class, () -> 41L, Freshness.DEFAULT)).isEqualTo(41L);
        assertThat(cache.incr("n")).isEqualTo(42L);
        cache.set("plain", "written by set");
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.getOrSet("plain", String.class, counted(calls, "x"), Freshness.freshFor(Duration.ofSeconds(1))))
                .as("an entry without a stamp is fresh until it expires").isEqualTo("written by set");
        assertThat(calls).hasValue(0);
    }

    @Test
    void aLargeStampedValueRoundTrips() {
        requireStorage();
        String big = randomText(1_500_000, 7);
        Freshness f = Freshness.builder().freshFor(Duration.ofMinutes(1)).xfetch(1.0).build();
        // compared as booleans: a failure must not print 1.5 million characters
        assertThat(big.equals(cache.getOrSet("big", String.class, () -> big, f))).isTrue();
        assertThat(big.equals(cache.get("big"))).as("a plain read of the chunked stamped value").isTrue();
        assertThat(big.equals(cache.getOrSet("big", String.class, () -> "other", f))).as("a hit").isTrue();
    }

    @Test
    void tagsInvalidateEveryEntryThatCarriesThemAndNothingElse() {
        requireStorage();
        cache.set("a", "A", Timeout.DEFAULT, List.of("t1"));
        cache.set("b", 2, Timeout.DEFAULT, List.of("t1", "t2"));
        cache.set("c", "C", Timeout.DEFAULT, List.of("t2"));
        cache.set("d", "D");
        assertThat(cache.get("b")).isEqualTo(2L);
        cache.invalidateTag("t1");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.lookup("b").isMiss()).isTrue();
        assertThat(cache.hasKey("a")).isFalse();
        assertThat(cache.get("c")).isEqualTo("C");
        assertThat(cache.getMany(List.of("a", "b", "c", "d"))).containsExactly(Map.entry("c", "C"), Map.entry("d", "D"));
        Cache other = open(b -> { });
        if (sharesStorage()) {
            assertThat(other.get("c")).isEqualTo("C");
            other.invalidateTag("t2");
            assertThat(cache.get("c")).as("another cache's invalidation is seen").isNull();
        }
        cache.set("a", "A2", Timeout.DEFAULT, List.of("t1"));
        assertThat(cache.get("a")).as("written after the invalidation").isEqualTo("A2");
        assertThatThrownBy(() -> cache.set("x", 1, Timeout.DEFAULT, List.of(""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tag");
    }

    @Test
    void getOrSetManyLoadsEveryMissInOneCall() {
        requireStorage();
        cache.set("a", "A");
        List<Set<String>> calls = new CopyOnWriteArrayList<>();
        Map<String, String> got = cache.getOrSetMany(List.of("c", "a", "b"), String.class, keys -> {
            calls.add(Set.copyOf(keys));
            Map<String, String> m = new LinkedHashMap<>();
            m.put("b", "B"); // no value for c
            return m;
        }, Freshness.DEFAULT);
        assertThat(calls).containsExactly(Set.of("b", "c"));
        assertThat(new ArrayList<>(got.entrySet())).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
        assertThat(cache.get("b")).isEqualTo("B");
        assertThat(cache.hasKey("c")).as("a key the loader gave nothing for is not stored").isFalse();
        assertThat(cache.stats().loads()).isEqualTo(1);
    }

    @Test
    void refreshAndPrefetchUseTheRegisteredLoader() {
        requireStorage();
        AtomicInteger version = new AtomicInteger();
        cache.registerLoader("user:", key -> key + "#" + version.incrementAndGet(), Freshness.DEFAULT);
        assertThat(join(cache.prefetch(List.of("user:1", "user:2")))).isEqualTo(2);
        assertThat(cache.get("user:1", String.class)).startsWith("user:1#");
        assertThat(join(cache.prefetch(List.of("user:1")))).as("fresh keys are not loaded again").isZero();
        String before = cache.get("user:2", String.class);
        assertThat(join(cache.refresh("user:2"))).isTrue();
        assertThat(cache.get("user:2", String.class)).startsWith("user:2#").isNotEqualTo(before);
        assertThat(failureOf(cache.refresh("post:1"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no loader is registered for key 'post:1'");
    }

    @Test
    void cachesSharingTheBackendLoadAKeyOnce() throws Exception {
        requireStorage();
        assumeTrue(sharesStorage(), "caches on this backend do not share storage");
        Cache second = open(b -> { });
        AtomicInteger loads = new AtomicInteger();
        Supplier<String> slow = () -> {
            loads.incrementAndGet();
            try {
                Thread.sleep(300); // the computation being protected
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "once";
        };
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> results = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 16; i++) {
                Cache on = i % 2 == 0 ? cache : second;
                results.add(pool.submit(() -> {
                    start.await();
                    return on.getOrSet("cold", String.class, slow, Freshness.DEFAULT);
                }));
            }
            start.countDown();
            for (Future<String> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("once");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).as("one load for both caches").hasValue(1);
        assertThat(cache.stats().leaseWins() + second.stats().leaseWins()).isEqualTo(1);
    }

    @Test
    void aLeaseWhoseHolderNeverFinishesIsTakenOverWhenItExpires() throws Exception {
        requireStorage();
        assumeTrue(sharesStorage(), "caches on this backend do not share storage");
        Cache second = open(b -> { });
        Duration lease = Duration.ofMillis(700);
        Freshness f = Freshness.builder().leaseTime(lease).build();
        CountDownLatch stuck = new CountDownLatch(1);
        CompletableFuture<String> holder = CompletableFuture.supplyAsync(
                () -> cache.getOrSet("k", String.class, blockedUntil(stuck, "dead"), f));
        await(() -> cache.stats().leaseWins() == 1, Duration.ofSeconds(10), "the first cache to take the lease");
        CompletableFuture<String> taker = CompletableFuture.supplyAsync(
                () -> second.getOrSet("k", String.class, () -> "alive", f));
        await(() -> second.stats().leaseWaits() == 1, Duration.ofSeconds(10), "the second cache to find the lease held");
        long start = System.nanoTime();
        elapse(lease.plusMillis(50));
        assertThat(taker.get(lease.toMillis() + 5_000, TimeUnit.MILLISECONDS)).isEqualTo("alive");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(lease.plusSeconds(3));
        stuck.countDown();
        holder.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aLoaderThatAsksForItsOwnKeyFailsInsteadOfWaitingForItself() {
        requireStorage();
        Freshness f = Freshness.DEFAULT;
        assertThatThrownBy(() -> cache.getOrSet("self", String.class,
                () -> cache.getOrSet("self", String.class, () -> "inner", f), f))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'self'")
                .hasMessageContaining("its own loader");
        assertThatThrownBy(() -> cache.getOrSetMany(List.of("a", "b"), String.class,
                keys -> cache.getOrSetMany(List.of("b"), String.class, k -> Map.of("b", "x"), f), f))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'b'");
        assertThat(cache.getOrSet("self", String.class, () -> "later", f)).as("the flights were cleaned up")
                .isEqualTo("later");
        assertThat(cache.getOrSetMany(List.of("a", "b"), String.class, keys -> Map.of("a", "A", "b", "B"), f))
                .containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
    }
}
