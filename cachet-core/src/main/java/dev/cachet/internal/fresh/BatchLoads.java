package dev.cachet.internal.fresh;

import dev.cachet.Freshness;
import dev.cachet.internal.Stamped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code getOrSetMany}: one read for all keys, one loader call for the misses this process
 * loads (single flight per key, and a lease per key on a shared backend), the same freshness
 * options as {@link FreshLoads}. Keys another thread is loading are joined; keys whose lease
 * another process holds wait for its value as a single {@code getOrSet} does.
 */
public final class BatchLoads {
    private final FreshLoads loads;

    public BatchLoads(FreshLoads loads) {
        this.loads = loads;
    }

    /** The values of {@code keys} (in their order); a key the loader gave no value for is absent and not stored. */
    public Map<String, Object> getOrSetMany(Iterable<String> keys,
            Function<? super Set<String>, ? extends Map<String, ?>> loader, Freshness options) {
        return getOrSetMany(keys, loader, options, null);
    }

    /**
     * {@link #getOrSetMany(Iterable, Function, Freshness)}, where each key that misses takes the
     * previous entry {@code previousKeys} points to as a stale one, as a single
     * {@link FreshLoads#getOrSet(String, Supplier, Freshness, Function)} does (one more read for
     * all the keys that missed).
     */
    public Map<String, Object> getOrSetMany(Iterable<String> keys,
            Function<? super Set<String>, ? extends Map<String, ?>> loader, Freshness options,
            Function<String, ? extends Collection<String>> previousKeys) {
        FreshStorage storage = loads.storage();
        LoadCounters counters = loads.counters();
        Set<String> unique = new LinkedHashSet<>();
        keys.forEach(unique::add);
        Map<String, Stamped> found = storage.readMany(unique);
        if (previousKeys != null && found.size() < unique.size()) {
            List<String> missed = new ArrayList<>();
            for (String k : unique) {
                if (!found.containsKey(k)) {
                    missed.add(k);
                }
            }
            Map<String, Stamped> previous = loads.previous(missed, previousKeys, options);
            if (!previous.isEmpty()) {
                found = new LinkedHashMap<>(found);
                found.putAll(previous);
            }
        }
        long now = storage.clock().millis();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Stamped> toLoad = new LinkedHashMap<>(); // key -> stale value (maybe null)
        for (String k : unique) {
            Stamped s = found.get(k);
            Supplier<Object> one = () -> single(loader, k);
            if (s != null && now < s.freshUntil()) {
                counters.hits.increment();
                values.put(k, s.value());
                if (loads.refreshesEarly(s, options, now)) {
                    counters.earlyRefreshes.increment();
                    loads.refreshInBackground(k, one, options, s);
                }
            } else if (s != null && options.freshFor() != null) {
                counters.staleServed.increment();
                values.put(k, s.value());
                loads.refreshInBackground(k, one, options, s);
            } else {
                counters.misses.increment();
                toLoad.put(k, s);
            }
        }
        if (!toLoad.isEmpty()) {
            load(toLoad, loader, options, values);
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : unique) {
            if (values.containsKey(k)) {
                ordered.put(k, values.get(k));
            }
        }
        return ordered;
    }

    private void load(Map<String, Stamped> toLoad, Function<? super Set<String>, ? extends Map<String, ?>> loader,
            Freshness options, Map<String, Object> values) {
        FreshStorage storage = loads.storage();
        Map<String, FreshLoads.Flight> mine = new LinkedHashMap<>();
        Map<String, FreshLoads.Flight> joined = new LinkedHashMap<>();
        for (String k : toLoad.keySet()) {
            FreshLoads.Flight f = new FreshLoads.Flight(Thread.currentThread());
            FreshLoads.Flight running = loads.inflight.putIfAbsent(storage.flightKey(k), f);
            if (running == null) {
                mine.put(k, f);
            } else if (running.owner == Thread.currentThread()) {
                mine.forEach((mk, m) -> {
                    loads.inflight.remove(storage.flightKey(mk), m);
                    m.complete(null);
                });
                throw loads.reentered(k);
            } else {
                joined.put(k, running);
            }
        }
        String token = FreshLoads.token();
        List<String> leased = new ArrayList<>();
        try {
            Set<String> bulk = new LinkedHashSet<>();
            List<String> elsewhere = new ArrayList<>();
            for (String k : mine.keySet()) {
                if (!loads.usesLeases(options)) {
                    bulk.add(k);
                } else if (storage.tryLease(k, token, loads.leaseUntil(options))) {
                    loads.counters().leaseWins.increment();
                    leased.add(k);
                    bulk.add(k);
                } else {
                    elsewhere.add(k);
                }
            }
            if (!bulk.isEmpty()) {
                loadBulk(bulk, toLoad, loader, options, mine, values);
            }
            for (String k : elsewhere) {
                loads.counters().leaseWaits.increment();
                Stamped s = loads.loadUnderLease(k, () -> single(loader, k), options, toLoad.get(k));
                mine.get(k).complete(s);
                values.put(k, s.value());
            }
        } catch (RuntimeException | Error e) {
            mine.values().forEach(f -> f.completeExceptionally(e));
            throw e;
        } finally {
            for (String k : leased) {
                storage.releaseLease(k, token);
            }
            mine.forEach((k, f) -> {
                f.complete(null);
                loads.inflight.remove(storage.flightKey(k), f);
            });
        }
        joined.forEach((k, f) -> {
            Stamped s = f.join();
            if (s != null) {
                values.put(k, s.value());
            }
        });
    }

    private void loadBulk(Set<String> bulk, Map<String, Stamped> toLoad,
            Function<? super Set<String>, ? extends Map<String, ?>> loader, Freshness options,
            Map<String, FreshLoads.Flight> mine, Map<String, Object> values) {
        FreshStorage storage = loads.storage();
        LoadCounters counters = loads.counters();
        counters.loads.increment();
        long started = storage.clock().millis();
        Map<String, ?> loaded;
        try {
            loaded = loader.apply(Collections.unmodifiableSet(bulk));
            if (loaded == null) {
                throw new IllegalStateException("cache '" + storage.cacheName()
                        + "': the getOrSetMany loader returned null instead of a map");
            }
        } catch (RuntimeException | Error e) {
            counters.loadFailures.increment();
            if (options.failSafeMax() == null || bulk.stream().anyMatch(k -> toLoad.get(k) == null)) {
                throw e;
            }
            long now = storage.clock().millis();
            for (String k : bulk) {
                counters.failSafeActivations.increment();
                Stamped held = toLoad.get(k).withFreshUntil(now + options.failSafeThrottle().toMillis());
                storage.write(k, held);
                mine.get(k).complete(held);
                values.put(k, held.value());
            }
            return;
        }
        int computeMillis = options.xfetchBeta() == 0 ? 0
                : FreshLoads.computeMillis(started, storage.clock().millis());
        for (String k : bulk) {
            if (!loaded.containsKey(k)) {
                continue;
            }
            Object v = loaded.get(k);
            Stamped s = loads.stamp(v, options, computeMillis);
            if (s != null) {
                storage.write(k, s);
                mine.get(k).complete(s);
            }
            values.put(k, v);
        }
    }

    private static Object single(Function<? super Set<String>, ? extends Map<String, ?>> loader, String key) {
        Map<String, ?> m = loader.apply(Set.of(key));
        if (m == null || !m.containsKey(key)) {
            throw new NoSuchElementException("the getOrSetMany loader gave no value for key '"
                    + dev.cachet.internal.KeyPolicy.abbreviate(key) + "'");
        }
        return m.get(key);
    }
}
