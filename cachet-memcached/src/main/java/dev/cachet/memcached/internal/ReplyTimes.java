package dev.cachet.memcached.internal;

/**
 * A moving average of how long a client's requests take from the write to the reply, as the
 * event loop sees it (no caller wake-up included). Races between recorders lose a sample at
 * worst. Thread-safe.
 */
final class ReplyTimes {
    private volatile long averageNanos;

    /** Adds one round trip to the average (weight 1/8). */
    void record(long nanos) {
        long a = averageNanos;
        averageNanos = a == 0 ? nanos : a + (nanos - a) / 8;
    }

    /** The average round trip, 0 before the first. */
    long averageNanos() {
        return averageNanos;
    }
}
