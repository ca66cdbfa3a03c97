package dev.cachet.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.metrics.CachetCacheMetrics;
import dev.cachet.metrics.MeteredCache;
import dev.cachet.spring.CachetSpringCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.cache.caffeine.CaffeineCache;

/**
 * What Spring's cache calls cost over cachet's local memory, against what a Spring application
 * would have instead, Spring's {@link CaffeineCache} (Boot's choice when Caffeine is present),
 * over the seed workload's 1000 small keys, every read a hit:
 *
 * <ul>
 *   <li>{@code springCaffeineGet}, {@code springCaffeineGetWithLoader}: Spring's {@code CaffeineCache}
 *       over {@code maximumSize(10_000).expireAfterWrite(1h)}, {@code get(key)} and
 *       {@code get(key, Callable)} ({@code @Cacheable} and {@code @Cacheable(sync = true)});</li>
 *   <li>{@code cachetGet}: cachet's own {@code get} on {@code memory:}, the floor;</li>
 *   <li>{@code springCachetGet}, {@code springCachetGetWithLoader}: {@link CachetSpringCache}
 *       over it (key mapping, value wrapper; the loader path is {@code getOrSet} with leases);</li>
 *   <li>{@code springCachetMeteredGet}: the same over a {@link MeteredCache} bound to a
 *       registry, as the Boot auto-configuration builds it with cachet-metrics present.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SpringCacheBenchmark {
    static final int KEYS = 1000;

    String[] keys;
    String value;
    int index;
    Callable<String> loader;

    Cache cachet;
    Cache meteredNative;
    CachetSpringCache springCachet;
    CachetSpringCache springCachetMetered;
    CaffeineCache springCaffeine;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Workload.keys('s', KEYS);
        value = Workload.smallValue();
        loader = () -> value;
        cachet = Caches.open("memory:?max_entries=10000&timeout=3600");
        meteredNative = Caches.open("memory:?max_entries=10000&timeout=3600");
        MeteredCache metered = new MeteredCache(meteredNative, "memory");
        CachetCacheMetrics.monitor(new SimpleMeterRegistry(), metered);
        springCachet = new CachetSpringCache(cachet);
        springCachetMetered = new CachetSpringCache(metered);
        springCaffeine = new CaffeineCache("caffeine", Caffeine.newBuilder().maximumSize(10_000)
                .expireAfterWrite(Duration.ofHours(1)).build());
        for (String k : keys) {
            springCachet.put(k, value);
            springCachetMetered.put(k, value);
            springCaffeine.put(k, value);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cachet.close();
        meteredNative.close();
    }

    private String next() {
        index = (index + 1) % KEYS;
        return keys[index];
    }

    @Benchmark
    public Object springCaffeineGet() {
        return springCaffeine.get(next());
    }

    @Benchmark
    public Object springCaffeineGetWithLoader() {
        return springCaffeine.get(next(), loader);
    }

    @Benchmark
    public Object cachetGet() {
        return cachet.get(next());
    }

    @Benchmark
    public Object springCachetGet() {
        return springCachet.get(next());
    }

    @Benchmark
    public Object springCachetGetWithLoader() {
        return springCachet.get(next(), loader);
    }

    @Benchmark
    public Object springCachetMeteredGet() {
        return springCachetMetered.get(next());
    }
}
