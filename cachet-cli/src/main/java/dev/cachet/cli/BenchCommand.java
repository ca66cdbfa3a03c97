package dev.cachet.cli;

import dev.cachet.cli.bench.BenchComparison;
import dev.cachet.cli.bench.BenchListener;
import dev.cachet.cli.bench.BenchOp;
import dev.cachet.cli.bench.BenchFailure;
import dev.cachet.cli.bench.BenchReport;
import dev.cachet.cli.bench.BenchRunner;
import dev.cachet.cli.bench.BenchSettings;
import dev.cachet.cli.bench.BenchSize;
import dev.cachet.cli.bench.BenchTarget;
import dev.cachet.cli.bench.CacheBenchTarget;
import dev.cachet.cli.bench.RawJdbcBenchTarget;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.BenchJson;
import dev.cachet.cli.internal.BenchTable;
import dev.cachet.cli.internal.CommandIo;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.cli.internal.ProgressLine;
import dev.cachet.cli.internal.TempDirectory;
import dev.cachet.jdbc.CacheTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cachet bench}: runs the seed benchmark workload ({@code docs/bench-workload.md}) on each
 * cache location and prints one row per cache, size and operation; see {@link BenchRunner}
 * for how it measures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the benchmark workload (docs/bench-workload.md in the repository) on caches.",
            "Prints one row per cache, size and operation: the number of timed calls N, calls/s, and the "
                + "mean, p50 and p99 time of one call in microseconds (get_many/set_many: one call = 100 keys).",
            "",
            "Per size: clear, populate 1000 keys, then set, get, has_key, set_many, get_many, and add+delete "
                + "of new keys in blocks of 1000; then once incr of a counter. Values are deterministic (a "
                + "100-char String; a List of 1000 of them) and every read is checked: a wrong value fails "
                + "that cache (it runs no further phase; the others go on) and the run (exit code 3). Each call is timed on its own after a warm-up; N is sized so each "
                + "operation runs about --seconds. Several caches run interleaved, phase by phase.",
            "",
            "Caches are opened with timeout=3600, key_prefix='', version=1, and, where the backend "
                + "bounds its entries, max_entries=1000000 and cull_frequency=3, on top of the location's own options.",
            "",
            "Without --cache: memory:, memory:?store_by_value=true and file:<a fresh temporary directory, "
                + "deleted afterwards>; a default cache that cannot be opened is skipped with a note on stderr.",
            "",
            "With --baseline raw, each jdbc: cache also runs a raw JDBC baseline on the same table, interleaved "
                + "(one connection, one prepared statement per operation, no framework), and a second table gives "
                + "each operation's mean and p50 over the baseline's, and set_many of 100 keys in single sets. "
                + "Such a run cuts each timed loop into --rounds slices (default 4), cache and baseline taking turns.",
            "",
            "The table goes to stdout, progress to stderr.",
            ""})
public final class BenchCommand implements Callable<Integer> {
    /** The memory caches run when no {@code --cache} is given (a fresh file cache follows them). */
    public static final List<String> DEFAULT_MEMORY_LOCATIONS = List.of("memory:", "memory:?store_by_value=true");

    /** The rounds of a run with a baseline, unless --rounds says otherwise. */
    public static final int DEFAULT_BASELINE_ROUNDS = 4;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CachetCommand root;

    @Option(names = "--cache", paramLabel = "LOCATION",
            description = "A cache to measure (repeatable), e.g. memory:, file:/var/tmp/c, memory:?store_by_value=true.")
    private List<String> locations = new ArrayList<>();

    @Option(names = {"-o", "--option"}, paramLabel = "NAME=VALUE",
            description = "A cache option for every --cache (repeatable), e.g. -o table=my_cache; the way to give "
                + "jdbc: caches options, whose '?' belongs to the JDBC URL.")
    private Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--ops", paramLabel = "OP", split = ",", converter = OpConverter.class,
            description = "The operations to report (default: all): set,get,has_key,set_many,get_many,add,delete,incr.")
    private List<BenchOp> ops;

    @Option(names = "--sizes", paramLabel = "SIZE", split = ",", converter = SizeConverter.class,
            description = "The value sizes to run, in order (default: small,large).")
    private List<BenchSize> sizes;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1.5",
            description = "About how long each operation of each size is timed (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup", paramLabel = "S",
            description = "The warm-up before each timed loop (default: a quarter of --seconds).")
    private Double warmup;

    @Option(names = "--baseline", paramLabel = "KIND",
            description = "Also run a baseline, interleaved, and print the ratios to it. raw: for every jdbc: cache, "
                + "plain JDBC on one connection over the same table (keys under :r: instead of :1:).")
    private String baseline;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Cut each timed loop into N slices, the caches taking turns slice by slice in forward, then "
                + "reverse order, so that each sees the same conditions (default: 1, or 4 with --baseline).")
    private Integer rounds;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write every figure, the settings and the machine (cores, Java, date) as JSON to FILE.")
    private Path json;

    @Option(names = "--progress", paramLabel = "WHEN", defaultValue = "auto",
            description = "Show a progress line on stderr: auto (when stderr is a terminal), always, never.")
    private String progress;

    @Override
    public Integer call() {
        CommandIo io = root.io();
        BenchSettings settings = settings();
        checkJsonTarget();
        checkBaseline();
        List<BenchTarget> targets = new ArrayList<>();
        List<TempDirectory> tempDirs = new ArrayList<>();
        List<BenchJson.Skipped> skipped = new ArrayList<>();
        List<BenchComparison.Pair> pairs = new ArrayList<>();
        try {
            if (locations.isEmpty()) {
                openDefaults(targets, tempDirs, skipped);
            } else {
                Map<String, String> extra = options;
                for (String given : locations) {
                    String location = CacheLocationOption.absoluteFile(given, root.io().err());
                    CacheBenchTarget cache = CacheBenchTarget.open(location, extra, root.opener());
                    targets.add(cache);
                    if (baseline != null && RawJdbcBenchTarget.isJdbc(location)) {
                        // opened after the cache, which has checked that the table exists
                        RawJdbcBenchTarget raw = RawJdbcBenchTarget.open(location,
                                extra.getOrDefault("table", CacheTable.DEFAULT_NAME));
                        targets.add(raw);
                        pairs.add(new BenchComparison.Pair(cache.label(), raw.label()));
                    }
                }
            }
            if (targets.isEmpty()) {
                io.err().println("cachet bench: no cache could be opened");
                return ExitCodes.FAILED;
            }
            BenchListener listener = ProgressLine.enabled(progress) ? new ProgressLine(io.err()) : BenchListener.NONE;
            Instant started = Instant.now();
            long t0 = System.nanoTime();
            BenchReport report = new BenchRunner(settings, listener).run(targets);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
            io.out().print(BenchTable.format(report.results()));
            BenchComparison comparison = baseline == null ? null : BenchComparison.of(report, pairs);
            if (comparison != null) {
                io.out().println();
                io.out().print(BenchTable.formatComparison(comparison));
            }
            io.out().flush();
            if (json != null) {
                writeJson(BenchJson.write(settings, CacheBenchTarget.WORKLOAD_OPTIONS, report, skipped, started, elapsed,
                        baseline, comparison));
            }
            for (BenchFailure f : report.failures()) {
                io.err().println("cachet bench: FAILED: " + f.message());
                if (root.verbose()) {
                    f.error().printStackTrace(io.err());
                }
            }
            if (!report.passed()) {
                io.err().println("cachet bench: " + report.failures().size() + " of " + targets.size()
                        + " caches failed; their figures after the failure are missing and the run is a failure");
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        } finally {
            closeAll(targets, tempDirs);
        }
    }

    private BenchSettings settings() {
        try {
            return new BenchSettings(seconds, warmup == null ? seconds / 4 : warmup,
                    ops == null ? EnumSet.allOf(BenchOp.class) : EnumSet.copyOf(ops),
                    sizes == null ? List.of(BenchSize.values()) : sizes, BenchSettings.DEFAULT_MAX_CALLS,
                    rounds != null ? rounds : baseline != null ? DEFAULT_BASELINE_ROUNDS : 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void checkBaseline() {
        if (baseline == null) {
            return;
        }
        if (!baseline.equals("raw")) {
            throw new ParameterException(spec.commandLine(), "--baseline " + baseline + ": the only baseline is raw"
                    + " (plain JDBC, for jdbc: caches)");
        }
        if (locations.stream().noneMatch(RawJdbcBenchTarget::isJdbc)) {
            throw new ParameterException(spec.commandLine(), "--baseline raw needs at least one jdbc: --cache"
                    + " (the raw baseline is plain JDBC over the cache's table)");
        }
    }

    private void checkJsonTarget() {
        if (json == null) {
            return;
        }
        Path parent = json.toAbsolutePath().getParent();
        if (Files.isDirectory(json) || parent == null || !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), "--json " + json
                    + ": not a file in an existing directory");
        }
    }

    private void openDefaults(List<BenchTarget> targets, List<TempDirectory> tempDirs, List<BenchJson.Skipped> skipped) {
        List<String> defaults = new ArrayList<>(DEFAULT_MEMORY_LOCATIONS);
        TempDirectory dir = TempDirectory.create("cachet-bench-");
        tempDirs.add(dir);
        defaults.add("file:" + dir.path());
        for (String location : defaults) {
            try {
                targets.add(CacheBenchTarget.open(location, root.opener()));
            } catch (RuntimeException e) {
                String reason = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
                skipped.add(new BenchJson.Skipped(location, reason));
                root.io().err().println("cachet bench: skipping default cache " + location + ": " + reason);
            }
        }
    }

    private void writeJson(String text) {
        try {
            Files.writeString(json, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + json + ": " + e.getMessage(), e);
        }
    }

    private void closeAll(List<BenchTarget> targets, List<TempDirectory> tempDirs) {
        for (BenchTarget t : targets) {
            try {
                t.close();
            } catch (RuntimeException e) {
                root.io().err().println("cachet bench: closing " + t.label() + " failed: " + e.getMessage());
            }
        }
        for (TempDirectory d : tempDirs) {
            try {
                d.close();
            } catch (RuntimeException e) {
                root.io().err().println("cachet bench: " + e.getMessage());
            }
        }
    }

    /** Reads an operation name such as {@code get_many}. */
    static final class OpConverter implements ITypeConverter<BenchOp> {
        @Override
        public BenchOp convert(String value) {
            try {
                return BenchOp.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads a size name, {@code small} or {@code large}. */
    static final class SizeConverter implements ITypeConverter<BenchSize> {
        @Override
        public BenchSize convert(String value) {
            try {
                return BenchSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
