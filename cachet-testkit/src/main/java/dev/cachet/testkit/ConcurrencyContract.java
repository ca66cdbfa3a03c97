package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The contract under concurrent callers: {@code incr} loses no update, exactly one racing
 * {@code add} wins, concurrent {@code getOrSet} runs the loader once per key, writers of
 * distinct keys all land, and no reader sees a half-written large value.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class ConcurrencyContract extends AsyncContract {

    // =====================================================================================
    // Concurrency
    // =====================================================================================

    private static final int THREADS = 8;

    /** Runs {@code task(thread)} on {@value #THREADS} threads released together; returns their results. */
    private static <T> List<T> race(java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<T> c = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.apply(thread);
                };
                futures.add(pool.submit(c));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a racing thread failed: " + e.getCause(), e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void incrIsExactUnderConcurrency() throws Exception {
        requireStorage();
        cache.set("counter", 0);
        int perThread = 1000;
        List<List<Long>> seen = race(t -> {
            List<Long> mine = new ArrayList<>(perThread);
            for (int i = 0; i < perThread; i++) {
                mine.add(cache.incr("counter"));
            }
            return mine;
        });
        assertThat(cache.get("counter")).isEqualTo((long) THREADS * perThread);
        Set<Long> all = seen.stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(all).as("every increment returned a distinct value").hasSize(THREADS * perThread);
        assertThat(all).contains(1L, (long) THREADS * perThread);
    }

    @Test
    void concurrentIncrAndDecrCancelOut() throws Exception {
        requireStorage();
        cache.set("counter", 100);
        race(t -> {
            for (int i = 0; i < 500; i++) {
                if (t % 2 == 0) {
                    cache.incr("counter", 3);
                } else {
                    cache.decr("counter", 3);
                }
            }
            return null;
        });
        assertThat(cache.get("counter")).isEqualTo(100L);
    }

    @Test
    void exactlyOneConcurrentAddWins() throws Exception {
        requireStorage();
        for (int k = 0; k < 20; k++) {
            String key = "race-" + k;
            List<Boolean> wins = race(t -> cache.add(key, "thread " + t));
            assertThat(wins.stream().filter(w -> w).count()).as("winners for %s", key).isEqualTo(1);
            int winner = wins.indexOf(true);
            assertThat(cache.get(key)).isEqualTo("thread " + winner);
        }
    }

    @Test
    void concurrentGetOrSetRunsTheLoaderOncePerKey() throws Exception {
        requireStorage();
        for (int k = 0; k < 20; k++) {
            String key = "load-" + k;
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            Set<Thread> callers = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<String>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    futures.add(pool.submit(() -> {
                        callers.add(Thread.currentThread());
                        start.await(30, TimeUnit.SECONDS);
                        return cache.getOrSet(key, String.class, () -> {
                            runs.incrementAndGet();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return "value of " + key;
                        });
                    }));
                }
                // hold the loader until every caller is parked (best effort: it only widens the race)
                waitUntil(() -> runs.get() > 0 && callers.size() == THREADS && callers.stream()
                        .allMatch(th -> th.getState() == Thread.State.WAITING || th.getState() == Thread.State.TIMED_WAITING),
                        Duration.ofSeconds(2));
                release.countDown();
                for (Future<String> f : futures) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("value of " + key);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(runs).as("loader runs for %s", key).hasValue(1);
            assertThat(cache.get(key)).isEqualTo("value of " + key);
        }
    }

    @Test
    void concurrentWritersOfDistinctKeysAllLand() throws Exception {
        requireStorage();
        int perThread = 25;
        race(t -> {
            for (int i = 0; i < perThread; i++) {
                cache.set("k-" + t + "-" + i, t * 1000 + i);
            }
            return null;
        });
        List<String> keys = IntStream.range(0, THREADS).boxed()
                .flatMap(t -> IntStream.range(0, perThread).mapToObj(i -> "k-" + t + "-" + i)).toList();
        Map<String, Object> found = cache.getMany(keys);
        assertThat(found).hasSize(THREADS * perThread);
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(found.get("k-" + t + "-" + i)).isEqualTo((long) (t * 1000 + i));
            }
        }
    }

    @Test
    void readersNeverSeeAHalfWrittenLargeValue() throws Exception {
        requireStorage();
        byte[] a = new byte[100_000];
        byte[] b = new byte[100_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        cache.set("key", a);
        race(t -> {
            for (int i = 0; i < 30; i++) {
                if (t < 2) {
                    cache.set("key", (i + t) % 2 == 0 ? a : b);
                } else {
                    byte[] read = cache.get("key", byte[].class);
                    if (read != null && !Arrays.equals(read, a) && !Arrays.equals(read, b)) {
                        throw new AssertionError("read a mixture of two writes");
                    }
                }
            }
            return null;
        });
        assertThat(cache.get("key", byte[].class)).satisfiesAnyOf(v -> assertThat(v).isEqualTo(a),
                v -> assertThat(v).isEqualTo(b));
    }
}
