package dev.cachet.demo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the stats page draws: every user page served (time, user kind, how it was served), every
 * ranking computed (in the foreground or the background), and the feed-update job's work. Kept
 * in bounded rings (the last {@value #RING} samples per series). Thread-safe.
 */
public final class DemoStats {
    static final int RING = 4096;

    /** One user page served: when (millis since start), how long (microseconds), for whom, how. */
    public record Visit(long atMillis, long micros, Dataset.Kind kind, LinkPages.Outcome outcome) {
    }

    /** Percentiles of a series, in milliseconds; count 0 when empty. */
    public record Summary(int count, double p50, double p99, double max) {
    }

    private final long start = System.currentTimeMillis();
    private final Ring<Visit> visits = new Ring<>(RING);
    private final Map<Dataset.Kind, Ring<Long>> computeMicros = new EnumMap<>(Dataset.Kind.class);
    private final LongAdder foregroundComputes = new LongAdder();
    private final LongAdder backgroundComputes = new LongAdder();
    private final LongAdder prefetched = new LongAdder();
    private final LongAdder feedUpdates = new LongAdder();
    private final LongAdder feedsAdded = new LongAdder();

    public DemoStats() {
        for (Dataset.Kind k : Dataset.Kind.values()) {
            computeMicros.put(k, new Ring<>(RING));
        }
    }

    /** A user page was served in {@code nanos}. */
    public void visit(Dataset.Kind kind, LinkPages.Outcome outcome, long nanos) {
        visits.add(new Visit(System.currentTimeMillis() - start, nanos / 1_000, kind, outcome));
    }

    /** A ranking was computed in {@code millis}, with a request waiting ({@code foreground}) or not. */
    public void computed(Dataset.Kind kind, int millis, boolean foreground) {
        computeMicros.get(kind).add(millis * 1_000L);
        (foreground ? foregroundComputes : backgroundComputes).increment();
    }

    /** A page was recomputed ahead of its reader. */
    public void prefetched() {
        prefetched.increment();
    }

    /** The feed-update job ran. */
    public void feedUpdate() {
        feedUpdates.increment();
    }

    /** A user added a feed. */
    public void feedAdded() {
        feedsAdded.increment();
    }

    /** The visits kept, oldest first. */
    public List<Visit> visits() {
        return visits.snapshot();
    }

    /** Page times of {@code kind}'s visits answered as {@code outcome} (any outcome when null). */
    public Summary pageTimes(Dataset.Kind kind, LinkPages.Outcome outcome) {
        List<Long> micros = new ArrayList<>();
        for (Visit v : visits.snapshot()) {
            if ((kind == null || v.kind() == kind) && (outcome == null || v.outcome() == outcome)) {
                micros.add(v.micros());
            }
        }
        return summary(micros);
    }

    /** Page times of {@code kind}'s visits answered from the cache (fresh or stale). */
    public Summary cachedPageTimes(Dataset.Kind kind) {
        List<Long> micros = new ArrayList<>();
        for (Visit v : visits.snapshot()) {
            if ((kind == null || v.kind() == kind) && v.outcome() != LinkPages.Outcome.COMPUTED) {
                micros.add(v.micros());
            }
        }
        return summary(micros);
    }

    /** How long {@code kind}'s rankings took to compute: the page time without a cache. */
    public Summary computeTimes(Dataset.Kind kind) {
        return summary(computeMicros.get(kind).snapshot());
    }

    public long foregroundComputes() {
        return foregroundComputes.sum();
    }

    public long backgroundComputes() {
        return backgroundComputes.sum();
    }

    public long prefetchedPages() {
        return prefetched.sum();
    }

    public long feedUpdates() {
        return feedUpdates.sum();
    }

    public long feedsAdded() {
        return feedsAdded.sum();
    }

    /** Count, p50, p99 and max of microsecond samples, in milliseconds (nearest rank). */
    static Summary summary(List<Long> micros) {
        if (micros.isEmpty()) {
            return new Summary(0, 0, 0, 0);
        }
        long[] a = micros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return new Summary(a.length, rank(a, 0.50) / 1000.0, rank(a, 0.99) / 1000.0, a[a.length - 1] / 1000.0);
    }

    private static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** A bounded ring of the last {@code capacity} items. */
    static final class Ring<T> {
        private final Object[] items;
        private long next;

        Ring(int capacity) {
            items = new Object[capacity];
        }

        synchronized void add(T item) {
            items[(int) (next++ % items.length)] = item;
        }

        @SuppressWarnings("unchecked")
        synchronized List<T> snapshot() {
            int n = (int) Math.min(next, items.length);
            List<T> out = new ArrayList<>(n);
            for (long i = next - n; i < next; i++) {
                out.add((T) items[(int) (i % items.length)]);
            }
            return out;
        }
    }
}
