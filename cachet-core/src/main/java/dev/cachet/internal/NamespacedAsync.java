package dev.cachet.internal;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The async face of a {@link NamespacedCache}: each operation reads the generation through the
 * parent's async face, then runs the parent's async twin on the namespaced key, so it blocks
 * no caller thread and runs where the parent runs its own (its executor, or inline for local
 * memory). Any exception, argument errors included, completes the stage exceptionally.
 */
final class NamespacedAsync implements AsyncCache, StaleFallback.Async {
    private final NamespacedCache ns;
    private final AsyncCache parent;

    NamespacedAsync(NamespacedCache ns, AsyncCache parent) {
        this.ns = ns;
        this.parent = parent;
    }

    /** Runs {@code op} with the current generation; never throws. */
    private <T> CompletionStage<T> at(LongFunction<CompletionStage<T>> op) {
        try {
            return ns.generation().currentAsync().thenCompose(op::apply);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs {@code op} on the parent's key for {@code key}; a null key fails before any read. */
    private <T> CompletionStage<T> onKey(String key, Function<String, CompletionStage<T>> op) {
        return onKeyAt(key, (gen, k) -> op.apply(k));
    }

    /** {@link #onKey}, {@code op} also given the generation. */
    private <T> CompletionStage<T> onKeyAt(String key, BiFunction<Long, String, CompletionStage<T>> op) {
        try {
            ns.requireKey(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return at(gen -> op.apply(gen, ns.dataKey(gen, key)));
    }

    /** Like {@link #onKey}, counting a read of {@code key} once the stage completes normally. */
    private <T> CompletionStage<T> readKey(String key, Function<String, CompletionStage<T>> op) {
        return onKey(key, op).thenApply(v -> {
            ns.read(key);
            return v;
        });
    }

    @Override
    public Cache sync() {
        return ns;
    }

    @Override
    public CompletionStage<Object> get(String key) {
        return readKey(key, k -> parent.get(k));
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type) {
        return readKey(key, k -> parent.get(k, type));
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type, T defaultValue) {
        return readKey(key, k -> parent.get(k, type, defaultValue));
    }

    @Override
    public CompletionStage<Lookup<Object>> lookup(String key) {
        return readKey(key, k -> parent.lookup(k));
    }

    @Override
    public <T> CompletionStage<Lookup<T>> lookup(String key, Class<T> type) {
        return readKey(key, k -> parent.lookup(k, type));
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout) {
        return onKey(key, k -> parent.set(k, value, timeout));
    }

    @Override
    public CompletionStage<Boolean> add(String key, Object value, Timeout timeout) {
        return onKey(key, k -> parent.add(k, value, timeout));
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return readKey(key, k -> parent.getOrSet(k, type, loader, timeout));
    }

    @Override
    public CompletionStage<Boolean> touch(String key, Timeout timeout) {
        return onKey(key, k -> parent.touch(k, timeout));
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        return onKey(key, k -> parent.delete(k));
    }

    /** With the previous entries of an expired namespace, as {@link NamespacedCache}'s twin. */
    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return getOrSet(key, type, loader, freshness, null).thenApply(v -> {
            ns.read(key);
            return v;
        });
    }

    /** {@code previousKeys} null: this namespace's own ({@link PreviousGenerations}). */
    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return onKeyAt(key, (gen, k) -> {
            if (!(parent instanceof StaleFallback.Async f)) {
                return parent.getOrSet(k, type, loader, freshness);
            }
            Function<String, List<String>> mine = previousKeys != null ? previousKeys
                    : PreviousGenerations.keysOf(ns, gen);
            return f.getOrSet(k, type, loader, freshness, d -> mine.apply(key));
        });
    }

    /** With the previous entries of an expired namespace, as {@link NamespacedCache}'s twin. */
    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return getOrSetMany(keys, type, loader, freshness, null);
    }

    /** {@code previousKeys} null: this namespace's own ({@link PreviousGenerations}). */
    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return at(gen -> {
            Map<String, String> byDataKey = ns.dataKeys(gen, keys);
            Function<Set<String>, Map<String, T>> byData = NamespacedCache.dataKeyLoader(byDataKey, loader);
            CompletionStage<Map<String, T>> found;
            if (parent instanceof StaleFallback.Async f) {
                Function<String, List<String>> mine = previousKeys != null ? previousKeys
                        : PreviousGenerations.keysOf(ns, gen);
                found = f.getOrSetMany(byDataKey.keySet(), type, byData, freshness, d -> mine.apply(byDataKey.get(d)));
            } else {
                found = parent.getOrSetMany(byDataKey.keySet(), type, byData, freshness);
            }
            return found.thenApply(m -> ns.userKeys(m, byDataKey));
        });
    }

    @Override
    public CompletionStage<Map<String, Object>> getMany(Collection<String> keys) {
        return at(gen -> {
            Map<String, String> byDataKey = ns.dataKeys(gen, keys);
            return parent.getMany(byDataKey.keySet()).thenApply(found -> ns.userKeys(found, byDataKey));
        });
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getMany(Collection<String> keys, Class<T> type) {
        return at(gen -> {
            Map<String, String> byDataKey = ns.dataKeys(gen, keys);
            return parent.getMany(byDataKey.keySet(), type).thenApply(found -> ns.userKeys(found, byDataKey));
        });
    }

    @Override
    public CompletionStage<Set<String>> setMany(Map<String, ?> values, Timeout timeout) {
        if (values == null) {
            return CompletableFuture.failedFuture(new NullPointerException("values must not be null"));
        }
        return at(gen -> {
            Map<String, Object> byDataKey = new LinkedHashMap<>(values.size() * 2);
            Map<String, String> users = new LinkedHashMap<>(values.size() * 2);
            for (Map.Entry<String, ?> e : values.entrySet()) {
                String k = ns.dataKey(gen, e.getKey());
                byDataKey.put(k, e.getValue());
                users.put(k, e.getKey());
            }
            return parent.setMany(byDataKey, timeout).thenApply(failed -> NamespacedCache.userKeys(failed, users));
        });
    }

    @Override
    public CompletionStage<Integer> deleteMany(Collection<String> keys) {
        return at(gen -> parent.deleteMany(ns.dataKeys(gen, keys).keySet()));
    }

    @Override
    public CompletionStage<Boolean> hasKey(String key) {
        return onKey(key, k -> parent.hasKey(k));
    }

    @Override
    public CompletionStage<Long> incr(String key, long delta) {
        return onKey(key, k -> parent.incr(k, delta));
    }

    @Override
    public CompletionStage<Long> decr(String key, long delta) {
        return onKey(key, k -> parent.decr(k, delta));
    }

    @Override
    public CompletionStage<Integer> incrVersion(String key, int delta) {
        return onKey(key, k -> parent.incrVersion(k, delta));
    }

    /** Tags are the parent cache's, as in {@link NamespacedCache#set(String, Object, Timeout, Collection)}. */
    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return onKey(key, k -> parent.set(k, value, timeout, tags));
    }

    @Override
    public CompletionStage<Void> invalidateTag(String tag) {
        return parent.invalidateTag(tag);
    }

    /** With the loader registered on the namespace (see {@link NamespacedCache#registerLoader}). */
    @Override
    public CompletionStage<Boolean> refresh(String key) {
        LoaderRegistry.Registered r;
        try {
            r = ns.registered(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return refresh(key, r.loader(), r.freshness());
    }

    /** The parent's async refresh of the namespaced key; {@code loader} receives the user's key. */
    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        if (loader == null) {
            return CompletableFuture.failedFuture(new NullPointerException("loader must not be null"));
        }
        return onKey(key, k -> parent.refresh(k, dk -> loader.apply(key), freshness));
    }

    /** One prefetch per key, each with the loader registered on the namespace for it. */
    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        try {
            Objects.requireNonNull(keys, "keys must not be null");
            List<CompletableFuture<Integer>> each = new ArrayList<>();
            for (String k : keys) {
                LoaderRegistry.Registered r = ns.registered(k);
                each.add(prefetch(List.of(k), r.loader(), r.freshness()).toCompletableFuture());
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> each.stream().mapToInt(CompletableFuture::join).sum());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The parent's async prefetch of the namespaced keys; {@code loader} receives the user's keys. */
    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        if (loader == null) {
            return CompletableFuture.failedFuture(new NullPointerException("loader must not be null"));
        }
        return at(gen -> {
            Map<String, String> byDataKey = ns.dataKeys(gen, keys);
            return parent.prefetch(byDataKey.keySet(), dk -> loader.apply(byDataKey.get(dk)), freshness);
        });
    }

    /** {@link NamespacedCache#invalidate()}, through the parent's async face. */
    @Override
    public CompletionStage<Void> clear() {
        return ns.generation().invalidateAsync().thenAccept(g -> ns.invalidated());
    }

    @Override
    public String toString() {
        return "Async" + ns;
    }
}
