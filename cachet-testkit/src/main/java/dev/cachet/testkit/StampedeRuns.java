package dev.cachet.testkit;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheStats;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The four stampede scenarios of the fresh-data pipeline, run with real processes on one
 * shared backend: a parent (this JVM) starts {@link StampedeWorker} JVMs through
 * {@link SecondJvm}, releases them together, and collects what they saw. Counts come from the
 * backend ({@code incr} on keys beside the scenario's key), so they are cluster-wide.
 * Each run works under a key prefix of its own. The results are plain records: tests assert
 * their counts ({@link StampedeAcrossProcesses}), the benchmark prints them.
 *
 * <ol>
 *   <li>{@link #cold}: many callers in several processes read one cold key;</li>
 *   <li>{@link #refresh}: readers of a key that goes stale while its slow loader runs;</li>
 *   <li>{@link #failSafe}: readers of a stale key whose loader always fails;</li>
 *   <li>{@link #takeover}: the lease holder is killed ({@code kill -9}) mid-load.</li>
 * </ol>
 * Not thread-safe: one run at a time per parent.
 */
public final class StampedeRuns {
    private final String location;
    private final Map<String, String> options;

    /** Runs on {@code location} with {@code options} (e.g. a JDBC table), given to every process. */
    public StampedeRuns(String location, Map<String, String> options) {
        this.location = location;
        this.options = Map.copyOf(options);
    }

    /** Call durations in microseconds, sorted. */
    public record Latencies(long[] micros) {
        /** Parses {@code a,b,c} lists and merges them. */
        static Latencies of(List<String> lists) {
            return new Latencies(lists.stream().filter(l -> !l.isEmpty())
                    .flatMap(l -> Arrays.stream(l.split(","))).mapToLong(Long::parseLong).sorted().toArray());
        }

        /** How many calls. */
        public int count() {
            return micros.length;
        }

        /** The {@code q} quantile (0 to 1, nearest rank) in milliseconds; 0 when empty. */
        public double millis(double q) {
            if (micros.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(q * micros.length);
            return micros[Math.min(micros.length, Math.max(1, rank)) - 1] / 1000.0;
        }
    }

    /** Scenario 1: every caller's value, the loader's cluster-wide runs, and every caller's wait. */
    public record ColdRun(int processes, int callers, long loads, Map<String, Long> values, long bad,
            Latencies waits, CacheStats stats) {
    }

    /**
     * Scenario 2: loader runs (the first one by the parent, before the readers), runs that started
     * while a fresh value was stored ({@code premature}) or while another ran ({@code overlaps}),
     * and the readers' calls, all and those that got a stale value.
     */
    public record RefreshRun(int processes, int readers, long loads, long premature, long overlaps, long bad,
            Latencies reads, Latencies staleReads, CacheStats stats) {
        /** Background refreshes that ran the loader: every run but the parent's first. */
        public long refreshes() {
            return loads - 1;
        }
    }

    /**
     * Scenario 3: the failing loader's runs in the cluster (each at {@code attemptTimes}, epoch
     * ms, sorted), by process id; the smallest gap between two; calls that did not return the
     * last good value ({@code bad}).
     */
    public record FailSafeRun(int processes, int readers, long attempts, List<Long> attemptTimes,
            Map<Long, Long> attemptsByPid, long minGapMillis, long bad, Latencies reads, CacheStats stats) {
    }

    /**
     * Scenario 4: the killed lease holder and when its load started, when it was killed, when
     * (and in which process) the loader ran next, and what the surviving callers got.
     */
    public record TakeoverRun(int processes, int survivingCallers, long loads, Map<String, Long> values, long bad,
            long firstLoadAt, long killedAt, long killedPid, long takeoverAt, long takeoverPid, CacheStats stats) {
        /** From the start of the killed load to the start of the next one. */
        public long takeoverMillis() {
            return takeoverAt - firstLoadAt;
        }
    }

    /** Scenario 1: {@code processes} x {@code threads} callers read one cold key whose loader takes {@code load}. */
    public ColdRun cold(int processes, int threads, Duration load) throws Exception {
        String prefix = prefix();
        try (Cache cache = open(prefix)) {
            cache.set("cold:loads", 0L, Timeout.FOREVER);
            List<Output> out = run(prefix, spread(processes * threads, processes),
                    t -> List.of("cold", t, "cold", Long.toString(load.toMillis())), null);
            return new ColdRun(processes, processes * threads, count(cache, "cold:loads"), values(out), bad(out),
                    Latencies.of(lines(out, "WAITS ")), stats(out));
        }
    }

    /**
     * Scenario 2: the parent stores the key with a loader taking {@code load}, fresh for
     * {@code fresh}; then {@code readers} readers over {@code processes} read it every
     * {@code pause} for {@code run}.
     */
    public RefreshRun refresh(int processes, int readers, Duration fresh, Duration load, Duration run, Duration pause)
            throws Exception {
        String prefix = prefix();
        try (Cache cache = open(prefix)) {
            for (String c : List.of("loads", "premature", "overlaps", "active")) {
                cache.set("swr:" + c, 0L, Timeout.FOREVER);
            }
            cache.getOrSet("swr", String.class,
                    StampedeWorker.swrLoader(cache, "swr", load.toMillis(), fresh.toMillis()),
                    StampedeWorker.swr(fresh.toMillis()));
            List<Output> out = run(prefix, spread(readers, processes), t -> List.of("swr", t, "swr",
                    Long.toString(load.toMillis()), Long.toString(fresh.toMillis()), Long.toString(run.toMillis()),
                    Long.toString(pause.toMillis())), null);
            return new RefreshRun(processes, readers, count(cache, "swr:loads"), count(cache, "swr:premature"),
                    count(cache, "swr:overlaps"), bad(out), Latencies.of(lines(out, "WAITS ")),
                    Latencies.of(lines(out, "STALE_WAITS ")), stats(out));
        }
    }

    /**
     * Scenario 3: the parent stores a good value fresh for {@code fresh} with fail-safe on; then
     * {@code readers} readers over {@code processes} read it every {@code pause} for {@code run}
     * with a loader that always fails, retried at most once per {@code throttle}.
     */
    public FailSafeRun failSafe(int processes, int readers, Duration fresh, Duration throttle, Duration run,
            Duration pause) throws Exception {
        String prefix = prefix();
        try (Cache cache = open(prefix)) {
            cache.set("fs:loads", 0L, Timeout.FOREVER);
            Freshness f = StampedeWorker.failSafe(fresh.toMillis(), throttle.toMillis());
            cache.getOrSet("fs", String.class, () -> "good", f);
            List<Output> out = run(prefix, spread(readers, processes), t -> List.of("failsafe", t, "fs",
                    Long.toString(fresh.toMillis()), Long.toString(throttle.toMillis()), Long.toString(run.toMillis()),
                    Long.toString(pause.toMillis())), null);
            long attempts = count(cache, "fs:loads");
            List<Long> times = new ArrayList<>();
            Map<Long, Long> byPid = new TreeMap<>();
            for (long n = 1; n <= attempts; n++) {
                String[] a = String.valueOf(cache.get("fs:attempt:" + n)).split(" ");
                times.add(Long.parseLong(a[0]));
                byPid.merge(Long.parseLong(a[1]), 1L, Long::sum);
            }
            times.sort(null);
            long gap = Long.MAX_VALUE;
            for (int i = 1; i < times.size(); i++) {
                gap = Math.min(gap, times.get(i) - times.get(i - 1));
            }
            return new FailSafeRun(processes, readers, attempts, times, byPid, gap, bad(out),
                    Latencies.of(lines(out, "WAITS ")), stats(out));
        }
    }

    /**
     * Scenario 4: {@code processes} x {@code threads} callers read one cold key with leases of
     * {@code lease}; the process whose loader runs first is killed mid-load (its loader never
     * returns), and another must take over when the lease expires.
     */
    public TakeoverRun takeover(int processes, int threads, Duration lease) throws Exception {
        String prefix = prefix();
        try (Cache cache = open(prefix)) {
            cache.set("tk:loads", 0L, Timeout.FOREVER);
            long[] killed = new long[2];
            List<Output> out = run(prefix, spread(processes * threads, processes),
                    t -> List.of("takeover", t, "tk", Long.toString(lease.toMillis())), workers -> {
                        boolean loading = Servers.waitUntil(() -> cache.get("tk:holder:1") != null,
                                Duration.ofSeconds(60));
                        if (!loading) {
                            throw new AssertionError("no process started loading within 60 s");
                        }
                        long pid = Long.parseLong(String.valueOf(cache.get("tk:holder:1")).split(" ")[1]);
                        SecondJvm holder = workers.stream().filter(w -> w.pid() == pid).findFirst().orElseThrow();
                        holder.kill();
                        killed[0] = System.currentTimeMillis();
                        killed[1] = pid;
                        return holder;
                    });
            String[] first = String.valueOf(cache.get("tk:holder:1")).split(" ");
            Object next = cache.get("tk:holder:2");
            String[] second = next == null ? new String[] {"0", "0"} : String.valueOf(next).split(" ");
            long survivors = out.stream().mapToLong(o -> o.threads).sum();
            return new TakeoverRun(processes, (int) survivors, count(cache, "tk:loads"), values(out), bad(out),
                    Long.parseLong(first[0]), killed[0], killed[1], Long.parseLong(second[0]),
                    Long.parseLong(second[1]), stats(out));
        }
    }

    // ---- plumbing ----

    /** What one worker printed, and how many threads it ran. */
    private record Output(int threads, List<String> lines) {
    }

    /** The worker's scenario arguments for a process of {@code threads} threads. */
    private interface Args {
        List<String> of(String threads);
    }

    /** Runs once all workers have been released; returns the worker it killed, if any. */
    private interface During {
        SecondJvm run(List<SecondJvm> workers) throws Exception;
    }

    /**
     * Starts one worker per entry of {@code threads} (in parallel), releases them one after the
     * other, runs {@code during}, and returns the output of every worker that was not killed.
     */
    private List<Output> run(String prefix, int[] threads, Args args, During during) throws Exception {
        List<SecondJvm> workers = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(threads.length);
        try {
            List<Future<SecondJvm>> starting = new ArrayList<>();
            for (int n : threads) {
                List<String> cmd = new ArrayList<>(List.of(location));
                cmd.addAll(workerOptions(prefix));
                cmd.add("--");
                cmd.addAll(args.of(Integer.toString(n)));
                starting.add(starter.submit(() -> SecondJvm.start(StampedeWorker.class, cmd.toArray(String[]::new))));
            }
            Throwable failed = null;
            for (Future<SecondJvm> f : starting) {
                try {
                    workers.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failed = failed == null ? e.getCause() : failed;
                }
            }
            if (failed != null) {
                throw new AssertionError("a worker did not start", failed);
            }
            for (SecondJvm w : workers) {
                w.go();
            }
            SecondJvm killed = during == null ? null : during.run(workers);
            List<Output> out = new ArrayList<>();
            for (int i = 0; i < workers.size(); i++) {
                if (workers.get(i) != killed) {
                    out.add(new Output(threads[i], workers.get(i).finish()));
                }
            }
            return out;
        } finally {
            starter.shutdownNow();
            for (SecondJvm w : workers) {
                w.close();
            }
        }
    }

    private List<String> workerOptions(String prefix) {
        List<String> out = new ArrayList<>();
        options.forEach((k, v) -> out.add(k + "=" + v));
        out.add("key_prefix=" + prefix);
        return out;
    }

    private Cache open(String prefix) {
        return Caches.open(CacheConfig.builder(location).name("stampede").options(options).option("key_prefix", prefix)
                .build());
    }

    private static String prefix() {
        return "st-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** {@code total} threads over {@code processes}, as evenly as can be. */
    static int[] spread(int total, int processes) {
        int[] t = new int[processes];
        for (int i = 0; i < processes; i++) {
            t[i] = total / processes + (i < total % processes ? 1 : 0);
        }
        return t;
    }

    private static long count(Cache cache, String key) {
        Object v = cache.get(key);
        return v == null ? -1 : ((Number) v).longValue();
    }

    private static List<String> lines(List<Output> out, String head) {
        List<String> found = new ArrayList<>();
        for (Output o : out) {
            o.lines.stream().filter(l -> l.startsWith(head)).forEach(l -> found.add(l.substring(head.length())));
        }
        return found;
    }

    private static Map<String, Long> values(List<Output> out) {
        Map<String, Long> v = new LinkedHashMap<>();
        for (String l : lines(out, "VALUE ")) {
            String[] p = l.split(" ");
            v.merge(p[0], Long.parseLong(p[1]), Long::sum);
        }
        return v;
    }

    private static long bad(List<Output> out) {
        return lines(out, "BAD ").stream().mapToLong(Long::parseLong).sum();
    }

    /** The workers' cache statistics, summed. */
    private static CacheStats stats(List<Output> out) {
        long[] s = new long[12];
        for (String l : lines(out, "STATS ")) {
            String[] p = l.split(" ");
            for (int i = 0; i < s.length; i++) {
                s[i] += Long.parseLong(p[i]);
            }
        }
        return new CacheStats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]);
    }
}
