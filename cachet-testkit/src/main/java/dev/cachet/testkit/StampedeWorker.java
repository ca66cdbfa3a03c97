package dev.cachet.testkit;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheStats;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One process of the {@link StampedeRuns}: opens a cache on the shared backend, warms up, and
 * runs one scenario's callers on its threads once the parent says {@code GO} (the
 * {@link SecondJvm} protocol). Loaders count their runs with {@code incr} on keys of the same
 * backend, so the counts are cluster-wide.
 *
 * <pre>
 *   StampedeWorker &lt;location&gt; [option=value...] -- cold     &lt;threads&gt; &lt;key&gt; &lt;loadMs&gt;
 *   StampedeWorker &lt;location&gt; [option=value...] -- swr      &lt;threads&gt; &lt;key&gt; &lt;loadMs&gt; &lt;freshMs&gt; &lt;runMs&gt; &lt;pauseMs&gt;
 *   StampedeWorker &lt;location&gt; [option=value...] -- failsafe &lt;threads&gt; &lt;key&gt; &lt;freshMs&gt; &lt;throttleMs&gt; &lt;runMs&gt; &lt;pauseMs&gt;
 *   StampedeWorker &lt;location&gt; [option=value...] -- takeover &lt;threads&gt; &lt;key&gt; &lt;leaseMs&gt;
 * </pre>
 * Result lines: {@code VALUE <value> <callers>} per value returned, {@code WAITS <micros,...>}
 * (every call's duration; {@code STALE_WAITS} for the calls that got a stale value),
 * {@code BAD <n>} (calls that failed or returned another value than expected), and
 * {@code STATS} with the cache's {@link CacheStats} in record order, counted from the end of
 * the warm-up.
 */
public final class StampedeWorker {
    private StampedeWorker() {
    }

    /** The value stored by the load that ended at {@code endMillis}, the {@code n}-th of the cluster. */
    static String value(long n, long endMillis) {
        return "v" + n + "@" + endMillis;
    }

    /** When the load that stored {@code value} ended (epoch ms). */
    static long loadEnd(String value) {
        return Long.parseLong(value.substring(value.indexOf('@') + 1));
    }

    /** The options of the cold-key scenario: one load, no stale value. */
    static Freshness cold() {
        return Freshness.builder().timeout(Duration.ofMinutes(10)).build();
    }

    /** The options of the stale-while-revalidate scenario. */
    static Freshness swr(long freshMs) {
        return Freshness.builder().timeout(Duration.ofMinutes(10)).freshFor(Duration.ofMillis(freshMs)).build();
    }

    /** The options of the fail-safe scenario: the entry is kept 10 minutes past its fresh period. */
    static Freshness failSafe(long freshMs, long throttleMs) {
        return Freshness.builder().timeout(Duration.ofMinutes(10)).freshFor(Duration.ofMillis(freshMs))
                .failSafe(Duration.ofMinutes(10), Duration.ofMillis(throttleMs)).build();
    }

    /** The options of the takeover scenario. */
    static Freshness takeover(long leaseMs) {
        return Freshness.builder().timeout(Duration.ofMinutes(10)).leaseTime(Duration.ofMillis(leaseMs)).build();
    }

    /** The command line a parent starts: location, options, then the scenario's arguments. */
    public static void main(String[] args) throws Exception {
        int sep = Arrays.asList(args).indexOf("--");
        CacheConfig.Builder config = CacheConfig.builder(args[0]).name("stampede-worker");
        for (int i = 1; i < sep; i++) {
            String[] kv = args[i].split("=", 2);
            config.option(kv[0], kv[1]);
        }
        String[] s = Arrays.copyOfRange(args, sep + 1, args.length);
        int threads = Integer.parseInt(s[1]);
        String key = s[2];
        try (Cache cache = Caches.open(config.build())) {
            warmUp(cache);
            CacheStats b = cache.stats();
            switch (s[0]) {
                case "cold" -> cold(cache, threads, key, Long.parseLong(s[3]));
                case "swr" -> swr(cache, threads, key, Long.parseLong(s[3]), Long.parseLong(s[4]), Long.parseLong(s[5]),
                        Long.parseLong(s[6]));
                case "failsafe" -> failSafe(cache, threads, key, Long.parseLong(s[3]), Long.parseLong(s[4]),
                        Long.parseLong(s[5]), Long.parseLong(s[6]));
                case "takeover" -> takeover(cache, threads, key, Long.parseLong(s[3]));
                default -> throw new IllegalArgumentException("unknown scenario " + s[0]);
            }
            CacheStats a = cache.stats();
            SecondJvm.println("STATS " + (a.hits() - b.hits()) + " " + (a.misses() - b.misses()) + " "
                    + (a.staleServed() - b.staleServed()) + " " + (a.loads() - b.loads()) + " "
                    + (a.loadFailures() - b.loadFailures()) + " " + (a.failSafeActivations() - b.failSafeActivations())
                    + " " + (a.leaseWins() - b.leaseWins()) + " " + (a.leaseWaits() - b.leaseWaits()) + " "
                    + (a.refreshesStarted() - b.refreshesStarted()) + " " + (a.refreshesDropped() - b.refreshesDropped())
                    + " " + (a.refreshesFailed() - b.refreshesFailed()) + " " + (a.earlyRefreshes() - b.earlyRefreshes()));
        }
        SecondJvm.done();
        System.exit(0);
    }

    /** Loads the classes and connections the scenario uses, on keys of this process's own. */
    private static void warmUp(Cache cache) {
        String own = "warm-" + ProcessHandle.current().pid();
        for (int i = 0; i < 30; i++) {
            String k = own + "-" + i;
            cache.getOrSet(k, String.class, () -> "w", swr(1000));
            cache.getOrSet(k, String.class, () -> "w", swr(1000));
            cache.set(k + "-n", 0L, Timeout.ofSeconds(60));
            cache.incr(k + "-n", 1);
            cache.get(k);
            cache.deleteMany(java.util.List.of(k, k + "-n"));
        }
    }

    /** Every thread calls getOrSet once on the cold key; the loader sleeps {@code loadMs}. */
    private static void cold(Cache cache, int threads, String key, long loadMs) throws Exception {
        Freshness f = cold();
        Supplier<String> loader = () -> {
            long n = cache.incr(key + ":loads", 1);
            pause(loadMs);
            return value(n, System.currentTimeMillis());
        };
        long[] waits = new long[threads];
        Map<String, AtomicLong> values = new ConcurrentHashMap<>();
        AtomicLong bad = new AtomicLong();
        SecondJvm.serve(threads, Duration.ofMinutes(2), t -> {
            long start = System.nanoTime();
            try {
                String v = cache.getOrSet(key, String.class, loader, f);
                waits[t] = (System.nanoTime() - start) / 1000;
                values.computeIfAbsent(String.valueOf(v), x -> new AtomicLong()).incrementAndGet();
            } catch (RuntimeException e) {
                bad.incrementAndGet();
                e.printStackTrace();
            }
        });
        values.forEach((v, n) -> SecondJvm.println("VALUE " + v + " " + n));
        SecondJvm.println("WAITS " + join(waits, threads));
        SecondJvm.println("BAD " + bad);
    }

    /**
     * Readers call getOrSet every {@code pauseMs} for {@code runMs}; the loader sleeps
     * {@code loadMs}, and counts a premature run (one that starts while the stored value is
     * still fresh) and an overlapping one (another load of the key was running).
     */
    private static void swr(Cache cache, int threads, String key, long loadMs, long freshMs, long runMs, long pauseMs)
            throws Exception {
        Freshness f = swr(freshMs);
        Supplier<String> loader = swrLoader(cache, key, loadMs, freshMs);
        Readings r = new Readings(threads);
        long[] end = new long[1];
        SecondJvm.serve(threads, Duration.ofMillis(runMs).plusMinutes(2), t -> {
            synchronized (end) {
                if (end[0] == 0) {
                    end[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMs);
                }
            }
            while (System.nanoTime() - end[0] < 0) {
                long startMs = System.currentTimeMillis();
                long start = System.nanoTime();
                try {
                    String v = cache.getOrSet(key, String.class, loader, f);
                    long micros = (System.nanoTime() - start) / 1000;
                    r.add(t, micros, startMs >= loadEnd(v) + freshMs);
                } catch (RuntimeException e) {
                    r.bad.incrementAndGet();
                    e.printStackTrace();
                }
                pause(pauseMs);
            }
        });
        r.print();
    }

    /** The loader of the stale-while-revalidate scenario (the parent stores the first value with it too). */
    static Supplier<String> swrLoader(Cache cache, String key, long loadMs, long freshMs) {
        return () -> {
            if (cache.incr(key + ":active", 1) > 1) {
                cache.incr(key + ":overlaps", 1);
            }
            long n = cache.incr(key + ":loads", 1);
            Object previous = cache.get(key);
            if (previous instanceof String p && System.currentTimeMillis() < loadEnd(p) + freshMs) {
                cache.incr(key + ":premature", 1);
            }
            pause(loadMs);
            cache.incr(key + ":active", -1);
            return value(n, System.currentTimeMillis());
        };
    }

    /**
     * Readers call getOrSet every {@code pauseMs} for {@code runMs} with a loader that always
     * fails; every call should return the value the parent stored. Each loader run is recorded as
     * {@code <epoch ms> <pid>} under {@code key:attempt:<n>}.
     */
    private static void failSafe(Cache cache, int threads, String key, long freshMs, long throttleMs, long runMs,
            long pauseMs) throws Exception {
        Freshness f = failSafe(freshMs, throttleMs);
        String good = String.valueOf(cache.get(key));
        Supplier<String> loader = () -> {
            long n = cache.incr(key + ":loads", 1);
            cache.set(key + ":attempt:" + n, System.currentTimeMillis() + " " + ProcessHandle.current().pid(),
                    Timeout.ofSeconds(600));
            throw new IllegalStateException("the source is down (attempt " + n + ")");
        };
        Readings r = new Readings(threads);
        long[] end = new long[1];
        SecondJvm.serve(threads, Duration.ofMillis(runMs).plusMinutes(2), t -> {
            synchronized (end) {
                if (end[0] == 0) {
                    end[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMs);
                }
            }
            while (System.nanoTime() - end[0] < 0) {
                long start = System.nanoTime();
                try {
                    String v = cache.getOrSet(key, String.class, loader, f);
                    r.add(t, (System.nanoTime() - start) / 1000, true);
                    if (!good.equals(v)) {
                        r.bad.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    r.bad.incrementAndGet();
                    e.printStackTrace();
                }
                pause(pauseMs);
            }
        });
        r.print();
    }

    /**
     * Every thread calls getOrSet once on the cold key. The cluster's first loader records
     * {@code <epoch ms> <pid>} under {@code key:holder:1} and never returns (the parent kills
     * its process); a later one records under {@code key:holder:<n>} and returns at once.
     */
    private static void takeover(Cache cache, int threads, String key, long leaseMs) throws Exception {
        Freshness f = takeover(leaseMs);
        Supplier<String> loader = () -> {
            long n = cache.incr(key + ":loads", 1);
            cache.set(key + ":holder:" + n, System.currentTimeMillis() + " " + ProcessHandle.current().pid(),
                    Timeout.ofSeconds(600));
            if (n == 1) {
                pause(TimeUnit.MINUTES.toMillis(5));
            }
            return value(n, System.currentTimeMillis());
        };
        Readings r = new Readings(threads);
        Map<String, AtomicLong> values = new ConcurrentHashMap<>();
        SecondJvm.serve(threads, Duration.ofMinutes(2), t -> {
            long start = System.nanoTime();
            try {
                String v = cache.getOrSet(key, String.class, loader, f);
                r.add(t, (System.nanoTime() - start) / 1000, false);
                values.computeIfAbsent(v, x -> new AtomicLong()).incrementAndGet();
            } catch (RuntimeException e) {
                r.bad.incrementAndGet();
                e.printStackTrace();
            }
        });
        values.forEach((v, n) -> SecondJvm.println("VALUE " + v + " " + n));
        r.print();
    }

    /** Sleeps {@code ms}, standing for a computation that long (or for the pause between reads). */
    static void pause(long ms) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private static String join(long[] values, int n) {
        return Arrays.stream(values, 0, n).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /** Per-thread call durations (µs), the stale ones apart, and a count of bad calls. */
    private static final class Readings {
        final long[][] all;
        final int[] allCount;
        final long[][] stale;
        final int[] staleCount;
        final AtomicLong bad = new AtomicLong();

        Readings(int threads) {
            all = new long[threads][64];
            allCount = new int[threads];
            stale = new long[threads][64];
            staleCount = new int[threads];
        }

        void add(int t, long micros, boolean isStale) {
            if (allCount[t] == all[t].length) {
                all[t] = Arrays.copyOf(all[t], all[t].length * 2);
            }
            all[t][allCount[t]++] = micros;
            if (isStale) {
                if (staleCount[t] == stale[t].length) {
                    stale[t] = Arrays.copyOf(stale[t], stale[t].length * 2);
                }
                stale[t][staleCount[t]++] = micros;
            }
        }

        void print() {
            SecondJvm.println("WAITS " + joinAll(all, allCount));
            SecondJvm.println("STALE_WAITS " + joinAll(stale, staleCount));
            SecondJvm.println("BAD " + bad);
        }

        private static String joinAll(long[][] values, int[] counts) {
            StringBuilder b = new StringBuilder();
            for (int t = 0; t < values.length; t++) {
                for (int i = 0; i < counts[t]; i++) {
                    b.append(b.length() == 0 ? "" : ",").append(values[t][i]);
                }
            }
            return b.toString();
        }
    }
}
