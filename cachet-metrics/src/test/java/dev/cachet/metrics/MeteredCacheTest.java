package dev.cachet.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.testkit.Servers;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link MeteredCache} counts and what {@link CachetCacheMetrics} shows of it. */
class MeteredCacheTest {
    private final dev.cachet.Cache memory = Caches.open(CacheConfig.builder("memory:").name("books").build());
    private final MeteredCache cache = new MeteredCache(memory, "memory");
    private final MeterRegistry registry = CachetCacheMetrics.monitor(new SimpleMeterRegistry(), cache, "app", "test");

    @AfterEach
    void close() {
        cache.close();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).tag("cache", "books").tag("app", "test").functionCounter().count();
    }

    private FunctionTimer latency(String operation) {
        return registry.get("cache.latency").tag("cache", "books").tag("operation", operation).functionTimer();
    }

    @Test
    void plainReadsAndWritesAreCounted() {
        cache.set("a", 1);
        cache.set("n", null);
        assertThat(cache.add("a", 2)).isFalse();
        assertThat(cache.add("b", 2)).isTrue();
        cache.setMany(Map.of("c", 3, "d", 4));
        assertThat(cache.get("a")).isEqualTo(1L);
        assertThat(cache.get("n")).isNull();                       // a stored null: a hit
        assertThat(cache.get("zz", String.class)).isNull();        // a miss
        assertThat(cache.get("zz", String.class, "dflt")).isEqualTo("dflt");
        assertThat(cache.lookup("b").isHit()).isTrue();
        assertThat(cache.getMany(List.of("c", "d", "missing"))).hasSize(2);
        assertThat(cache.delete("a")).isTrue();
        assertThat(cache.delete("a")).isFalse();
        assertThat(cache.deleteMany(List.of("c", "d"))).isEqualTo(2);

        assertThat(cache.hits()).isEqualTo(5);
        assertThat(cache.misses()).isEqualTo(3);
        assertThat(cache.puts()).isEqualTo(5);
        assertThat(cache.removals()).isEqualTo(3);
        assertThat(counter("cache.gets", "result", "hit")).isEqualTo(5);
        assertThat(counter("cache.gets", "result", "miss")).isEqualTo(3);
        assertThat(counter("cache.puts")).isEqualTo(5);
        assertThat(counter("cache.evictions")).isEqualTo(3);
        assertThat(latency("get").count()).isEqualTo(6);
        assertThat(latency("put").count()).isEqualTo(5);
        assertThat(latency("delete").count()).isEqualTo(3);
        assertThat(latency("get").totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void theAsyncFaceAndVersionViewsShareTheCounts() throws Exception {
        cache.async().set("k", "v").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(cache.async().get("k").toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("v");
        assertThat(cache.async().lookup("nope").toCompletableFuture().get(10, TimeUnit.SECONDS).isMiss()).isTrue();
        assertThat(cache.async().delete("k").toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.async().sync()).isSameAs(cache);
        dev.cachet.Cache v2 = cache.withVersion(2);
        v2.set("k", "v2");
        assertThat(v2.get("k")).isEqualTo("v2");

        assertThat(cache.puts()).isEqualTo(2);
        assertThat(cache.hits()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.removals()).isEqualTo(1);
        assertThat(latency("get").count()).isEqualTo(3);
    }

    @Test
    void theFreshDataPipelineShowsAsGetsPutsAndLoads() {
        Freshness f = Freshness.freshFor(Duration.ofMinutes(1));
        assertThat(cache.getOrSet("p", String.class, () -> "loaded", f)).isEqualTo("loaded");   // miss, load
        assertThat(cache.getOrSet("p", String.class, () -> "again", f)).isEqualTo("loaded");    // hit
        assertThatThrownBy(() -> cache.getOrSet("q", String.class, () -> {
            throw new IllegalStateException("down");
        }, f)).hasMessage("down");

        assertThat(counter("cache.gets", "result", "hit")).isEqualTo(1);
        assertThat(counter("cache.gets", "result", "miss")).isEqualTo(2);
        assertThat(counter("cache.puts")).isEqualTo(1);
        assertThat(counter("cache.loads")).isEqualTo(2);
        assertThat(counter("cache.load.failures")).isEqualTo(1);
        assertThat(counter("cache.refreshes", "result", "started")).isZero();
        assertThat(counter("cache.stale.served")).isZero();
        assertThat(latency("get_or_set").count()).isEqualTo(3);
        assertThat(counter("cache.errors", "backend", "memory")).as("a loader's failure is not the backend's").isZero();
    }

    @Test
    void backendFailuresAreCountedByBackend() throws Exception {
        int port = Servers.freePort(); // nothing listens there: a real client, a real refusal
        try (MeteredCache down = new MeteredCache(Caches.open(CacheConfig.builder("redis://127.0.0.1:" + port + "/0")
                .name("down").option("on_error", "raise").option("connect_timeout", "1s").build()), "redis")) {
            MeterRegistry r = CachetCacheMetrics.monitor(new SimpleMeterRegistry(), down);
            assertThatThrownBy(() -> down.get("k")).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> down.set("k", "v")).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> down.async().get("k").toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(CacheException.class);
            assertThat(down.errors()).isEqualTo(3);
            assertThat(r.get("cache.errors").tag("cache", "down").tag("backend", "redis").functionCounter().count())
                    .isEqualTo(3);
            assertThat(r.get("cache.latency").tag("operation", "get").functionTimer().count()).isEqualTo(2);
        }
    }
}
