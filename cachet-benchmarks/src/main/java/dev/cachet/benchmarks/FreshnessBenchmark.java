package dev.cachet.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The fresh-data pipeline's hit path on local memory against what a user would pick instead:
 * Caffeine's {@code LoadingCache} with {@code refreshAfterWrite} (its stale-while-revalidate),
 * over the seed workload's 1000 small keys, every read a fresh hit.
 *
 * <ul>
 *   <li>{@code caffeineLoading}: {@code maximumSize(10_000).expireAfterWrite(1h).refreshAfterWrite(5m)}, {@code get};</li>
 *   <li>{@code cachetFreshness}: {@code getOrSet(key, String.class, loader, freshness)} with
 *       {@code timeout(1h).freshFor(5m)}: the stamp read, the freshness check, the counters;</li>
 *   <li>{@code cachetFreshnessXFetch}: the same with {@code xfetch(1.0)} (one random draw per hit);</li>
 *   <li>{@code cachetGetOrSet}: Django's {@code getOrSet(key, type, loader, Timeout)};</li>
 *   <li>{@code cachetGet}: a plain {@code get}, the floor.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FreshnessBenchmark {
    static final int KEYS = 1000;

    String[] keys;
    String value;
    int index;
    Supplier<String> loader;
    Freshness fresh;
    Freshness xfetch;

    Cache cachet;
    /** Entries written with XFetch (they carry a compute time, so every hit draws). */
    Cache cachetX;
    LoadingCache<String, Object> caffeine;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Workload.keys('s', KEYS);
        value = Workload.smallValue();
        loader = () -> value;
        fresh = Freshness.builder().timeout(Duration.ofHours(1)).freshFor(Duration.ofMinutes(5)).build();
        xfetch = fresh.toBuilder().xfetch(1.0).build();
        cachet = Caches.open("memory:?max_entries=10000&timeout=3600");
        cachetX = Caches.open("memory:?max_entries=10000&timeout=3600");
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1))
                .refreshAfterWrite(Duration.ofMinutes(5)).build(k -> value);
        for (String k : keys) {
            cachet.getOrSet(k, String.class, loader, fresh);
            cachetX.getOrSet(k, String.class, loader, xfetch);
            caffeine.get(k);
        }
        for (String k : keys) {
            if (!value.equals(cachet.getOrSet(k, String.class, () -> "miss", fresh)) || !value.equals(caffeine.get(k))) {
                throw new IllegalStateException("setup: " + k + " is not a hit");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cachet.close();
        cachetX.close();
    }

    private String next() {
        int i = index + 1;
        if (i == KEYS) {
            i = 0;
        }
        index = i;
        return keys[i];
    }

    @Benchmark
    public Object caffeineLoading() {
        return caffeine.get(next());
    }

    @Benchmark
    public Object cachetFreshness() {
        return cachet.getOrSet(next(), String.class, loader, fresh);
    }

    @Benchmark
    public Object cachetFreshnessXFetch() {
        return cachetX.getOrSet(next(), String.class, loader, xfetch);
    }

    @Benchmark
    public Object cachetGetOrSet() {
        return cachet.getOrSet(next(), String.class, loader, Timeout.DEFAULT);
    }

    @Benchmark
    public Object cachetGet() {
        return cachet.get(next());
    }
}
