package dev.cachet.testkit;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One instance of {@link TwoLevelRuns}: a two-level cache over the shared backend, with a
 * backplane that drops a fraction of what it receives ({@link DroppingBackplane}). Once the
 * parent says {@code GO}, one thread writes this instance's keys (key {@code i} belongs to
 * instance {@code i % instances}; values are its version numbers, 1, 2, 3...) at a steady pace,
 * and reader threads read every key until the writer is done. Before each two-level read, a
 * reader reads the key from the shared backend directly (the truth as of that moment); a
 * two-level read that returns an older version is a candidate stale read, reported with the
 * time the read ended, for the parent to compare with the writers' acknowledgement times.
 *
 * <pre>
 *   TwoLevelWorker &lt;location&gt; &lt;backplane&gt; [option=value...] -- &lt;prefix&gt; &lt;instance&gt; &lt;instances&gt;
 *       &lt;keys&gt; &lt;writes&gt; &lt;runMs&gt; &lt;boundMs&gt; &lt;dropRate&gt; &lt;readers&gt;
 * </pre>
 * Lines: {@code W <key> <version> <ackMillis>} per write, {@code S <key> <version> <readEndMillis>}
 * per candidate, then {@code READS <n>}, {@code RESETS <n>}, {@code DROPPED <n>}.
 */
public final class TwoLevelWorker {
    private TwoLevelWorker() {
    }

    /** The key {@code i} of a run. */
    static String key(int i) {
        return "k" + i;
    }

    public static void main(String[] args) throws Exception {
        int sep = Arrays.asList(args).indexOf("--");
        CacheConfig.Builder config = CacheConfig.builder(args[0]).name("two-level-worker");
        String backplane = args[1];
        for (int i = 2; i < sep; i++) {
            String[] kv = args[i].split("=", 2);
            config.option(kv[0], kv[1]);
        }
        String[] a = Arrays.copyOfRange(args, sep + 1, args.length);
        String prefix = a[0];
        int instance = Integer.parseInt(a[1]);
        int instances = Integer.parseInt(a[2]);
        int keys = Integer.parseInt(a[3]);
        int writes = Integer.parseInt(a[4]);
        long runMs = Long.parseLong(a[5]);
        long boundMs = Long.parseLong(a[6]);
        double dropRate = Double.parseDouble(a[7]);
        int readers = Integer.parseInt(a[8]);
        config.option("key_prefix", prefix).option("timeout", "600");

        Cache truth = Caches.open(config.build());
        AtomicReference<DroppingBackplane> dropping = new AtomicReference<>();
        Cache cache = TwoLevel.over(Caches.open(config.build())).backplane(backplane).channel(prefix)
                .stalenessBound(Duration.ofMillis(boundMs)).localTimeout(Duration.ofMinutes(5))
                .decorateBackplane(b -> {
                    DroppingBackplane d = new DroppingBackplane(b, dropRate, instance * 7919L + System.nanoTime());
                    dropping.set(d);
                    return d;
                }).build();
        for (int k = 0; k < keys; k++) {
            cache.get(key(k));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        long resetsBefore = resets(cache);
        SecondJvm.serve(1 + readers, Duration.ofMillis(runMs + 60_000), thread -> {
            if (thread == 0) {
                write(cache, instance, instances, keys, writes, runMs);
                writing.set(false);
            } else {
                read(cache, truth, keys, writing, reads);
            }
        });
        SecondJvm.println("READS " + reads.get());
        SecondJvm.println("RESETS " + (resets(cache) - resetsBefore));
        SecondJvm.println("DROPPED " + dropping.get().dropped());
        cache.close();
        truth.close();
        SecondJvm.done();
    }

    private static long resets(Cache cache) {
        return TwoLevel.stats(cache).orElseThrow().resets();
    }

    private static void write(Cache cache, int instance, int instances, int keys, int writes, long runMs) {
        long[] versions = new long[keys];
        long start = System.nanoTime();
        long pace = TimeUnit.MILLISECONDS.toNanos(runMs) / Math.max(1, writes);
        int k = instance;
        for (int i = 0; i < writes; i++) {
            LockSupport.parkNanos(start + i * pace - System.nanoTime());
            long v = ++versions[k];
            cache.set(key(k), v);
            SecondJvm.println("W " + k + " " + v + " " + System.currentTimeMillis());
            k += instances;
            if (k >= keys) {
                k = instance;
            }
        }
    }

    private static void read(Cache cache, Cache truth, int keys, AtomicBoolean writing, AtomicLong reads) {
        int k = 0;
        while (writing.get()) {
            Long before = truth.get(key(k), Long.class);
            Long got = cache.get(key(k), Long.class);
            long end = System.currentTimeMillis();
            reads.incrementAndGet();
            if (before != null && (got == null || got < before)) {
                SecondJvm.println("S " + k + " " + (got == null ? 0 : got) + " " + end);
            }
            k = (k + 1) % keys;
        }
    }
}
