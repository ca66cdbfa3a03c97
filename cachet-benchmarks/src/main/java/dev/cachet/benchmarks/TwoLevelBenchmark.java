package dev.cachet.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import java.time.Duration;
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

/**
 * A two-level cache's local hit against raw Caffeine (the goal: within 1.2x), on the 1000
 * working-set keys of the seed workload with its 100-character value, the key index cycling.
 *
 * <ul>
 *   <li>{@code twoLevelGet}: {@code TwoLevel.over(memory:)} with a 1-minute local timeout and a
 *       1-second bound, on the in-process backplane, whose heartbeats keep the local level
 *       confirmed in sync: every read is a local hit (checked at setup);</li>
 *   <li>{@code caffeineGet}: raw Caffeine as a user builds a local level,
 *       {@code maximumSize(10_000).expireAfterWrite(1m)}, {@code getIfPresent}.</li>
 * </ul>
 * The shared level is local memory so that a miss would be cheap too; only hits are measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class TwoLevelBenchmark {
    static final int KEYS = 1000;

    String[] keys;
    String value;
    int index;
    Cache shared;
    Cache twoLevel;
    com.github.benmanes.caffeine.cache.Cache<String, Object> caffeine;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Workload.keys('s', KEYS);
        value = Workload.smallValue();
        shared = Caches.open("memory:?max_entries=10000&timeout=3600");
        twoLevel = TwoLevel.over(shared).backplane("memory:?channel=bench").localMaxEntries(10_000)
                .localTimeout(Duration.ofMinutes(1)).stalenessBound(Duration.ofSeconds(1)).build();
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
        for (String k : keys) {
            twoLevel.set(k, value);
            twoLevel.get(k);
            caffeine.put(k, value);
        }
        shared.clear(); // from here a read that is not a local hit would miss
        for (String k : keys) {
            if (!value.equals(twoLevel.get(k)) || !value.equals(caffeine.getIfPresent(k))) {
                throw new IllegalStateException("setup: " + k + " is not a local hit");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (String k : keys) {
            if (!value.equals(twoLevel.get(k))) {
                throw new IllegalStateException("after the run " + k + " is no local hit: " + TwoLevel.stats(twoLevel));
            }
        }
        twoLevel.close();
    }

    private String next() {
        String k = keys[index];
        index = index + 1 == KEYS ? 0 : index + 1;
        return k;
    }

    @Benchmark
    public Object twoLevelGet() {
        return twoLevel.get(next());
    }

    @Benchmark
    public Object caffeineGet() {
        return caffeine.getIfPresent(next());
    }
}
