package dev.cachet.metrics;

import dev.cachet.CacheException;
import java.util.EnumMap;
import java.util.Map;
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
    private final Map<MeteredCache.Operation, LongAdder> calls = new EnumMap<>(MeteredCache.Operation.class);
    private final Map<MeteredCache.Operation, LongAdder> nanos = new EnumMap<>(MeteredCache.Operation.class);

    Meters() {
        for (MeteredCache.Operation op : MeteredCache.Operation.values()) {
            calls.put(op, new LongAdder());
            nanos.put(op, new LongAdder());
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
        calls.get(op).increment();
        nanos.get(op).add(elapsedNanos);
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
        return calls.get(op).sum();
    }

    long nanos(MeteredCache.Operation op) {
        return nanos.get(op).sum();
    }
}
