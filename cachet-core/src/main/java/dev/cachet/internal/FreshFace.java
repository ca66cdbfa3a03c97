package dev.cachet.internal;

import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import dev.cachet.internal.fresh.BatchLoads;
import dev.cachet.internal.fresh.FreshLoads;
import dev.cachet.internal.fresh.FreshStorage;
import dev.cachet.spi.PutMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The fresh-data half of one {@link CoreCache} view: {@code getOrSet} with {@link Freshness},
 * {@code getOrSetMany}, tagged writes and tag invalidation, {@code refresh} and
 * {@code prefetch} through registered loaders. The pipeline itself is {@link FreshLoads}.
 */
final class FreshFace {
    private final CoreCache view;
    private final CacheCore core;
    /** The view's own storage. */
    private final CoreFreshStorage own;
    /** What the pipeline reads and writes: {@link #own}, or what a decorator made of it. */
    private final FreshStorage storage;
    private final FreshLoads loads;
    private final BatchLoads batches;

    /** The face of {@code view}, whose pipeline runs over {@code storage} made of the view's own. */
    FreshFace(CoreCache view, CacheCore core, UnaryOperator<FreshStorage> storage) {
        this.view = view;
        this.core = core;
        this.own = new CoreFreshStorage(view, core);
        this.storage = Objects.requireNonNull(storage.apply(own), "fresh storage");
        this.loads = new FreshLoads(this.storage, core.counters, core.freshFlights);
        this.batches = new BatchLoads(loads);
    }

    /** Django's {@code get_or_set}: single flight in the process, the loaded value stored with {@code add}, no stamp. */
    <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        Objects.requireNonNull(loader, "loader must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Lookup<T> l = view.lookup(key, type);
        if (l.isHit()) {
            return l.value();
        }
        String k = view.storeKeyOf(key);
        Object result = core.flights.run(k, () -> {
            Lookup<T> again = view.lookup(key, type);
            if (again.isHit()) {
                return again.value();
            }
            T loaded = loader.get();
            if (!view.add(key, loaded, timeout)) {
                Lookup<T> winner = view.lookup(key, type);
                if (winner.isHit()) {
                    return winner.value();
                }
            }
            return loaded;
        }, () -> new IllegalStateException("cache '" + core.name + "': getOrSet of key '" + KeyPolicy.abbreviate(key)
                + "' was called again from its own loader"));
        return Conversions.cast(result, type, core.name, key);
    }

    /** The stored keys of {@code found} whose tagged entries are outdated (one read for all; a failure per policy). */
    Set<String> outdatedTags(Map<String, Object> found) {
        return own.outdatedTags(found);
    }

    /** {@code getOrSet} with {@code freshness}; {@code previousKeys} (may be null) as {@link StaleFallback} says. */
    <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(loader, "loader must not be null");
        Objects.requireNonNull(freshness, "freshness must not be null (use Freshness.DEFAULT)");
        // the read checks the key and that the cache is open
        return Conversions.cast(loads.getOrSet(key, loader, freshness, previousKeys), type, core.name, key);
    }

    /** {@code getOrSetMany}; {@code previousKeys} (may be null) as {@link StaleFallback} says. */
    <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        Objects.requireNonNull(keys, "keys must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Objects.requireNonNull(loader, "loader must not be null");
        Objects.requireNonNull(freshness, "freshness must not be null (use Freshness.DEFAULT)");
        for (String k : keys) {
            view.storeKeyOf(k);
        }
        Map<String, Object> raw = batches.getOrSetMany(keys, loader, freshness, previousKeys);
        Map<String, T> out = new LinkedHashMap<>(raw.size() * 2);
        raw.forEach((k, v) -> out.put(k, Conversions.cast(v, type, core.name, k)));
        return out;
    }

    boolean setTagged(String key, Object value, Timeout timeout, Collection<String> tags) {
        Objects.requireNonNull(tags, "tags must not be null");
        String[] names = TagVersions.names(tags);
        if (names.length == 0) {
            return view.set(key, value, timeout);
        }
        long deadline = view.deadlineOf(timeout);
        core.tagsUsed = true;
        if (deadline == CoreCache.EXPIRED) {
            return view.set(key, value, timeout);
        }
        long[] versions;
        try {
            versions = core.tags.current(names);
        } catch (RuntimeException e) {
            return view.failure("set", key, e, Boolean.FALSE);
        }
        Stamped s = new Stamped(CoreCache.normalize(value), deadline, deadline, 0, names, versions);
        return view.putRaw("set", key, s, deadline, PutMode.SET);
    }

    void invalidateTag(String tag) {
        String[] names = TagVersions.names(List.of(Objects.requireNonNull(tag, "tag must not be null")));
        core.tagsUsed = true;
        try {
            core.tags.invalidate(names[0]);
        } catch (RuntimeException e) {
            view.failure("invalidate_tag '" + KeyPolicy.abbreviate(tag) + "'", null, e, null);
        }
    }

    /** The registered loader of {@code key}, or an exception naming the key. */
    private LoaderRegistry.Registered loaderOf(String key) {
        LoaderRegistry.Registered r = core.loaders.find(key);
        if (r == null) {
            throw new IllegalStateException("cache '" + core.name + "': no loader is registered for key '"
                    + KeyPolicy.abbreviate(key) + "' (registerLoader with a prefix of it first)");
        }
        return r;
    }

    CompletionStage<Boolean> refresh(String key) {
        try {
            view.storeKeyOf(key);
            LoaderRegistry.Registered r = loaderOf(key);
            return refresh(key, r.loader(), r.freshness());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        try {
            Objects.requireNonNull(loader, "loader must not be null");
            Objects.requireNonNull(freshness, "freshness must not be null (use Freshness.DEFAULT)");
            view.storeKeyOf(key);
            var flight = loads.refreshInBackground(key, () -> loader.apply(key), freshness, storage.read(key));
            if (flight == null) {
                return CompletableFuture.completedFuture(false);
            }
            return flight.thenApply(s -> s != null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletionStage<Integer> prefetch(Collection<String> keys) {
        try {
            Objects.requireNonNull(keys, "keys must not be null");
            List<LoaderRegistry.Registered> found = new ArrayList<>();
            for (String k : keys) {
                view.storeKeyOf(k);
                found.add(loaderOf(k));
            }
            return prefetch(keys, found);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        try {
            Objects.requireNonNull(keys, "keys must not be null");
            Objects.requireNonNull(loader, "loader must not be null");
            Objects.requireNonNull(freshness, "freshness must not be null (use Freshness.DEFAULT)");
            LoaderRegistry.Registered given = new LoaderRegistry.Registered("", loader, freshness);
            List<LoaderRegistry.Registered> found = new ArrayList<>();
            for (String k : keys) {
                view.storeKeyOf(k);
                found.add(given);
            }
            return prefetch(keys, found);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Starts a background load of each of {@code keys} that is missing or stale, with the loader at the same index of {@code found}. */
    private CompletionStage<Integer> prefetch(Collection<String> keys, List<LoaderRegistry.Registered> found) {
        try {
            Map<String, Stamped> present = storage.readMany(keys);
            long now = core.clock.millis();
            List<CompletableFuture<Boolean>> started = new ArrayList<>();
            int i = 0;
            for (String k : keys) {
                LoaderRegistry.Registered r = found.get(i++);
                Stamped current = present.get(k);
                if (current != null && now < current.freshUntil()) {
                    continue; // fresh already (a value written without a stamp is fresh until it expires)
                }
                var flight = loads.refreshInBackground(k, () -> r.loader().apply(k), r.freshness(), current);
                if (flight != null) {
                    started.add(flight.handle((s, e) -> e == null && s != null));
                }
            }
            return CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> (int) started.stream().filter(CompletableFuture::join).count());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

}
