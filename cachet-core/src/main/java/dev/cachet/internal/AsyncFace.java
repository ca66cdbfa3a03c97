package dev.cachet.internal;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The async face: each operation is its sync twin, run inline when the backend does not block
 * (local memory), else on the cache's executor; one that may run a loader always runs on the
 * executor ({@link #runLoader}). Any exception, argument errors included, completes the stage
 * exceptionally. Members that need no waiting ({@code stats}, {@code withVersion}...) are
 * {@link AsyncCache}'s defaults over {@link #sync()}.
 */
final class AsyncFace implements AsyncCache, StaleFallback.Async {
    private final Cache sync;
    private final CacheCore core;

    AsyncFace(Cache sync, CacheCore core) {
        this.sync = sync;
        this.core = core;
    }

    private <T> CompletionStage<T> run(Supplier<T> op) {
        if (!core.entries.isBlocking()) {
            try {
                return CompletableFuture.completedFuture(op.get());
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return runLoader(op);
    }

    @Override
    public Cache sync() {
        return sync;
    }

    @Override
    public CompletionStage<Object> get(String key) {
        return run(() -> sync.get(key));
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type) {
        return run(() -> sync.get(key, type));
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type, T defaultValue) {
        return run(() -> sync.get(key, type, defaultValue));
    }

    @Override
    public CompletionStage<Lookup<Object>> lookup(String key) {
        return run(() -> sync.lookup(key));
    }

    @Override
    public <T> CompletionStage<Lookup<T>> lookup(String key, Class<T> type) {
        return run(() -> sync.lookup(key, type));
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout) {
        return run(() -> sync.set(key, value, timeout));
    }

    @Override
    public CompletionStage<Boolean> add(String key, Object value, Timeout timeout) {
        return run(() -> sync.add(key, value, timeout));
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return runLoader(() -> sync.getOrSet(key, type, loader, timeout));
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return runLoader(() -> sync.getOrSet(key, type, loader, freshness));
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return runLoader(() -> sync.getOrSetMany(keys, type, loader, freshness));
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return runLoader(() -> ((StaleFallback) sync).getOrSet(key, type, loader, freshness, previousKeys));
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return runLoader(() -> ((StaleFallback) sync).getOrSetMany(keys, type, loader, freshness, previousKeys));
    }

    /** Runs a call that may run a loader: never on the caller's thread, which an async API must not block. */
    private <T> CompletionStage<T> runLoader(Supplier<T> op) {
        if (core.closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("cache '" + core.name + "' is closed"));
        }
        try {
            return CompletableFuture.supplyAsync(op, core.executor());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("cache '" + core.name + "' is closed", e));
        }
    }

    @Override
    public CompletionStage<Boolean> touch(String key, Timeout timeout) {
        return run(() -> sync.touch(key, timeout));
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        return run(() -> sync.delete(key));
    }

    @Override
    public CompletionStage<Map<String, Object>> getMany(Collection<String> keys) {
        return run(() -> sync.getMany(keys));
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getMany(Collection<String> keys, Class<T> type) {
        return run(() -> sync.getMany(keys, type));
    }

    @Override
    public CompletionStage<Set<String>> setMany(Map<String, ?> values, Timeout timeout) {
        return run(() -> sync.setMany(values, timeout));
    }

    @Override
    public CompletionStage<Integer> deleteMany(Collection<String> keys) {
        return run(() -> sync.deleteMany(keys));
    }

    @Override
    public CompletionStage<Boolean> hasKey(String key) {
        return run(() -> sync.hasKey(key));
    }

    @Override
    public CompletionStage<Long> incr(String key, long delta) {
        return run(() -> sync.incr(key, delta));
    }

    @Override
    public CompletionStage<Long> decr(String key, long delta) {
        return run(() -> sync.decr(key, delta));
    }

    @Override
    public CompletionStage<Integer> incrVersion(String key, int delta) {
        return run(() -> sync.incrVersion(key, delta));
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return run(() -> sync.set(key, value, timeout, tags));
    }

    @Override
    public CompletionStage<Void> invalidateTag(String tag) {
        return run(() -> {
            sync.invalidateTag(tag);
            return null;
        });
    }

    /**
     * Cache's refresh reads the current entry on the calling thread before it starts the load
     * in the background: here that read runs where {@link #run} runs it.
     */
    @Override
    public CompletionStage<Boolean> refresh(String key) {
        return run(() -> sync.refresh(key)).thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        return run(() -> sync.refresh(key, loader, freshness)).thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        return run(() -> sync.prefetch(keys)).thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        return run(() -> sync.prefetch(keys, loader, freshness)).thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Void> clear() {
        return run(() -> {
            sync.clear();
            return null;
        });
    }
}
