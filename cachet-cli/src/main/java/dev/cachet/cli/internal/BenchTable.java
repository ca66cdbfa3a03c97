package dev.cachet.cli.internal;

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
        int cols = HEADERS.size();
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
                line.append(c < 3 ? cell + pad : pad + cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Microseconds with 3 decimals below 1, 2 below 100, 1 above. */
    static String micros(double us) {
        String f = us < 1 ? "%.3f" : us < 100 ? "%.2f" : "%.1f";
        return String.format(Locale.ROOT, f, us);
    }
}
