package dev.cachet.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Single flight in one process: concurrent callers for one stored key share one run of a
 * computation (a {@code getOrSet} loader), and get its result or its exception. A run that
 * calls back for its own key would wait for itself forever, so that call fails instead.
 * Thread-safe; one per cache (its version views share it).
 */
final class SingleFlight {
    private final ConcurrentHashMap<String, Flight> inflight = new ConcurrentHashMap<>();

    /** One run, which callers for the same key share. */
    private static final class Flight extends CompletableFuture<Object> {
        final Thread owner;

        Flight(Thread owner) {
            this.owner = owner;
        }
    }

    /**
     * The result of {@code work} for {@code key}: run here when no run of the key is in flight,
     * else the in-flight run's result (or its exception, rethrown).
     *
     * @throws RuntimeException {@code reentered}'s exception when called from the key's own run
     */
    Object run(String key, Supplier<?> work, Supplier<? extends RuntimeException> reentered) {
        Flight mine = new Flight(Thread.currentThread());
        Flight running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            if (running.owner == Thread.currentThread()) {
                throw reentered.get();
            }
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
        try {
            Object result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }
}
