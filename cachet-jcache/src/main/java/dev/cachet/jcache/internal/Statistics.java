package dev.cachet.jcache.internal;

import java.util.concurrent.atomic.LongAdder;
import javax.cache.management.CacheStatisticsMXBean;

/**
 * A JCache cache's statistics (JSR-107 section 12.4): counted while statistics are enabled,
 * readable as {@link CacheStatisticsMXBean} and through JMX. Times are kept in nanoseconds and
 * reported as averages in microseconds.
 */
public final class Statistics implements CacheStatisticsMXBean {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder removals = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder getNanos = new LongAdder();
    private final LongAdder putNanos = new LongAdder();
    private final LongAdder removeNanos = new LongAdder();
    private volatile boolean enabled;

    Statistics(boolean enabled) {
        this.enabled = enabled;
    }

    void enable(boolean on) {
        this.enabled = on;
    }

    boolean enabled() {
        return enabled;
    }

    void hits(long n) {
        if (enabled) {
            hits.add(n);
        }
    }

    void misses(long n) {
        if (enabled) {
            misses.add(n);
        }
    }

    /** Counts a lookup: a hit, or a miss. */
    void lookup(boolean hit) {
        if (hit) {
            hits(1);
        } else {
            misses(1);
        }
    }

    void puts(long n) {
        if (enabled) {
            puts.add(n);
        }
    }

    void removals(long n) {
        if (enabled) {
            removals.add(n);
        }
    }

    void getTime(long startNanos) {
        if (enabled) {
            getNanos.add(System.nanoTime() - startNanos);
        }
    }

    void putTime(long startNanos) {
        if (enabled) {
            putNanos.add(System.nanoTime() - startNanos);
        }
    }

    void removeTime(long startNanos) {
        if (enabled) {
            removeNanos.add(System.nanoTime() - startNanos);
        }
    }

    @Override
    public void clear() {
        for (LongAdder a : new LongAdder[] {hits, misses, puts, removals, evictions, getNanos, putNanos, removeNanos}) {
            a.reset();
        }
    }

    @Override
    public long getCacheHits() {
        return hits.sum();
    }

    @Override
    public float getCacheHitPercentage() {
        long gets = getCacheGets();
        return gets == 0 ? 0f : (float) getCacheHits() * 100f / gets;
    }

    @Override
    public long getCacheMisses() {
        return misses.sum();
    }

    @Override
    public float getCacheMissPercentage() {
        long gets = getCacheGets();
        return gets == 0 ? 0f : (float) getCacheMisses() * 100f / gets;
    }

    @Override
    public long getCacheGets() {
        return hits.sum() + misses.sum();
    }

    @Override
    public long getCachePuts() {
        return puts.sum();
    }

    @Override
    public long getCacheRemovals() {
        return removals.sum();
    }

    @Override
    public long getCacheEvictions() {
        return evictions.sum();
    }

    @Override
    public float getAverageGetTime() {
        return average(getNanos.sum(), getCacheGets());
    }

    @Override
    public float getAveragePutTime() {
        return average(putNanos.sum(), getCachePuts());
    }

    @Override
    public float getAverageRemoveTime() {
        return average(removeNanos.sum(), getCacheRemovals());
    }

    private static float average(long nanos, long count) {
        return count == 0 ? 0f : nanos / 1000f / count;
    }
}
