package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cachet.CacheConfig;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the blocking transport (the default) has: connections taken per call from a
 * bounded pool, checked after sitting idle, and calls on the caller's own thread, which may be
 * interrupted. Each test has its own memcached server, so the connections it counts are its own,
 * with one worker thread: memcached counts a connection ({@code total_connections}) when a
 * worker sets it up, and with several workers a connection accepted earlier (the start-up
 * check's) could be counted after the stats request meant to follow it (CI saw 3 for 2).
 */
class BlockingTransportTest {
    private Servers.Memcached server;
    private final List<Store> stores = new ArrayList<>();

    @BeforeEach
    void start() {
        server = Servers.startMemcached(List.of("-t", "1"));
    }

    @AfterEach
    void stop() {
        stores.forEach(Store::close);
        server.close();
    }

    private Store open(String options) {
        Store s = new MemcachedBackendProvider().open(CacheConfig.builder("memcached://" + server.address()
                + "?flush_on_clear=true&" + options).build());
        stores.add(s);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The connections the server has accepted since it started ({@code total_connections}). */
    private long acceptedConnections() {
        try (RawMemcached raw = new RawMemcached(server.host(), server.port())) {
            for (String line : raw.linesUntil("stats", "END")) {
                if (line.startsWith("STAT total_connections ")) {
                    return Long.parseLong(line.substring("STAT total_connections ".length()).trim());
                }
            }
        }
        throw new AssertionError("memcached's stats have no total_connections");
    }

    @Test
    void callsBeyondMaxConnectionsWaitForAFreeOneAndEveryValueComesBackRight() throws Exception {
        Store store = open("max_connections=2");
        long before = acceptedConnections();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 300; i++) {
                        String key = "t" + thread + "-" + (i % 20);
                        byte[] value = bytes(key + "=" + i);
                        assertThat(store.put(key, value, Store.NEVER, PutMode.SET)).isTrue();
                        assertThat(store.get(key)).isEqualTo(value);
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(300);
            }
        } finally {
            pool.shutdownNow();
        }
        // the stats connection of acceptedConnections() counts one more each time it is called
        assertThat(acceptedConnections() - before - 1).as("connections the store opened").isBetween(1L, 2L);
    }

    @Test
    void aRestartedServersOldConnectionsAreReplacedNotFailedOn() {
        Store store = open("failure_limit=1&retry_interval=100ms");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(store.put("k", bytes("v"), Store.NEVER, PutMode.SET)).isTrue();
            assertThat(store.get("k")).isEqualTo(bytes("v"));
            server.restart(); // the pooled connection is now closed by its peer
            assertThat(store.get("k")).as("the restarted server is empty").isNull();
            assertThat(store.put("k", bytes("w"), Store.NEVER, PutMode.SET)).isTrue();
            assertThat(store.get("k")).isEqualTo(bytes("w"));
        });
    }

    @Test
    void anInterruptedCallerFailsAloneKeepsItsInterruptAndTheNodeStaysUp() {
        Store store = open("failure_limit=1&retry_interval=10s");
        assertThat(store.put("k", bytes("v"), Store.NEVER, PutMode.SET)).isTrue();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class)
                    .hasMessageContaining("interrupted").hasMessageContaining(server.address());
        } finally {
            assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
        }
        // with failure_limit=1 one node fault would have marked the node down for 10 s
        assertThat(store.get("k")).isEqualTo(bytes("v"));
        assertThat(store.getMany(Arrays.asList("k", "missing"))).containsOnlyKeys("k");
    }
}
