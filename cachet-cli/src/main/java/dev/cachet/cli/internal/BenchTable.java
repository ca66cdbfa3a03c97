package dev.cachet.cli.internal;

import dev.cachet.cli.bench.BenchComparison;
import dev.cachet.cli.bench.BenchResult;
import dev.cachet.cli.bench.CallStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's table for stdout: one row per cache, size and operation, columns aligned
 * (text left, numbers right), times in microseconds per call.
 */
public final class BenchTable {
    /** The column headers. */
    public static final List<String> HEADERS = List.of("cache", "size", "op", "N", "calls/s", "mean_us", "p50_us", "p99_us");

    private BenchTable() {
    }

    /** The table of {@code results}, a header line then one line per result. */
    public static String format(List<BenchResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS.toArray(new String[0]));
        for (BenchResult r : results) {
            CallStats s = r.stats();
            rows.add(new String[] {
                r.target(), r.sizeLabel(), r.op().label(), Long.toString(s.n()),
                String.format(Locale.ROOT, "%.0f", s.callsPerSecond()),
                micros(s.meanMicros()), micros(s.p50Micros()), micros(s.p99Micros()),
            });
        }
        return align(rows, 3);
    }

    /** The column headers of the ratio table. */
    public static final List<String> RATIO_HEADERS = List.of("cache", "size", "op", "ours_mean_us", "raw_mean_us",
            "mean_ratio", "ours_p50_us", "raw_p50_us", "p50_ratio", "goal");

    /** The column headers of the set_many table. */
    public static final List<String> SET_MANY_HEADERS = List.of("cache", "size", "ours_sets", "raw_sets", "goal");

    /**
     * The comparison with the baselines: a title line, then per cache, size and operation the
     * cache's mean and p50, the baseline's, and their ratios, with {@code ok} or {@code over}
     * against {@link BenchComparison#GOAL_RATIO} (either ratio); then a title line and
     * {@code set_many} of 100 keys in units of one {@code set}, the cache's and the baseline's,
     * against {@link BenchComparison#GOAL_SET_MANY_IN_SETS} (the cache's).
     */
    public static String formatComparison(BenchComparison comparison) {
        List<String[]> rows = new ArrayList<>();
        rows.add(RATIO_HEADERS.toArray(new String[0]));
        for (BenchComparison.Ratio r : comparison.ratios()) {
            CallStats ours = r.ours();
            CallStats raw = r.raw();
            rows.add(new String[] {
                r.target(), r.sizeLabel(), r.op().label(),
                micros(ours.meanMicros()), micros(raw.meanMicros()), ratio(r.meanRatio()),
                micros(ours.p50Micros()), micros(raw.p50Micros()), ratio(r.p50Ratio()),
                r.aboveGoal() ? "over" : "ok",
            });
        }
        List<String[]> sets = new ArrayList<>();
        sets.add(SET_MANY_HEADERS.toArray(new String[0]));
        for (BenchComparison.SetManyInSets s : comparison.setManyInSets()) {
            sets.add(new String[] {
                s.target(), s.size().label(), ratio(s.ours()), ratio(s.raw()),
                BenchComparison.above(s.ours(), BenchComparison.GOAL_SET_MANY_IN_SETS) ? "over" : "ok",
            });
        }
        return String.format(Locale.ROOT, "ratios to the raw JDBC baseline, interleaved in this run (ours / raw; goal <= %.2f):%n",
                BenchComparison.GOAL_RATIO)
                + align(rows, 3)
                + String.format(Locale.ROOT, "%nset_many of %d keys in single sets (mean set_many / mean set; goal <= %.0f):%n",
                        dev.cachet.cli.bench.BenchWorkload.BATCH_SIZE, BenchComparison.GOAL_SET_MANY_IN_SETS)
                + align(sets, 2);
    }

    /** Rows aligned in columns two spaces apart: the first {@code textColumns} left, the rest right. */
    private static String align(List<String[]> rows, int textColumns) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String cell = row[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c < textColumns ? cell + pad : pad + cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** A ratio with 2 decimals. */
    static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f", r);
    }

    /** Microseconds with 3 decimals below 1, 2 below 100, 1 above. */
    static String micros(double us) {
        String f = us < 1 ? "%.3f" : us < 100 ? "%.2f" : "%.1f";
        return String.format(Locale.ROOT, f, us);
    }
}
