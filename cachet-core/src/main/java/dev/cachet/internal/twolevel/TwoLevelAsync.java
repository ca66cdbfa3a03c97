package dev.cachet.internal.twolevel;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.ForwardingAsyncCache;
import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import dev.cachet.internal.StaleFallback;
import dev.cachet.spi.Invalidation;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The async face of a {@link TwoLevelCache}: a local hit completes at once; everything else
 * runs on the shared cache's async face, and then fills the local level or drops and announces
 * the key, by the same rules (the same methods) as the synchronous face. The fresh-data
 * pipeline's calls go to {@link TwoLevelFresh}.
 */
final class TwoLevelAsync extends ForwardingAsyncCache implements StaleFallback.Async {
    private final TwoLevelCache cache;

    TwoLevelAsync(TwoLevelCache cache, AsyncCache shared) {
        super(shared);
        this.cache = cache;
    }

    @Override
    public Cache sync() {
        return cache;
    }

    @Override
    public CompletionStage<Object> get(String key) {
        return lookup(key).thenApply(l -> l.orElse(null));
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type) {
        return lookup(key, type).thenApply(l -> l.orElse(null));
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type, T defaultValue) {
        return lookup(key, type).thenApply(l -> l.orElse(defaultValue));
    }

    @Override
    public CompletionStage<Lookup<Object>> lookup(String key) {
        return safely(() -> cache.lookupThen(key, delegate()::lookup));
    }

    @Override
    public <T> CompletionStage<Lookup<T>> lookup(String key, Class<T> type) {
        return lookup(key).thenApply(l -> l.isHit() ? Lookup.hit(cache.cast(l.value(), type, key)) : Lookup.miss());
    }

    @Override
    public CompletionStage<Boolean> hasKey(String key) {
        return safely(() -> cache.hasLocal(key) ? CompletableFuture.completedFuture(true) : delegate().hasKey(key));
    }

    @Override
    public CompletionStage<Map<String, Object>> getMany(Collection<String> keys) {
        return safely(() -> cache.getManyThen(keys, delegate()::getMany));
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getMany(Collection<String> keys, Class<T> type) {
        return getMany(keys).thenApply(m -> cache.typed(m, type));
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return safely(() -> cache.getOrSetThen(key, type, loader, timeout, wrapped -> delegate().getOrSet(key, type, wrapped, timeout)));
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return getOrSet(key, type, loader, freshness, null);
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return cache.fresh().getOrSetAsync(key, type, loader, freshness, previousKeys, delegate());
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return getOrSetMany(keys, type, loader, freshness, null);
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return cache.fresh().getOrSetManyAsync(keys, type, loader, freshness, previousKeys, delegate());
    }

    // ---- writes ----

    private <R> CompletionStage<R> changing(String key, Timeout timeout, CompletionStage<R> write) {
        return write.whenComplete((r, e) -> cache.changed(key, timeout));
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout) {
        return changing(key, timeout, delegate().set(key, value, timeout));
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return changing(key, timeout, delegate().set(key, value, timeout, tags));
    }

    @Override
    public CompletionStage<Boolean> add(String key, Object value, Timeout timeout) {
        return delegate().add(key, value, timeout).whenComplete((added, e) -> {
            if (Boolean.TRUE.equals(added)) {
                cache.changed(key, timeout);
            }
        });
    }

    @Override
    public CompletionStage<Boolean> touch(String key, Timeout timeout) {
        return changing(key, timeout, delegate().touch(key, timeout));
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        return changing(key, Timeout.FOREVER, delegate().delete(key));
    }

    @Override
    public CompletionStage<Set<String>> setMany(Map<String, ?> values, Timeout timeout) {
        return delegate().setMany(values, timeout)
                .whenComplete((r, e) -> values.keySet().forEach(k -> cache.changed(k, timeout)));
    }

    @Override
    public CompletionStage<Integer> deleteMany(Collection<String> keys) {
        return delegate().deleteMany(keys).whenComplete((r, e) -> keys.forEach(k -> cache.changed(k, Timeout.FOREVER)));
    }

    @Override
    public CompletionStage<Long> incr(String key, long delta) {
        return changing(key, Timeout.FOREVER, delegate().incr(key, delta));
    }

    @Override
    public CompletionStage<Long> decr(String key, long delta) {
        return changing(key, Timeout.FOREVER, delegate().decr(key, delta));
    }

    @Override
    public CompletionStage<Integer> incrVersion(String key, int delta) {
        return delegate().incrVersion(key, delta).whenComplete((r, e) -> cache.versionMoved(key, delta));
    }

    @Override
    public CompletionStage<Void> invalidateTag(String tag) {
        return delegate().invalidateTag(tag).whenComplete((r, e) -> cache.dropAllAndAnnounce(Invalidation.Kind.TAG, tag));
    }

    @Override
    public CompletionStage<Void> clear() {
        return delegate().clear().whenComplete((r, e) -> cache.dropAllAndAnnounce(Invalidation.Kind.CLEAR, ""));
    }

    @Override
    public CompletionStage<Boolean> refresh(String key) {
        return cache.fresh().refresh(key, true);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        return cache.fresh().refresh(key, loader, freshness, true);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        return cache.fresh().prefetch(keys, true);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        return cache.fresh().prefetch(keys, loader, freshness, true);
    }

    /** {@code op}'s stage, or a failed one when it threw before making one (bad arguments). */
    private static <T> CompletionStage<T> safely(Supplier<CompletionStage<T>> op) {
        try {
            return op.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
