package dev.cachet.cli.bench;

import java.util.Arrays;

/**
 * The figures of one timed loop, from the duration of each call on its own: how many calls,
 * their mean, percentiles (nearest rank) and maximum in microseconds, and calls per second
 * of time spent inside the calls ({@code n / sum of call durations}).
 *
 * @param n the number of timed calls
 * @param totalNanos the sum of the call durations
 * @param meanMicros the mean call duration
 * @param p50Micros the median call duration
 * @param p90Micros the 90th percentile
 * @param p99Micros the 99th percentile
 * @param maxMicros the longest call
 */
public record CallStats(long n, long totalNanos, double meanMicros, double p50Micros, double p90Micros,
        double p99Micros, double maxMicros) {

    /**
     * The figures of the first {@code n} durations (nanoseconds) of {@code samples}; sorts
     * that part of the array in place.
     *
     * @throws IllegalArgumentException when {@code n} is not positive
     */
    public static CallStats of(long[] samples, int n) {
        if (n <= 0 || n > samples.length) {
            throw new IllegalArgumentException("need 1.." + samples.length + " samples, not " + n);
        }
        Arrays.sort(samples, 0, n);
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += samples[i];
        }
        return new CallStats(n, total, micros(total) / n, micros(rank(samples, n, 0.50)),
                micros(rank(samples, n, 0.90)), micros(rank(samples, n, 0.99)), micros(samples[n - 1]));
    }

    /** Calls per second of time spent in the calls. */
    public double callsPerSecond() {
        return totalNanos == 0 ? Double.POSITIVE_INFINITY : n * 1e9 / totalNanos;
    }

    private static long rank(long[] sorted, int n, double p) {
        int idx = (int) Math.ceil(p * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, idx))];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
