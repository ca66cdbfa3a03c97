package dev.cachet.internal.twolevel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import dev.cachet.TwoLevel;
import dev.cachet.spi.Stores;
import dev.cachet.testkit.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fresh-data pipeline of a two-level cache reads the local level first: two-level caches over
 * one directory (each a {@link CountingStore} around the real file store, so the test sees what
 * reaches the shared level), on one in-process backplane channel.
 */
class FreshThroughLocalTest {
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final Freshness HOUR = Freshness.builder().timeout(Duration.ofDays(1)).freshFor(Duration.ofHours(1)).build();

    @TempDir
    Path dir;

    private final List<Cache> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Cache::close);
    }

    /** A two-level cache over {@code store} (a counting store around the directory's file store). */
    private Cache twoLevel(CountingStore store, TestClock clock) {
        CacheConfig.Builder config = CacheConfig.builder("file:" + dir);
        if (clock != null) {
            config.clock(clock);
        }
        TwoLevel.Builder b = TwoLevel.over(Caches.open(config.build(), store)).backplane("memory:?channel=" + dir)
                .localTimeout(Duration.ofMinutes(10)).stalenessBound(BOUND);
        if (clock != null) {
            b.clock(clock);
        }
        Cache c = b.build();
        opened.add(c);
        return c;
    }

    private CountingStore store() {
        return store(null);
    }

    /** The directory's file store, counted; on {@code clock} (when given), the cache's clock, which the store's expiry reads. */
    private CountingStore store(TestClock clock) {
        CacheConfig.Builder config = CacheConfig.builder("file:" + dir);
        if (clock != null) {
            config.clock(clock);
        }
        return new CountingStore(Stores.open(config.build()));
    }

    private static Supplier<String> counted(AtomicInteger calls, String value) {
        return () -> {
            calls.incrementAndGet();
            return value;
        };
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void freshnessHitsAreServedByTheLocalLevelWithoutReadingTheSharedOne() {
        CountingStore store = store();
        Cache cache = twoLevel(store, null);
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.getOrSet("page", String.class, counted(loads, "p1"), HOUR)).isEqualTo("p1");
        Namespace ada = cache.namespace("user:ada");
        assertThat(ada.getOrSet("links:page:1", String.class, counted(loads, "ada1"), HOUR)).isEqualTo("ada1");
        assertThat(cache.getOrSetMany(List.of("a", "b"), String.class, keys -> {
            loads.incrementAndGet();
            return Map.of("a", "A", "b", "B");
        }, HOUR)).containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
        assertThat(loads).hasValue(3);
        long hitsBefore = cache.stats().hits();
        store.reads.clear();

        for (int i = 0; i < 1000; i++) {
            assertThat(cache.getOrSet("page", String.class, counted(loads, "p2"), HOUR)).isEqualTo("p1");
            assertThat(ada.getOrSet("links:page:1", String.class, counted(loads, "ada2"), HOUR)).isEqualTo("ada1");
        }
        assertThat(cache.getOrSetMany(List.of("a", "b"), String.class, keys -> Map.of(), HOUR))
                .containsExactly(Map.entry("a", "A"), Map.entry("b", "B"));
        assertThat(cache.async().getOrSet("page", String.class, counted(loads, "p3"), HOUR).toCompletableFuture())
                .as("a fresh local copy answers the async face at once").isCompletedWithValue("p1");
        assertThat(cache.prefetch(List.of("page", "a"), k -> "again", HOUR).toCompletableFuture().join())
                .as("fresh keys are not loaded again").isZero();
        assertThat(cache.get("page")).as("a plain read of the stamped copy").isEqualTo("p1");

        assertThat(store.reads).as("what reached the shared level after the loads").isEmpty();
        assertThat(loads).hasValue(3);
        assertThat(cache.stats().hits() - hitsBefore).isEqualTo(2000 + 2 + 1);
    }

    @Test
    void whatALoadOrARefreshStoresIsKeptLocallyAndAnnouncedToTheOtherInstances() {
        Cache a = twoLevel(store(), null);
        CountingStore bStore = store();
        Cache b = twoLevel(bStore, null);
        assertThat(b.getOrSet("k", String.class, () -> "v1", HOUR)).isEqualTo("v1");
        assertThat(a.getOrSet("k", String.class, () -> "not loaded", HOUR)).as("B's load, read by A").isEqualTo("v1");

        assertThat(a.refresh("k", key -> "v2", HOUR).toCompletableFuture().join()).isTrue();
        bStore.reads.clear();
        await(() -> "v2".equals(b.getOrSet("k", String.class, () -> "not loaded", HOUR)), "A's refresh seen by B");
        assertThat(bStore.readsOf("k")).as("B dropped its copy and read the shared level once").isEqualTo(1);

        a.set("k", "v3");
        await(() -> "v3".equals(b.getOrSet("k", String.class, () -> "not loaded", HOUR)), "A's set seen by B");
        a.delete("k");
        await(() -> "v4".equals(b.getOrSet("k", String.class, () -> "v4", HOUR)), "A's delete seen by B");
        assertThat(a.getOrSet("k", String.class, () -> "not loaded", HOUR)).as("B's load, announced to A").isEqualTo("v4");
        bStore.reads.clear();
        assertThat(b.getOrSet("k", String.class, () -> "not loaded", HOUR)).isEqualTo("v4");
        assertThat(bStore.reads).as("B's own load was kept in its local level").isEmpty();
    }

    @Test
    void aStaleLocalCopyIsServedWhileOneRefreshRunsAndTheRefreshedValueIsKeptLocally() throws Exception {
        TestClock clock = new TestClock();
        CountingStore store = store(clock);
        Cache cache = twoLevel(store, clock);
        Freshness f = Freshness.builder().timeout(Duration.ofDays(1)).freshFor(Duration.ofMillis(500)).build();
        assertThat(cache.getOrSet("k", String.class, () -> "v1", f)).isEqualTo("v1");
        clock.advance(Duration.ofMillis(600)); // stale, still within the bound of the local copy's write
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger refreshes = new AtomicInteger();
        Supplier<String> slow = () -> {
            refreshes.incrementAndGet();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "v2";
        };
        store.reads.clear();
        for (int i = 0; i < 5; i++) {
            assertThat(cache.getOrSet("k", String.class, slow, f)).as("the stale value at once").isEqualTo("v1");
        }
        await(() -> refreshes.get() == 1, "the refresh to start");
        assertThat(store.readsOf("k")).as("the refresh reads the shared level once before it loads").isEqualTo(1);
        release.countDown();
        LocalLevel local = ((TwoLevelCache) cache).local(); // watched directly: a read through the cache would fill it
        await(() -> {
            var held = local.stamped("k", clock.millis());
            return held != null && "v2".equals(held.value());
        }, "the refresh's write in the local level");
        store.reads.clear();
        assertThat(cache.getOrSet("k", String.class, slow, f)).isEqualTo("v2");
        assertThat(store.reads).as("the refresh's write was kept locally").isEmpty();
        assertThat(refreshes).as("one refresh for five stale reads").hasValue(1);
        assertThat(cache.stats().staleServed()).isEqualTo(5);
        assertThat(cache.stats().refreshesStarted()).isEqualTo(1);
    }

    @Test
    void aTagInvalidationIsSeenAtOnceEvenWithoutTheBackplane() {
        CountingStore store = store();
        Cache cache = twoLevel(store, null);
        Cache outsider = Caches.open("file:" + dir); // no backplane: only the shared level hears of it
        opened.add(outsider);
        cache.set("k", "tagged", Timeout.DEFAULT, List.of("feed:7"));
        assertThat(cache.getOrSet("k", String.class, () -> "not loaded", HOUR)).isEqualTo("tagged");
        store.reads.clear();
        assertThat(cache.getOrSet("k", String.class, () -> "not loaded", HOUR)).isEqualTo("tagged");
        assertThat(store.reads).as("the tag's version is read").isNotEmpty();
        assertThat(store.readsOf("k")).as("the entry itself is the local copy").isZero();

        outsider.invalidateTag("feed:7");
        assertThat(cache.getOrSet("k", String.class, () -> "reloaded", HOUR)).isEqualTo("reloaded");
    }

    @Test
    void aLocalCopyLivesNoLongerThanTheSharedEntry() {
        TestClock clock = new TestClock();
        Cache cache = twoLevel(store(clock), clock);
        Freshness shortLived = Freshness.builder().timeout(Duration.ofMillis(300)).freshFor(Duration.ofMillis(100)).build();
        assertThat(cache.getOrSet("k", String.class, () -> "v1", shortLived)).isEqualTo("v1");
        clock.advance(Duration.ofMillis(400)); // within the bound, past the entry's timeout
        assertThat(cache.getOrSet("k", String.class, () -> "v2", shortLived)).as("expired: loaded again").isEqualTo("v2");
    }

    @Test
    void overADecoratedSharedCacheThePipelineRunsThereAndWhatItLoadsIsAnnounced() {
        Cache a = twoLevelOverDecorator();
        Cache b = twoLevelOverDecorator();
        b.set("k", "v0");
        assertThat(b.get("k")).isEqualTo("v0");
        assertThat(a.refresh("k", key -> "v1", HOUR).toCompletableFuture().join()).isTrue();
        await(() -> "v1".equals(b.get("k")), "A's refresh seen by B");
        assertThat(a.getOrSet("n", String.class, () -> "loaded", HOUR)).isEqualTo("loaded");
        assertThat(b.getOrSet("n", String.class, () -> "not loaded", HOUR)).isEqualTo("loaded");
    }

    private Cache twoLevelOverDecorator() {
        Cache decorated = new ForwardingCache(Caches.open("file:" + dir)) {
        };
        Cache c = TwoLevel.over(decorated).backplane("memory:?channel=decorated-" + dir).stalenessBound(BOUND).build();
        opened.add(c);
        return c;
    }

    @Test
    void theAsyncFaceLoadsThroughTheLocalLevelToo() {
        CountingStore store = store();
        Cache cache = twoLevel(store, null);
        CompletableFuture<String> loaded = cache.async().getOrSet("k", String.class, () -> "v1", HOUR).toCompletableFuture();
        assertThat(loaded.join()).isEqualTo("v1");
        store.reads.clear();
        assertThat(cache.async().getOrSetMany(List.of("k"), String.class, keys -> Map.of(), HOUR).toCompletableFuture().join())
                .containsExactly(Map.entry("k", "v1"));
        assertThat(cache.async().refresh("k", key -> "v2", HOUR).toCompletableFuture().join()).isTrue();
        store.reads.clear();
        assertThat(cache.getOrSet("k", String.class, () -> "not loaded", HOUR)).isEqualTo("v2");
        assertThat(store.reads).isEmpty();
    }
}
