package dev.cachet.memcached;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition by polling with a deadline (tests never sleep a fixed time). */
final class Eventually {
    private Eventually() {
    }

    /** Polls {@code condition} (1 ms, doubling to 20 ms) until it holds; fails after {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pause = Math.min(20, pause * 2);
        }
    }
}
