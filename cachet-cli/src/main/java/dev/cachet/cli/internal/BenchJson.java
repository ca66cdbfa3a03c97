package dev.cachet.cli.internal;

import dev.cachet.cli.bench.BenchComparison;
import dev.cachet.cli.bench.BenchFailure;
import dev.cachet.cli.bench.BenchOp;
import dev.cachet.cli.bench.BenchReport;
import dev.cachet.cli.bench.BenchResult;
import dev.cachet.cli.bench.BenchSettings;
import dev.cachet.cli.bench.BenchSize;
import dev.cachet.cli.bench.CallStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's JSON report: the machine (cores, Java, OS), the date, the settings, the
 * caches that could not be opened, the caches that failed, every figure of every result, and with a
 * baseline the ratios of each cache to it. Written by hand; field names are snake_case, times in
 * microseconds.
 */
public final class BenchJson {
    private BenchJson() {
    }

    /**
     * A cache the run skipped.
     *
     * @param cache its location
     * @param reason why
     */
    public record Skipped(String cache, String reason) {
    }

    /** The report of a run without a baseline that started at {@code started} and took {@code elapsed}. */
    public static String write(BenchSettings settings, Map<String, String> cacheOptions, BenchReport report,
            List<Skipped> skipped, Instant started, Duration elapsed) {
        return write(settings, cacheOptions, report, skipped, started, elapsed, null, null);
    }

    /**
     * The report of a run that started at {@code started} and took {@code elapsed}, with the
     * baseline named {@code baseline} (e.g. {@code raw}) and its {@code comparison}, or
     * without one (both null).
     */
    public static String write(BenchSettings settings, Map<String, String> cacheOptions, BenchReport report,
            List<Skipped> skipped, Instant started, Duration elapsed, String baseline, BenchComparison comparison) {
        List<BenchResult> results = report.results();
        StringBuilder b = new StringBuilder(4096);
        b.append("{\n");
        field(b, 1, "tool", JsonText.quote("cachet bench")).append(",\n");
        field(b, 1, "cachet_version", JsonText.quote(VersionProvider.cachetVersion())).append(",\n");
        field(b, 1, "workload", JsonText.quote("bench-workload.md")).append(",\n");
        field(b, 1, "date", JsonText.quote(started.toString())).append(",\n");
        field(b, 1, "elapsed_s", JsonText.number(elapsed.toMillis() / 1000.0)).append(",\n");
        field(b, 1, "passed", Boolean.toString(report.passed())).append(",\n");
        Runtime rt = Runtime.getRuntime();
        indent(b, 1).append("\"machine\": {\n");
        field(b, 2, "cores", Integer.toString(rt.availableProcessors())).append(",\n");
        field(b, 2, "max_heap_bytes", Long.toString(rt.maxMemory())).append(",\n");
        for (String[] p : new String[][] {
            {"java_version", "java.version"}, {"java_vendor", "java.vendor"}, {"java_vm", "java.vm.name"},
            {"java_vm_version", "java.vm.version"}, {"os_name", "os.name"}, {"os_version", "os.version"},
            {"os_arch", "os.arch"},
        }) {
            field(b, 2, p[0], JsonText.quote(System.getProperty(p[1]))).append(p[0].equals("os_arch") ? "\n" : ",\n");
        }
        indent(b, 1).append("},\n");
        indent(b, 1).append("\"settings\": {\n");
        field(b, 2, "seconds", JsonText.number(settings.seconds())).append(",\n");
        field(b, 2, "warmup_seconds", JsonText.number(settings.warmupSeconds())).append(",\n");
        field(b, 2, "max_calls", Integer.toString(settings.maxCalls())).append(",\n");
        field(b, 2, "rounds", Integer.toString(settings.rounds())).append(",\n");
        List<String> ops = new ArrayList<>();
        for (BenchOp op : BenchOp.values()) {
            if (settings.runs(op)) {
                ops.add(JsonText.quote(op.label()));
            }
        }
        field(b, 2, "ops", "[" + String.join(", ", ops) + "]").append(",\n");
        List<String> sizes = new ArrayList<>();
        for (BenchSize s : settings.sizes()) {
            sizes.add(JsonText.quote(s.label()));
        }
        field(b, 2, "sizes", "[" + String.join(", ", sizes) + "]").append(",\n");
        List<String> opts = new ArrayList<>();
        cacheOptions.forEach((k, v) -> opts.add(JsonText.quote(k) + ": " + JsonText.quote(v)));
        field(b, 2, "cache_options", "{" + String.join(", ", opts) + "}").append(",\n");
        field(b, 2, "baseline", baseline == null ? "null" : JsonText.quote(baseline)).append('\n');
        indent(b, 1).append("},\n");
        indent(b, 1).append("\"skipped\": [");
        for (int i = 0; i < skipped.size(); i++) {
            Skipped s = skipped.get(i);
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 2).append("{\"cache\": ").append(JsonText.quote(s.cache()))
                    .append(", \"reason\": ").append(JsonText.quote(s.reason())).append('}');
        }
        b.append(skipped.isEmpty() ? "],\n" : "\n  ],\n");
        indent(b, 1).append("\"failures\": [");
        for (int i = 0; i < report.failures().size(); i++) {
            BenchFailure f = report.failures().get(i);
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 2).append("{\"cache\": ").append(JsonText.quote(f.target()))
                    .append(", \"phase\": ").append(JsonText.quote(f.phase()))
                    .append(", \"error\": ").append(JsonText.quote(f.message())).append('}');
        }
        b.append(report.failures().isEmpty() ? "],\n" : "\n  ],\n");
        indent(b, 1).append("\"results\": [");
        for (int i = 0; i < results.size(); i++) {
            BenchResult r = results.get(i);
            CallStats s = r.stats();
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 2).append('{')
                    .append("\"cache\": ").append(JsonText.quote(r.target()))
                    .append(", \"size\": ").append(r.size() == null ? "null" : JsonText.quote(r.size().label()))
                    .append(", \"op\": ").append(JsonText.quote(r.op().label()))
                    .append(", \"n\": ").append(s.n())
                    .append(", \"calls_per_s\": ").append(JsonText.number(s.callsPerSecond()))
                    .append(", \"mean_us\": ").append(JsonText.number(s.meanMicros()))
                    .append(", \"p50_us\": ").append(JsonText.number(s.p50Micros()))
                    .append(", \"p90_us\": ").append(JsonText.number(s.p90Micros()))
                    .append(", \"p99_us\": ").append(JsonText.number(s.p99Micros()))
                    .append(", \"max_us\": ").append(JsonText.number(s.maxMicros()))
                    .append(", \"total_s\": ").append(JsonText.number(s.totalNanos() / 1e9))
                    .append('}');
        }
        b.append(results.isEmpty() ? "]" : "\n  ]");
        if (comparison != null) {
            b.append(",\n");
            comparison(b, comparison);
        }
        b.append("\n}\n");
        return b.toString();
    }

    private static void comparison(StringBuilder b, BenchComparison comparison) {
        field(b, 1, "goal_ratio", JsonText.number(BenchComparison.GOAL_RATIO)).append(",\n");
        indent(b, 1).append("\"ratios\": [");
        List<BenchComparison.Ratio> ratios = comparison.ratios();
        for (int i = 0; i < ratios.size(); i++) {
            BenchComparison.Ratio r = ratios.get(i);
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 2).append('{')
                    .append("\"cache\": ").append(JsonText.quote(r.target()))
                    .append(", \"baseline\": ").append(JsonText.quote(r.baseline()))
                    .append(", \"size\": ").append(r.size() == null ? "null" : JsonText.quote(r.size().label()))
                    .append(", \"op\": ").append(JsonText.quote(r.op().label()))
                    .append(", \"ours_mean_us\": ").append(JsonText.number(r.ours().meanMicros()))
                    .append(", \"raw_mean_us\": ").append(JsonText.number(r.raw().meanMicros()))
                    .append(", \"mean_ratio\": ").append(JsonText.number(r.meanRatio()))
                    .append(", \"ours_p50_us\": ").append(JsonText.number(r.ours().p50Micros()))
                    .append(", \"raw_p50_us\": ").append(JsonText.number(r.raw().p50Micros()))
                    .append(", \"p50_ratio\": ").append(JsonText.number(r.p50Ratio()))
                    .append(", \"above_goal\": ").append(r.aboveGoal())
                    .append('}');
        }
        b.append(ratios.isEmpty() ? "],\n" : "\n  ],\n");
        field(b, 1, "goal_set_many_in_sets", JsonText.number(BenchComparison.GOAL_SET_MANY_IN_SETS)).append(",\n");
        indent(b, 1).append("\"set_many_in_sets\": [");
        List<BenchComparison.SetManyInSets> sets = comparison.setManyInSets();
        for (int i = 0; i < sets.size(); i++) {
            BenchComparison.SetManyInSets s = sets.get(i);
            b.append(i == 0 ? "\n" : ",\n");
            indent(b, 2).append('{')
                    .append("\"cache\": ").append(JsonText.quote(s.target()))
                    .append(", \"baseline\": ").append(JsonText.quote(s.baseline()))
                    .append(", \"size\": ").append(JsonText.quote(s.size().label()))
                    .append(", \"ours\": ").append(JsonText.number(s.ours()))
                    .append(", \"raw\": ").append(JsonText.number(s.raw()))
                    .append('}');
        }
        b.append(sets.isEmpty() ? "]" : "\n  ]");
    }

    private static StringBuilder field(StringBuilder b, int level, String name, String json) {
        return indent(b, level).append(JsonText.quote(name)).append(": ").append(json);
    }

    private static StringBuilder indent(StringBuilder b, int level) {
        return b.append("  ".repeat(level));
    }
}
