package dev.cachet.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cachet.Cache;
import dev.cachet.Caches;
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
 * The local-memory backend against raw Caffeine on the seed workload's small phase: get (always
 * a hit) and set (always an overwrite) over the 1000 working-set keys {@code bench:s:%06d},
 * the key index cycling, with the 100-character value {@code gen(1, 100)}.
 *
 * <ul>
 *   <li>{@code cachet*}: {@code memory:?max_entries=10000&timeout=3600}, by reference (the
 *       acceptance gate: within 1.25x of {@code caffeine*});</li>
 *   <li>{@code caffeine*}: raw Caffeine as a user builds a TTL cache,
 *       {@code maximumSize(10_000).expireAfterWrite(1h)}, {@code getIfPresent} / {@code put};</li>
 *   <li>{@code caffeineVar*}: raw Caffeine with variable expiry ({@code expireAfter} with a
 *       per-entry {@link Expiry}), which is what per-entry timeouts need, so a fairer
 *       baseline for what the memory backend does;</li>
 *   <li>{@code cachetByValue*}: the same cache with {@code store_by_value=true} (a copy of the
 *       value per read and write), for information.</li>
 * </ul>
 *
 * Every op returns its result so JMH consumes it. Run the baselines and ours in the same JMH
 * run and compare ratios: the machines are shared and noisy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MemoryVsCaffeineBenchmark {
    static final int KEYS = 1000;
    static final Duration TTL = Duration.ofHours(1);

    String[] keys;
    String value;
    int index;

    Cache cachet;
    Cache cachetByValue;
    com.github.benmanes.caffeine.cache.Cache<String, Object> caffeine;
    com.github.benmanes.caffeine.cache.Cache<String, Object> caffeineVar;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Workload.keys('s', KEYS);
        value = Workload.smallValue();
        cachet = Caches.open("memory:?max_entries=10000&timeout=3600");
        cachetByValue = Caches.open("memory:?max_entries=10000&timeout=3600&store_by_value=true");
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(TTL).build();
        caffeineVar = Caffeine.newBuilder().maximumSize(10_000).expireAfter(new FixedExpiry(TTL)).build();
        for (String k : keys) {
            cachet.set(k, value);
            cachetByValue.set(k, value);
            caffeine.put(k, value);
            caffeineVar.put(k, value);
        }
        for (String k : keys) {
            check(cachet.get(k), k);
            check(cachetByValue.get(k), k);
            check(caffeine.getIfPresent(k), k);
            check(caffeineVar.getIfPresent(k), k);
        }
    }

    private void check(Object got, String key) {
        if (!value.equals(got)) {
            throw new IllegalStateException("setup: " + key + " read back " + got);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cachet.close();
        cachetByValue.close();
    }

    private String nextKey() {
        int i = index;
        index = i + 1 == KEYS ? 0 : i + 1;
        return keys[i];
    }

    // ---- get (always a hit) ----

    @Benchmark
    public Object cachetGet() {
        return cachet.get(nextKey());
    }

    @Benchmark
    public Object caffeineGet() {
        return caffeine.getIfPresent(nextKey());
    }

    @Benchmark
    public Object caffeineVarGet() {
        return caffeineVar.getIfPresent(nextKey());
    }

    @Benchmark
    public Object cachetByValueGet() {
        return cachetByValue.get(nextKey());
    }

    // ---- set (always an overwrite) ----

    @Benchmark
    public boolean cachetSet() {
        return cachet.set(nextKey(), value);
    }

    @Benchmark
    public String caffeineSet() {
        String k = nextKey();
        caffeine.put(k, value);
        return k;
    }

    @Benchmark
    public String caffeineVarSet() {
        String k = nextKey();
        caffeineVar.put(k, value);
        return k;
    }

    @Benchmark
    public boolean cachetByValueSet() {
        return cachetByValue.set(nextKey(), value);
    }

    /** Every entry lives {@code ttl} from its last write; reads do not extend it. */
    static final class FixedExpiry implements Expiry<String, Object> {
        private final long nanos;

        FixedExpiry(Duration ttl) {
            this.nanos = ttl.toNanos();
        }

        @Override
        public long expireAfterCreate(String key, Object value, long currentTime) {
            return nanos;
        }

        @Override
        public long expireAfterUpdate(String key, Object value, long currentTime, long currentDuration) {
            return nanos;
        }

        @Override
        public long expireAfterRead(String key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
