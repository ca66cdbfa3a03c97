package dev.cachet.internal.memory;

import dev.cachet.testkit.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The by-reference store overwrites timed entries in place ({@link Slot}); these races are the
 * ones that an in-place write could lose to a concurrent removal of the same holder, or tear.
 */
class ReferenceSlotRaceTest {
    private static final int KEYS = 16;

    private final TestClock clock = new TestClock();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    private Cache open() {
        return Caches.open(CacheConfig.of("memory:?max_entries=100000&timeout=60").toBuilder().clock(clock).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs {@code workers} until the first finishes its loop, with {@code noise} running meanwhile. */
    private void race(Callable<Void> worker, Runnable noise) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        List<Future<?>> noisy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            noisy.add(pool.submit(() -> {
                while (!done.get()) {
                    noise.run();
                }
                return null;
            }));
        }
        try {
            pool.submit(worker).get(60, TimeUnit.SECONDS);
        } finally {
            done.set(true);
        }
        for (Future<?> f : noisy) {
            f.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSetIsNeverLostToTheRemovalOfTheExpiredEntryItOverwrote() throws Exception {
        try (Cache cache = open()) {
            AtomicInteger lost = new AtomicInteger();
            race(() -> {
                for (int i = 0; i < 200_000; i++) {
                    String key = "k" + (i % KEYS);
                    // a short entry, expired at once by the clock, then a long one over it in place
                    cache.set(key, "short", Duration.ofMillis(1));
                    clock.advance(Duration.ofMillis(2));
                    cache.set(key, i, Duration.ofHours(1));
                    if (!Long.valueOf(i).equals(cache.get(key))) { // ints are stored as Longs
                        lost.incrementAndGet();
                    }
                }
                return null;
            }, () -> {
                // readers meet the expired entries and remove them; so does the sweep
                for (int k = 0; k < KEYS; k++) {
                    cache.get("k" + k);
                    cache.getMany(List.of("k" + k, "k" + ((k + 1) % KEYS)));
                }
            });
            assertThat(lost.get()).as("sets whose value the writer could not read back").isZero();
        }
    }

    @Test
    void readsNeverGoBackwardsWhileOneWriterOverwritesInPlace() throws Exception {
        try (Cache cache = open()) {
            cache.set("k", 0L, Duration.ofHours(1));
            AtomicBoolean backwards = new AtomicBoolean();
            ThreadLocal<long[]> last = ThreadLocal.withInitial(() -> new long[1]);
            race(() -> {
                for (long i = 1; i <= 500_000; i++) {
                    // alternate a timed and a forever write so both holder forms replace each other
                    cache.set("k", i, i % 3 == 0 ? Timeout.FOREVER : Timeout.of(Duration.ofHours(1)));
                }
                return null;
            }, () -> {
                Object v = cache.get("k");
                if (!(v instanceof Long n)) {
                    backwards.set(true); // a miss or a torn value: the key always holds a Long
                    return;
                }
                // each reader on its own: reads by one thread must not go backwards
                long[] seen = last.get();
                if (n < seen[0]) {
                    backwards.set(true);
                }
                seen[0] = n;
            });
            assertThat(backwards).as("a reader saw a miss, a non-Long, or an older value after a newer").isFalse();
            assertThat(cache.get("k")).isEqualTo(500_000L);
        }
    }

    @Test
    void exactlyOneAddWinsOverAnExpiredEntry() throws Exception {
        try (Cache cache = open()) {
            for (int round = 0; round < 2_000; round++) {
                cache.set("k", "old", Duration.ofMillis(1));
                clock.advance(Duration.ofMillis(2));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> adds = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    adds.add(pool.submit(() -> {
                        go.await();
                        return id % 2 == 0 ? cache.add("k", "new" + id) : cache.get("k") == null && cache.add("k", "new" + id);
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> f : adds) {
                    winners += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
                assertThat(cache.get("k")).asString().startsWith("new");
            }
        }
    }

    @Test
    void incrementsStayExactWhileTimedOverwritesAndTouchesRunOnOtherKeys() throws Exception {
        try (Cache cache = open()) {
            cache.set("n", 0, Duration.ofHours(1));
            race(() -> {
                for (int i = 0; i < 100_000; i++) {
                    cache.incr("n");
                }
                return null;
            }, () -> {
                cache.incr("n", 0);
                cache.touch("n", Timeout.of(Duration.ofHours(2)));
            });
            assertThat(cache.get("n")).isEqualTo(100_000L);
        }
    }
}
