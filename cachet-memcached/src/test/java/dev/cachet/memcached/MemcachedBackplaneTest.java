package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import dev.cachet.testkit.Servers;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two two-level instances over one memcached, with the polled generation backplane. */
class MemcachedBackplaneTest {
    /** True when {@code cache} did not reset its local level during {@code window} (a few polls). */
    private static boolean quietFor(Cache cache, Duration window) {
        long r = TwoLevel.stats(cache).orElseThrow().resets();
        return !Servers.waitUntil(() -> TwoLevel.stats(cache).orElseThrow().resets() != r, window);
    }

    @Test
    void anotherInstancesWriteClearsTheLocalLevelWithinAPollAndOwnWritesDoNot() {
        String location = MemcachedServers.singleLocation();
        String prefix = "tlm-" + UUID.randomUUID().toString().substring(0, 8);
        CacheConfig config = CacheConfig.builder(location).option("key_prefix", prefix).build();
        try (Cache a = TwoLevel.over(Caches.open(config)).backplane(location).channel(prefix)
                    .stalenessBound(Duration.ofMillis(400)).build();
             Cache b = TwoLevel.over(Caches.open(config)).backplane(location).channel(prefix)
                    .stalenessBound(Duration.ofMillis(400)).build();
             Cache raw = Caches.open(config)) {
            a.set("k", "v1");
            assertThat(Servers.waitUntil(() -> quietFor(b, Duration.ofMillis(500)), Duration.ofSeconds(10)))
                    .as("b's polls have seen a's write and settled").isTrue();
            assertThat(b.get("k")).isEqualTo("v1");
            long resets = TwoLevel.stats(b).orElseThrow().resets();
            b.set("mine", "m1"); // b's own write: its local level stays
            raw.set("k", "behind"); // so a read of k from b's local level shows
            assertThat(Servers.waitUntil(() -> TwoLevel.stats(b).orElseThrow().resets() != resets, Duration.ofSeconds(1)))
                    .as("no reset for b's own write in 1 s (8 polls)").isFalse();
            assertThat(b.get("k")).as("a local hit").isEqualTo("v1");
            a.set("k", "v2");
            assertThat(Servers.waitUntil(() -> "v2".equals(b.get("k")), Duration.ofSeconds(5)))
                    .as("a's write cleared b's local level").isTrue();
            assertThat(TwoLevel.stats(b).orElseThrow().resets()).isGreaterThan(resets);
        }
    }
}
