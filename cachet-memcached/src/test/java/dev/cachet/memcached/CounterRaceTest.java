package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.testkit.Servers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Increments (memcached's {@code ma}) racing decrements and touches (reads, then writes under
 * the read's CAS) on one counter: no update is lost. memcached's {@code ma}, replacing an item a
 * reader still holds, gives the old item the new one's CAS, so a plain {@code mg} in a CAS loop
 * could pair the old value with the new CAS and its write drop the increment (the contract's
 * 8-thread race ended 3 off now and then). Many rounds, so that the window is hit.
 */
class CounterRaceTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 40;
    private static final int OPS = 200;

    private Servers.Memcached server;
    private Cache cache;

    @BeforeEach
    void start() {
        server = Servers.startMemcached();
        cache = Caches.open(CacheConfig.builder("memcached://" + server.address() + "?key_prefix=race").build());
    }

    @AfterEach
    void stop() {
        if (cache != null) {
            cache.close();
        }
        server.close();
    }

    @Test
    void incrementsRacingDecrementsAndTouchesAreNeverLost() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String key = "counter-" + round;
                cache.set(key, 1_000_000L);
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < OPS; i++) {
                            switch (thread % 4) {
                                case 0, 1 -> cache.incr(key, 3);
                                case 2 -> cache.decr(key, 3);
                                default -> {
                                    cache.decr(key, 3);
                                    cache.touch(key, Duration.ofHours(1));
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                assertThat(cache.get(key)).as("round %d", round).isEqualTo(1_000_000L);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
