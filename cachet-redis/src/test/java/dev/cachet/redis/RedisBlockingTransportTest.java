package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the blocking transport (the default on {@code redis://}) has: connections taken per
 * call from a bounded pool, each logged in and on its database, and calls on the caller's own
 * thread, which may be interrupted. A private Redis, so the clients it counts are this test's.
 */
class RedisBlockingTransportTest {
    private RedisProcess redis;
    private final List<Cache> caches = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisProcess.launch("--requirepass", "pw");
    }

    @AfterEach
    void stop() {
        caches.forEach(Cache::close);
        redis.close();
    }

    private Cache open(String options) {
        Cache c = Caches.open("redis://:pw@" + redis.address() + "/3?" + options);
        caches.add(c);
        return c;
    }

    /** The clients connected to the server now ({@code INFO clients}), the one asking included. */
    private long connectedClients() {
        String info = RedisKeys.with("redis://:pw@" + redis.address() + "/0", r -> r.info("clients"));
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("connected_clients:")) {
                return Long.parseLong(line.substring("connected_clients:".length()).trim());
            }
        }
        throw new AssertionError("INFO clients has no connected_clients: " + info);
    }

    @Test
    void callsBeyondMaxConnectionsWaitForAFreeOneOnTheirDatabaseAndEveryValueComesBackRight() throws Exception {
        Cache cache = open("max_connections=2&client_name=cachet-test");
        long before = connectedClients();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                assertThat(cache.add("n" + thread, 0)).isTrue();
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        String key = "t" + thread + "-" + (i % 20);
                        assertThat(cache.set(key, key + "=" + i)).isTrue();
                        assertThat(cache.get(key)).isEqualTo(key + "=" + i);
                        assertThat(cache.incr("n" + thread)).isEqualTo(i + 1L);
                    }
                    return 300;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(connectedClients() - before).as("connections beyond the one opened first").isBetween(0L, 1L);
        String clients = RedisKeys.with("redis://:pw@" + redis.address() + "/0", r -> r.clientList());
        assertThat(clients.lines().filter(l -> l.contains("name=cachet-test")))
                .as("every connection named, on database 3").isNotEmpty().allMatch(l -> l.contains(" db=3 "));
    }

    @Test
    void anInterruptedCallerFailsAloneKeepsItsInterruptAndTheNextCallWorks() {
        Cache cache = open("");
        assertThat(cache.set("k", "v")).isTrue();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class).cause()
                    .hasMessageContaining("interrupted").hasMessageContaining(redis.address());
        } finally {
            assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
        }
        assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void aWrongPasswordIsRefusedAtOpenWithoutShowingIt() {
        assertThatThrownBy(() -> Caches.open("redis://:not-the-pw@" + redis.address() + "/0"))
                .hasMessageContaining("AUTH").message().doesNotContain("not-the-pw");
    }
}
