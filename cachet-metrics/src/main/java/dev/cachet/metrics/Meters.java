package dev.cachet.metrics;

import dev.cachet.CacheException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The counts one {@link MeteredCache} keeps (shared by its version views and its async face):
 * contention-free adders, read when a registry polls.
 */
final class Meters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder puts = new LongAdder();
    final LongAdder removals = new LongAdder();
    final LongAdder errors = new LongAdder();
    /** Per operation, by ordinal: calls, and their total nanoseconds. */
    private final LongAdder[] calls = new LongAdder[MeteredCache.Operation.values().length];
    private final LongAdder[] nanos = new LongAdder[calls.length];

    Meters() {
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new LongAdder();
            nanos[i] = new LongAdder();
        }
    }

    /** Runs {@code call}, timing it as {@code op} and counting a backend failure. */
    <R> R timed(MeteredCache.Operation op, Supplier<R> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } catch (CacheException e) {
            errors.increment();
            throw e;
        } finally {
            record(op, System.nanoTime() - start);
        }
    }

    void record(MeteredCache.Operation op, long elapsedNanos) {
        calls[op.ordinal()].increment();
        nanos[op.ordinal()].add(elapsedNanos);
    }

    void failed(Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CacheException) {
            errors.increment();
        }
    }

    long calls(MeteredCache.Operation op) {
        return calls[op.ordinal()].sum();
    }

    long nanos(MeteredCache.Operation op) {
        return nanos[op.ordinal()].sum();
    }
}
