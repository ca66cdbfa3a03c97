package dev.cachet.cli.bench;

/** The counter of one target: its reset (set to 0), its timed incr, and the final check. */
final class Counter {
    final Runnable reset;
    final TimedCall call;
    private final BenchTarget t;
    private final long[] expected = {0};

    Counter(BenchTarget t) {
        this.t = t;
        String key = BenchWorkload.COUNTER_KEY;
        this.reset = () -> {
            if (!t.set(key, 0L)) {
                throw BenchChecks.failure(t, "incr", "set of " + key + " to 0 reported it was not stored");
            }
            expected[0] = 0;
        };
        this.call = i -> {
            long t0 = System.nanoTime();
            long v = t.incr(key, 1);
            long t1 = System.nanoTime();
            if (v != ++expected[0]) {
                throw BenchChecks.failure(t, "incr", "incr of " + key + " returned " + v + " instead of " + expected[0]);
            }
            return t1 - t0;
        };
    }

    /** {@code stats} of the timed increments, once the counter is checked to have counted them all. */
    CallStats check(CallStats stats) {
        if (expected[0] != stats.n()) {
            throw BenchChecks.failure(t, "incr", "the counter ended at " + expected[0] + " after " + stats.n() + " increments");
        }
        return stats;
    }
}
