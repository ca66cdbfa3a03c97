package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A private Redis (its own process on a free port, never the shared one) killed and restarted
 * under running caches, and frozen: while it is down every operation fails at once, per the
 * cache's error policy; while it hangs, no call waits longer than the command timeout; once it
 * is back, the same cache objects work again by themselves (Lettuce reconnects in the
 * background; the blocking transport opens new connections). Nothing sleeps a fixed time:
 * every wait polls for its condition. On the default blocking transport;
 * {@link PipelinedRedisRestartTest} runs it all again through Lettuce's connection.
 */
class RedisRestartTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** The {@code transport} option's value under test. */
    String transport() {
        return "blocking";
    }

    private Cache open(RedisProcess redis, String name, String onError) {
        return Caches.open(CacheConfig.builder("redis://" + redis.address() + "/0").name(name).option("transport", transport())
                .option("key_prefix", "restart").option("on_error", onError)
                .option("command_timeout", COMMAND_TIMEOUT.toMillis() + "ms").option("connect_timeout", "1s").build());
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void redisKilledAndRestartedMidRun() {
        try (RedisProcess redis = RedisProcess.launch();
                Cache raising = open(redis, "raising", "raise");
                Cache degrading = open(redis, "degrading", "degrade")) {
            raising.set("before", "kept");
            raising.set("n", 10);
            assertThat(degrading.get("before")).isEqualTo("kept");

            redis.kill();

            // down, raise: a CacheException naming the operation, caused by a StoreException naming the server; at once
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> raising.get("before")).isInstanceOf(CacheException.class)
                        .hasMessageContaining("get").hasCauseInstanceOf(StoreException.class)
                        .cause().hasMessageContaining(redis.address()).hasMessageContaining("GET");
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a down server fails fast, not after the timeout")
                        .isLessThan(COMMAND_TIMEOUT);
            }
            assertThatThrownBy(() -> raising.set("during", "x")).isInstanceOf(CacheException.class).hasMessageContaining("set");
            assertThatThrownBy(() -> raising.incr("n")).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> raising.getMany(List.of("a", "b"))).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> raising.clear()).isInstanceOf(CacheException.class);

            // down, degrade: misses and reported failures; incr and clear still throw
            assertThat(degrading.get("before")).isNull();
            assertThat(degrading.get("before", String.class, "fallback")).isEqualTo("fallback");
            assertThat(degrading.hasKey("before")).isFalse();
            assertThat(degrading.set("during", "x")).isFalse();
            assertThat(degrading.add("during", "x")).isFalse();
            assertThat(degrading.touch("before", dev.cachet.Timeout.ofSeconds(60))).isFalse();
            assertThat(degrading.delete("before")).isFalse();
            assertThat(degrading.getMany(List.of("a", "b"))).isEmpty();
            assertThat(degrading.setMany(Map.of("a", 1, "b", 2))).containsExactlyInAnyOrder("a", "b");
            assertThatThrownBy(() -> degrading.incr("n")).isInstanceOf(CacheException.class);

            redis.start(); // the same port; an empty server (no persistence)

            // back: the same cache objects recover by themselves
            awaitTrue(() -> worksAgain(raising), "the raising cache to work again after the restart");
            awaitTrue(() -> worksAgain(degrading), "the degrading cache to work again after the restart");
            assertThat(raising.get("before")).as("the restarted server is empty: a plain miss").isNull();
            for (int i = 0; i < 20; i++) {
                assertThat(raising.set("after-" + i, i)).isTrue();
                assertThat(degrading.get("after-" + i)).isEqualTo((long) i);
            }
            assertThat(raising.add("n", 41)).isTrue();
            assertThat(raising.incr("n")).isEqualTo(42); // the incr script is loaded again on the new server
            assertThat(degrading.add("during", "y")).isTrue();
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFrozenServerTimesOutWithinTheCommandTimeout() throws Exception {
        try (RedisProcess redis = RedisProcess.launch();
                Cache raising = open(redis, "frozen", "raise");
                Cache degrading = open(redis, "frozen-degrade", "degrade")) {
            raising.set("k", "v");
            // versioned writes all along: a set sent to the frozen server and reported failed runs when
            // it thaws, in order, before any later command: no key may read back older than its last acknowledged write
            int keys = 8;
            java.util.concurrent.atomic.AtomicLongArray acked = new java.util.concurrent.atomic.AtomicLongArray(keys);
            java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
            Thread writer = new Thread(() -> {
                for (long version = 1; writing.get(); version++) {
                    int i = (int) (version % keys);
                    long t0 = System.nanoTime();
                    try {
                        if (raising.set("ver" + i, "v" + version)) {
                            acked.set(i, version);
                        }
                    } catch (CacheException e) {
                        // frozen: the write times out
                    }
                    slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                }
            });
            writer.start();
            long pid = redis.pid();
            signal("STOP", pid); // the socket stays open; nothing answers
            try {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> raising.get("k")).isInstanceOf(CacheException.class)
                        .hasCauseInstanceOf(StoreException.class);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).isGreaterThanOrEqualTo(COMMAND_TIMEOUT.minusMillis(100))
                        .isLessThan(COMMAND_TIMEOUT.plusSeconds(2));
                t0 = System.nanoTime();
                assertThat(degrading.get("k")).isNull();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(COMMAND_TIMEOUT.plusSeconds(2));
            } finally {
                signal("CONT", pid);
            }
            awaitTrue(() -> {
                try {
                    return "v".equals(raising.get("k"));
                } catch (CacheException e) {
                    return false;
                }
            }, "the thawed server to answer again");
            long resumedAt = acked.get(0);
            awaitTrue(() -> acked.get(0) > resumedAt + 1, "versioned writes to be acknowledged again after the thaw");
            writing.set(false);
            writer.join(10_000);
            assertThat(Duration.ofNanos(slowest.get())).as("the slowest versioned write").isLessThan(COMMAND_TIMEOUT.plusSeconds(2));
            for (int i = 0; i < keys; i++) {
                String v = raising.get("ver" + i, String.class);
                assertThat(v).as("ver%d", i).isNotNull();
                assertThat(Long.parseLong(v.substring(1))).as("ver%d: never older than the last acknowledged write", i)
                        .isGreaterThanOrEqualTo(acked.get(i));
            }
        }
    }

    @Test
    void openingWhenTheServerIsDownSucceedsAndOperationsFailFastWithACacheException() {
        int port;
        try (RedisProcess redis = RedisProcess.launch()) {
            port = redis.port(); // free again once closed
        }
        long t0 = System.nanoTime();
        try (Cache cache = Caches.open("redis://127.0.0.1:" + port + "/0?connect_timeout=1s")) {
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("cannot connect to redis://127.0.0.1:" + port)
                    .hasCauseInstanceOf(StoreException.class);
        }
    }

    private static boolean worksAgain(Cache cache) {
        try {
            return cache.set("probe", "p") && "p".equals(cache.get("probe"));
        } catch (CacheException e) {
            return false;
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        Duration limit = Duration.ofSeconds(30);
        if (!Servers.waitUntil(condition::get, limit)) {
            throw new AssertionError("gave up after " + limit + " waiting for " + what);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kill -%s %s", signal, pid).isZero();
    }
}
