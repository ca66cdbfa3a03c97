package dev.cachet.benchmarks;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.testkit.StampedeRuns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The four stampede figures with real JVMs, at the sizes, on each backend given
 * (not JMH: each scenario is one timed run of {@link StampedeRuns}, three worker JVMs sharing
 * the backend). Prints one Markdown table per scenario, a row per backend.
 *
 * <pre>
 *   java -cp cachet-benchmarks/target/benchmarks.jar dev.cachet.benchmarks.StampedeBenchmark &lt;location&gt;...
 * </pre>
 * A {@code jdbc:} location gets a table {@value #TABLE} (created when absent).
 */
public final class StampedeBenchmark {
    static final String TABLE = "cachet_stampede_bench";
    private static final int PROCESSES = 3;

    private StampedeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: StampedeBenchmark <location>...");
            System.exit(2);
        }
        List<String> cold = new ArrayList<>();
        List<String> refresh = new ArrayList<>();
        List<String> failSafe = new ArrayList<>();
        List<String> takeover = new ArrayList<>();
        for (String location : args) {
            Map<String, String> options = new LinkedHashMap<>();
            if (location.startsWith("jdbc:")) {
                options.put("table", TABLE);
                options.put("cull_probability", "0");
                CacheTable.create(CacheConfig.builder(location).options(options).build());
            }
            String name = CacheConfig.redact(location).replaceAll("\\?.*", "");
            StampedeRuns runs = new StampedeRuns(location, options);
            System.err.println(name + ": 1. cold key");
            StampedeRuns.ColdRun c = runs.cold(PROCESSES, 64, Duration.ofMillis(200));
            cold.add(row(name, c.callers(), c.loads(), c.values().size() == 1 ? c.values().values().iterator().next()
                    : -1, c.bad(), ms(c.waits().millis(0.5)), ms(c.waits().millis(0.99)), ms(c.waits().millis(1.0))));
            System.err.println(name + ": 2. stale-while-revalidate, 20 s");
            StampedeRuns.RefreshRun r = runs.refresh(PROCESSES, 64, Duration.ofSeconds(1), Duration.ofSeconds(2),
                    Duration.ofSeconds(20), Duration.ofMillis(10));
            refresh.add(row(name, r.reads().count(), r.refreshes(), r.premature(), r.overlaps(), r.stats().staleServed(),
                    ms(r.staleReads().millis(0.5)), ms(r.staleReads().millis(0.99)), ms(r.reads().millis(0.99)),
                    r.bad()));
            System.err.println(name + ": 3. failing loader, 30 s");
            Duration throttle = Duration.ofSeconds(2);
            Duration window = Duration.ofSeconds(30);
            StampedeRuns.FailSafeRun f = runs.failSafe(PROCESSES, 64, Duration.ofSeconds(1), throttle, window,
                    Duration.ofMillis(10));
            long bound = (window.toMillis() + throttle.toMillis() - 1) / throttle.toMillis();
            failSafe.add(row(name, f.reads().count(), f.bad(), f.attempts(), bound, f.minGapMillis(),
                    f.attemptsByPid().values(), ms(f.reads().millis(0.99))));
            System.err.println(name + ": 4. kill -9 of the lease holder");
            Duration lease = Duration.ofSeconds(5);
            StampedeRuns.TakeoverRun t = runs.takeover(PROCESSES, 8, lease);
            takeover.add(row(name, lease.toMillis(), t.loads(), t.killedAt() - t.firstLoadAt(), t.takeoverMillis(),
                    t.takeoverAt() - t.killedAt(), t.survivingCallers(), t.values().values(), t.bad()));
        }
        print("1. Cold key: 3 JVMs x 64 threads, loader 200 ms",
                "| backend | callers | loader runs | callers with the value | failed | p50 wait | p99 wait | max wait |",
                cold);
        print("2. Stale-while-revalidate: 64 readers over 3 JVMs every 10 ms for 20 s, freshFor 1 s, loader 2 s",
                "| backend | reads | refreshes | premature loads | overlapping loads | stale served | stale read p50 "
                        + "| stale read p99 | any read p99 | failed |",
                refresh);
        print("3. Loader failing for 30 s: 64 readers over 3 JVMs every 10 ms, freshFor 1 s, fail-safe throttle 2 s",
                "| backend | reads | not the last good value | loader runs | ceil(30 s / 2 s) | closest two runs (ms) "
                        + "| runs per process | read p99 |",
                failSafe);
        print("4. kill -9 of the lease holder mid-load: 3 JVMs x 8 threads",
                "| backend | lease (ms) | loader runs | killed after (ms) | next load after the first (ms) "
                        + "| after the kill (ms) | surviving callers | callers with the value | failed |",
                takeover);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }

    private static String row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        return b.toString();
    }

    private static void print(String title, String header, List<String> rows) {
        System.out.println();
        System.out.println(title);
        System.out.println();
        System.out.println(header);
        System.out.println(header.replaceAll("[^|]+", "---"));
        rows.forEach(System.out::println);
    }
}
