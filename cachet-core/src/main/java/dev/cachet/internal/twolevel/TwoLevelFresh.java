package dev.cachet.internal.twolevel;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.Freshness;
import dev.cachet.Timeout;
import dev.cachet.internal.CoreCache;
import dev.cachet.internal.StaleFallback;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fresh-data pipeline of one two-level view ({@code getOrSet} and {@code getOrSetMany} with
 * {@link Freshness}, registered loaders, {@code refresh}, {@code prefetch}, and their async
 * forms), in one of two ways:
 *
 * <ul>
 *   <li><b>Through the local level</b>, when the shared cache is the core cache (what
 *       {@link dev.cachet.Caches} opens): its pipeline runs over a {@link LocalFreshStorage}
 *       ({@link CoreCache#withFreshStorage}), so a hit is answered from the local copy of the
 *       stamped entry, and what a load or refresh stores is kept locally and announced by the
 *       storage's write. The pipeline's rules are the core's, unchanged.</li>
 *   <li><b>On the shared cache</b>, when it is another cache (a user's decorator), whose
 *       pipeline cannot be given another storage: its loaders are wrapped so that what they
 *       compute is announced when they return and again one heartbeat later (for a store that
 *       follows the loader in the background), and {@code refresh}/{@code prefetch} announce
 *       their keys when they complete.</li>
 * </ul>
 * Thread-safe.
 */
final class TwoLevelFresh {
    private final TwoLevelCache cache;
    private final Cache shared;
    /** The shared cache's view whose pipeline reads through the local level, or null (the second way). */
    private final CoreCache pipeline;
    private final LocalFreshStorage storage;

    TwoLevelFresh(TwoLevelCache cache, Cache shared, LocalLevel local, Clock clock) {
        this.cache = cache;
        this.shared = shared;
        if (shared instanceof CoreCache core) {
            LocalFreshStorage[] made = new LocalFreshStorage[1]; // withFreshStorage applies the function before it returns
            this.pipeline = core.withFreshStorage(own -> made[0] = new LocalFreshStorage(own, cache, local, clock));
            this.storage = made[0];
        } else {
            this.storage = null;
            this.pipeline = null;
        }
    }

    /** True when the pipeline reads through the local level. */
    boolean throughLocal() {
        return pipeline != null;
    }

    <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        if (pipeline != null) {
            return pipeline.getOrSet(key, type, loader, freshness, previousKeys);
        }
        AtomicBoolean loaded = new AtomicBoolean();
        Supplier<T> announced = announcing(key, loader, loaded);
        T v = previousKeys != null && shared instanceof StaleFallback f
                ? f.getOrSet(key, type, announced, freshness, previousKeys)
                : shared.getOrSet(key, type, announced, freshness);
        if (loaded.get()) {
            cache.changed(key, Timeout.FOREVER); // the pipeline has stored it by now: announce again
        }
        return v;
    }

    <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        if (pipeline != null) {
            return pipeline.getOrSetMany(keys, type, loader, freshness, previousKeys);
        }
        return previousKeys != null && shared instanceof StaleFallback f
                ? f.getOrSetMany(keys, type, announcingMany(loader), freshness, previousKeys)
                : shared.getOrSetMany(keys, type, announcingMany(loader), freshness);
    }

    /**
     * The async {@code getOrSet}: through the local level, a fresh local copy is answered inline
     * (the pipeline waits for nothing then), anything else runs on the pipeline's async face.
     */
    <T> CompletionStage<T> getOrSetAsync(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys, AsyncCache sharedAsync) {
        if (pipeline != null) {
            if (storage.holdsFresh(key)) {
                try {
                    return CompletableFuture.completedFuture(getOrSet(key, type, loader, freshness, previousKeys));
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
            return ((StaleFallback.Async) pipeline.async()).getOrSet(key, type, loader, freshness, previousKeys);
        }
        AtomicBoolean loaded = new AtomicBoolean();
        Supplier<T> announced = announcing(key, loader, loaded);
        CompletionStage<T> got = previousKeys != null && sharedAsync instanceof StaleFallback.Async f
                ? f.getOrSet(key, type, announced, freshness, previousKeys)
                : sharedAsync.getOrSet(key, type, announced, freshness);
        return got.whenComplete((v, e) -> {
            if (loaded.get()) {
                cache.changed(key, Timeout.FOREVER);
            }
        });
    }

    <T> CompletionStage<Map<String, T>> getOrSetManyAsync(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys, AsyncCache sharedAsync) {
        if (pipeline != null) {
            return ((StaleFallback.Async) pipeline.async()).getOrSetMany(keys, type, loader, freshness, previousKeys);
        }
        return previousKeys != null && sharedAsync instanceof StaleFallback.Async f
                ? f.getOrSetMany(keys, type, announcingMany(loader), freshness, previousKeys)
                : sharedAsync.getOrSetMany(keys, type, announcingMany(loader), freshness);
    }

    void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness) {
        // through the local level the refresh's write announces; the registry is the shared cache's either way
        shared.registerLoader(keyPrefix, pipeline != null ? loader : announcing(loader), freshness);
    }

    /** {@code refresh(key)}, on the async face of the pipeline when {@code async}. */
    CompletionStage<Boolean> refresh(String key, boolean async) {
        if (pipeline != null) {
            return async ? pipeline.async().refresh(key) : pipeline.refresh(key);
        }
        return shared.refresh(key).whenComplete((stored, e) -> cache.changed(key, Timeout.FOREVER));
    }

    CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness, boolean async) {
        if (pipeline != null) {
            return async ? pipeline.async().refresh(key, loader, freshness) : pipeline.refresh(key, loader, freshness);
        }
        return shared.refresh(key, announcing(loader), freshness)
                .whenComplete((stored, e) -> cache.changed(key, Timeout.FOREVER));
    }

    CompletionStage<Integer> prefetch(Collection<String> keys, boolean async) {
        if (pipeline != null) {
            return async ? pipeline.async().prefetch(keys) : pipeline.prefetch(keys);
        }
        return shared.prefetch(keys).whenComplete((n, e) -> keys.forEach(k -> cache.changed(k, Timeout.FOREVER)));
    }

    CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness,
            boolean async) {
        if (pipeline != null) {
            return async ? pipeline.async().prefetch(keys, loader, freshness) : pipeline.prefetch(keys, loader, freshness);
        }
        return shared.prefetch(keys, announcing(loader), freshness)
                .whenComplete((n, e) -> keys.forEach(k -> cache.changed(k, Timeout.FOREVER)));
    }

    // ---- on the shared cache: loaders announce what they computed ----

    /** {@code loader}, noting in {@code loaded} that it ran and announcing {@code key} when it returns. */
    private <T> Supplier<T> announcing(String key, Supplier<? extends T> loader, AtomicBoolean loaded) {
        return () -> {
            try {
                return loader.get();
            } finally {
                loaded.set(true);
                cache.loadedInBackground(key);
            }
        };
    }

    /** {@code loader} of many keys, announcing them when it returns. */
    private <T> Function<Set<String>, Map<String, ? extends T>> announcingMany(
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader) {
        return missing -> {
            try {
                return loader.apply(missing);
            } finally {
                missing.forEach(cache::loadedInBackground);
            }
        };
    }

    private <V> Function<String, V> announcing(Function<String, V> loader) {
        return k -> {
            try {
                return loader.apply(k);
            } finally {
                cache.loadedInBackground(k);
            }
        };
    }
}
