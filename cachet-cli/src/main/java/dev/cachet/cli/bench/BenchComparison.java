package dev.cachet.cli.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The framework set against its baselines, from one interleaved run: per target, size and
 * operation, the target's mean and median over its baseline's; and per target and size,
 * {@code set_many} of a batch in units of single {@code set}s. Figures only compare within
 * one run (see {@code docs/bench-workload.md}), which is why the baseline runs interleaved.
 */
public final class BenchComparison {
    /** The goal for every operation: at most this many times its raw baseline. */
    public static final double GOAL_RATIO = 1.3;
    /** The goal for {@code set_many} of 100 keys: no slower than this many single sets. */
    public static final double GOAL_SET_MANY_IN_SETS = 3;

    /** True when {@code ratio}, rounded to two decimals, is above {@code goal}. */
    public static boolean above(double ratio, double goal) {
        return Math.round(ratio * 100) > Math.round(goal * 100);
    }

    /**
     * A target and the baseline it is compared with.
     *
     * @param target the target's label (e.g. the cache location)
     * @param baseline the baseline's label (e.g. {@code raw <location>})
     */
    public record Pair(String target, String baseline) {
        /** Checks the labels. */
        public Pair {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(baseline, "baseline");
        }
    }

    /**
     * One operation of one size: the target's figures and its baseline's.
     *
     * @param target the target's label
     * @param baseline the baseline's label
     * @param size the size, or {@code null} for {@code incr}
     * @param op the operation
     * @param ours the target's figures
     * @param raw the baseline's figures
     */
    public record Ratio(String target, String baseline, BenchSize size, BenchOp op, CallStats ours, CallStats raw) {
        /** The target's mean call time over the baseline's. */
        public double meanRatio() {
            return ours.meanMicros() / raw.meanMicros();
        }

        /** The target's median call time over the baseline's. */
        public double p50Ratio() {
            return ours.p50Micros() / raw.p50Micros();
        }

        /**
         * True when either ratio, rounded to two decimals as the table prints it, is above
         * {@link #GOAL_RATIO} (so a printed {@code 1.30} is never called over).
         */
        public boolean aboveGoal() {
            return above(meanRatio(), GOAL_RATIO) || above(p50Ratio(), GOAL_RATIO);
        }

        /** The size's label, or {@code -} for {@code incr}. */
        public String sizeLabel() {
            return size == null ? "-" : size.label();
        }
    }

    /**
     * {@code set_many} of one batch (100 keys) in units of one {@code set}: mean over mean, for
     * the target and for its baseline.
     *
     * @param target the target's label
     * @param baseline the baseline's label
     * @param size the size
     * @param ours the target's mean set_many over its mean set
     * @param raw the baseline's, likewise
     */
    public record SetManyInSets(String target, String baseline, BenchSize size, double ours, double raw) {
    }

    private final List<Ratio> ratios;
    private final List<SetManyInSets> setManyInSets;

    private BenchComparison(List<Ratio> ratios, List<SetManyInSets> setManyInSets) {
        this.ratios = List.copyOf(ratios);
        this.setManyInSets = List.copyOf(setManyInSets);
    }

    /**
     * The comparison of each pair's target with its baseline in {@code report}: a row for every
     * size and operation both have results for (a target or baseline that failed has fewer),
     * in the target's result order.
     */
    public static BenchComparison of(BenchReport report, List<Pair> pairs) {
        Map<String, Map<String, CallStats>> byTarget = new HashMap<>();
        for (BenchResult r : report.results()) {
            byTarget.computeIfAbsent(r.target(), t -> new HashMap<>()).put(key(r.size(), r.op()), r.stats());
        }
        List<Ratio> ratios = new ArrayList<>();
        List<SetManyInSets> inSets = new ArrayList<>();
        for (Pair p : pairs) {
            Map<String, CallStats> raw = byTarget.getOrDefault(p.baseline(), Map.of());
            Map<String, CallStats> ours = byTarget.getOrDefault(p.target(), Map.of());
            for (BenchResult r : report.results()) {
                if (!r.target().equals(p.target())) {
                    continue;
                }
                CallStats base = raw.get(key(r.size(), r.op()));
                if (base != null) {
                    ratios.add(new Ratio(p.target(), p.baseline(), r.size(), r.op(), r.stats(), base));
                }
                if (r.op() == BenchOp.SET_MANY) {
                    CallStats oursSet = ours.get(key(r.size(), BenchOp.SET));
                    CallStats rawSet = raw.get(key(r.size(), BenchOp.SET));
                    if (oursSet != null && rawSet != null && base != null) {
                        inSets.add(new SetManyInSets(p.target(), p.baseline(), r.size(),
                                r.stats().meanMicros() / oursSet.meanMicros(), base.meanMicros() / rawSet.meanMicros()));
                    }
                }
            }
        }
        return new BenchComparison(ratios, inSets);
    }

    private static String key(BenchSize size, BenchOp op) {
        return (size == null ? "-" : size.label()) + " " + op.label();
    }

    /** Every compared operation, in run order per target. */
    public List<Ratio> ratios() {
        return ratios;
    }

    /** set_many in units of set, per target and size. */
    public List<SetManyInSets> setManyInSets() {
        return setManyInSets;
    }
}
