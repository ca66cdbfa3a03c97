package dev.cachet.servlet.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** At most one render per key at a time in this process; the others wait for it, with a bound. */
public final class Flights {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> running = new ConcurrentHashMap<>();

    /** A render of {@code key} this caller leads, or null when another one is running. */
    public CompletableFuture<Void> lead(String key) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        return running.putIfAbsent(key, mine) == null ? mine : null;
    }

    /** True when a render of {@code key} is running. */
    public boolean running(String key) {
        return running.containsKey(key);
    }

    /** Ends the render {@code flight} of {@code key}: its waiters go on. Idempotent. */
    public void land(String key, CompletableFuture<Void> flight) {
        running.remove(key, flight);
        flight.complete(null);
    }

    /** Waits at most {@code millis} for the running render of {@code key} (none: returns at once). */
    public void await(String key, long millis) {
        CompletableFuture<Void> f = running.get(key);
        if (f == null) {
            return;
        }
        try {
            f.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the waiter renders for itself
        }
    }
}
