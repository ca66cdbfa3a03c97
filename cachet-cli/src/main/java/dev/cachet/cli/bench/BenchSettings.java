package dev.cachet.cli.bench;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * How long and what a benchmark run measures.
 *
 * @param seconds the target duration of each timed loop (per operation and size)
 * @param warmupSeconds the duration of the warm-up before each timed loop (the same
 *     operation, untimed); it also estimates the call rate that sizes the timed loop
 * @param ops the operations to report, in any order (they always run in workload order)
 * @param sizes the sizes to run, in this order
 * @param maxCalls the most calls of one timed loop (bounds the memory of the samples)
 * @param rounds into how many slices each timed loop is cut when several targets run: 1 runs
 *     each target's loop whole, one target after the other; more alternate the targets slice
 *     by slice, in forward then reverse order (ABBA), so that a target and its baseline see the
 *     same machine conditions and neither is always the first after the previous phase
 */
public record BenchSettings(double seconds, double warmupSeconds, Set<BenchOp> ops, List<BenchSize> sizes, int maxCalls,
        int rounds) {
    /** The default duration of each timed loop. */
    public static final double DEFAULT_SECONDS = 1.5;
    /** The default bound of calls per timed loop (10 million: 80 MB of samples). */
    public static final int DEFAULT_MAX_CALLS = 10_000_000;

    /** Checks the settings and copies the collections. */
    public BenchSettings {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--seconds must be a positive number, not " + seconds);
        }
        if (!(warmupSeconds >= 0) || Double.isInfinite(warmupSeconds)) {
            throw new IllegalArgumentException("--warmup must be zero or a positive number, not " + warmupSeconds);
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("no operation to run; known operations: " + BenchOp.labels());
        }
        if (sizes.isEmpty() && !(ops.size() == 1 && ops.contains(BenchOp.INCR))) {
            throw new IllegalArgumentException("no size to run; known sizes: small, large");
        }
        if (maxCalls < 10) {
            throw new IllegalArgumentException("maxCalls must be at least 10, not " + maxCalls);
        }
        if (rounds < 1 || rounds > 100) {
            throw new IllegalArgumentException("--rounds must be 1 to 100, not " + rounds);
        }
        ops = Set.copyOf(EnumSet.copyOf(ops));
        sizes = List.copyOf(sizes.stream().distinct().toList());
    }

    /** Settings whose timed loops run whole (one round). */
    public BenchSettings(double seconds, double warmupSeconds, Set<BenchOp> ops, List<BenchSize> sizes, int maxCalls) {
        this(seconds, warmupSeconds, ops, sizes, maxCalls, 1);
    }

    /** Every operation and both sizes, {@code seconds} per loop, a warm-up of a quarter of that. */
    public static BenchSettings of(double seconds) {
        return new BenchSettings(seconds, seconds / 4, EnumSet.allOf(BenchOp.class), List.of(BenchSize.values()),
                DEFAULT_MAX_CALLS);
    }

    /** True when {@code op} is reported. */
    public boolean runs(BenchOp op) {
        return ops.contains(op);
    }
}
