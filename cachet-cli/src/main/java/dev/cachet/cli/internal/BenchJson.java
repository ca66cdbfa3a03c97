package dev.cachet.cli.internal;

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
 * caches that could not be opened, the caches that failed, and every figure of every result. Written by hand; field
 * names are snake_case, times in microseconds.
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

    /** The report of a run that started at {@code started} and took {@code elapsed}. */
    public static String write(BenchSettings settings, Map<String, String> cacheOptions, BenchReport report,
            List<Skipped> skipped, Instant started, Duration elapsed) {
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
        field(b, 2, "cache_options", "{" + String.join(", ", opts) + "}").append('\n');
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
        b.append(results.isEmpty() ? "]\n" : "\n  ]\n");
        b.append("}\n");
        return b.toString();
    }

    private static StringBuilder field(StringBuilder b, int level, String name, String json) {
        return indent(b, level).append(JsonText.quote(name)).append(": ").append(json);
    }

    private static StringBuilder indent(StringBuilder b, int level) {
        return b.append("  ".repeat(level));
    }
}
