package dev.cachet.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A count-min sketch of recent events with TinyLFU's aging: {@value #DEPTH} rows of
 * {@code width} counters, an event increments one counter per row (chosen by a different mix
 * of its hash), and its estimated frequency is the smallest of them (never below the true
 * count since the last aging, above it only by collisions). After {@code sampleSize} events
 * every counter is halved, so the sketch follows what is frequent <em>recently</em>.
 *
 * <p>Memory is fixed at {@code DEPTH * width} ints whatever the number of distinct events.
 * Thread-safe without locks: the counters are atomics spread over the table (contention only
 * where hashes meet); the event count that triggers aging is a plain racy int (a lost update
 * only delays aging a little), and one thread ages at a time while others keep counting
 * (an increment racing the halving may be lost, as the sketch's estimates allow).
 */
final class FrequencySketch {
    static final int DEPTH = 4;
    private static final long[] SEEDS = {
        0x9E3779B97F4A7C15L, 0xC2B2AE3D27D4EB4FL, 0x165667B19E3779F9L, 0xD6E8FEB86659FD93L};

    private final AtomicIntegerArray table;
    private final int width;
    private final int mask;
    private final int sampleSize;
    private final Runnable onAge;
    private final AtomicBoolean aging = new AtomicBoolean();
    private int events;
    private volatile int ages;

    /**
     * A sketch of {@code width} counters per row (rounded up to a power of two, at least 16)
     * that halves every counter after {@code sampleSize} events and then runs {@code onAge}.
     */
    FrequencySketch(int width, int sampleSize, Runnable onAge) {
        if (width < 1 || sampleSize < 1) {
            throw new IllegalArgumentException("width and sampleSize must be positive");
        }
        int w = Math.max(16, Integer.highestOneBit(Math.min(width, 1 << 24) - 1) << 1);
        this.width = w;
        this.mask = w - 1;
        this.table = new AtomicIntegerArray(DEPTH * w);
        this.sampleSize = sampleSize;
        this.onAge = onAge;
    }

    /** Counts one event of {@code hash} and returns its estimated frequency, this one included. */
    int increment(int hash) {
        int min = Integer.MAX_VALUE;
        for (int row = 0; row < DEPTH; row++) {
            int i = index(hash, row);
            int v = table.incrementAndGet(i);
            if (v < 0) { // overflow: only without aging (sampleSize near Integer.MAX_VALUE)
                table.set(i, Integer.MAX_VALUE);
                v = Integer.MAX_VALUE;
            }
            min = Math.min(min, v);
        }
        if (++events >= sampleSize) {
            age();
        }
        return min;
    }

    /** The estimated recent frequency of {@code hash}. */
    int estimate(int hash) {
        int min = Integer.MAX_VALUE;
        for (int row = 0; row < DEPTH; row++) {
            min = Math.min(min, table.get(index(hash, row)));
        }
        return min;
    }

    /** How many times the counters were halved (for tests). */
    int ages() {
        return ages;
    }

    /** Counters in the table: the sketch's fixed memory, in ints. */
    int counters() {
        return table.length();
    }

    /** Halves every counter, once among concurrent callers. */
    void age() {
        if (!aging.compareAndSet(false, true)) {
            return;
        }
        try {
            for (int i = 0; i < table.length(); i++) {
                table.set(i, table.get(i) >>> 1);
            }
            events = events >>> 1;
            ages++;
        } finally {
            aging.set(false);
        }
        if (onAge != null) {
            onAge.run();
        }
    }

    private int index(int hash, int row) {
        long h = (hash + SEEDS[row]) * SEEDS[(row + 1) & 3];
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return row * width + ((int) h & mask);
    }
}
