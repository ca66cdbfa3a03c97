package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import dev.cachet.spi.Invalidation;
import dev.cachet.testkit.DroppingBackplane;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Invalidation latency across two two-level instances on each backplane given: instance A
 * writes a key, and the time until instance B's backplane hands it the announcement (B drops its
 * copy in the same call) is measured from A's {@code set} returning (the acknowledgement). The
 * instances have their own backplane connections; their shared level is one local-memory cache,
 * so that only the backplane is measured. For memcached, which delivers no message, B's reset
 * (the poll that saw the counter move) is the arrival.
 *
 * <pre>
 * java -cp cachet-benchmarks/target/benchmarks.jar dev.cachet.benchmarks.InvalidationLatency 2000 \
 *     redis://127.0.0.1:6379 jdbc:postgresql://127.0.0.1:5432/test?user=root memcached://127.0.0.1:11211
 * </pre>
 * Prints per backplane: writes, p50, p90, p99 and max in milliseconds.
 */
public final class InvalidationLatency {
    private InvalidationLatency() {
    }

    public static void main(String[] args) throws Exception {
        int writes = Integer.parseInt(args[0]);
        for (String backplane : Arrays.copyOfRange(args, 1, args.length)) {
            long[] micros = measure(backplane, writes);
            Arrays.sort(micros);
            System.out.printf("%s: %d writes, from acknowledged write to the other instance: p50 %.2f ms, p90 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms%n", backplane.replaceAll("//[^@/]*@", "//***@"), micros.length,
                    q(micros, 0.5), q(micros, 0.9), q(micros, 0.99), micros[micros.length - 1] / 1000.0);
        }
    }

    private static double q(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }

    private static long[] measure(String backplane, int writes) throws InterruptedException {
        BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        String channel = "latency-" + Long.toString(System.nanoTime(), 36);
        Cache shared = Caches.open("memory:?timeout=forever");
        long[] micros = new long[writes];
        try (Cache a = TwoLevel.over(shared).backplane(backplane).channel(channel).build();
             Cache b = TwoLevel.over(shared).backplane(backplane).channel(channel)
                     .decorateBackplane(p -> new DroppingBackplane(p, 0, 0).observe(m -> {
                         if (m.kind() == Invalidation.Kind.KEY) {
                             arrivals.add(System.nanoTime());
                         }
                     }, reset -> arrivals.add(System.nanoTime()))).build()) {
            Thread.sleep(1500); // both subscribed and heard from each other (a new epoch resets, once)
            for (int i = 0; i < writes; i++) {
                b.get("lat");
                arrivals.clear();
                a.set("lat", i);
                long ack = System.nanoTime();
                Long at = arrivals.poll(5, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException(backplane + ": write " + i + " never reached the other instance");
                }
                micros[i] = Math.max(0, TimeUnit.NANOSECONDS.toMicros(at - ack));
            }
        }
        return micros;
    }
}
