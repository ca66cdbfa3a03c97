package dev.cachet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local-memory backend by reference: values are kept as the objects given (no copy, no
 * envelope), on a size-bounded Caffeine cache.
 *
 * <p>Expiry is ours, checked at read time (as Django's locmem does), not Caffeine's per-entry
 * expiry, whose bookkeeping on every read and write costs about as much as the whole of a
 * fixed-expiry Caffeine lookup. An entry never-expiring with a non-null value is held as the
 * value itself; every other entry as a {@link TimedValue} with its deadline. An entry past its
 * deadline is never returned, counts as absent in every operation ({@code add} replaces it,
 * {@code touch}, {@code incr} and {@code delete} do not see it), and is removed when an
 * operation meets it. Expired entries nobody reads again are removed by a sweep that runs in
 * the background after every {@code sweepEvery} writes (so at most about one sweep interval of
 * writes' worth of expired entries ever lingers, and a sweep costs O(1) per write amortized);
 * until then they count against {@code max_entries}, like Django's.
 *
 * <p>Map keys: a stored key {@code directHead + k} (the cache's own version under the default
 * key function) is held as {@code k} itself, so the hot paths ({@link #getDirect},
 * {@link #putDirect}) take the caller's key as it is, without building, hashing and comparing
 * {@code prefix:version:key}. Every other stored key is held as an {@link Other} wrapping it.
 * A String and an {@code Other} are never equal, so distinct stored keys stay distinct map
 * keys, and every operation of one stored key reaches the same entry whichever path it takes.
 */
final class ReferenceEntryStore implements EntryStore {
    private final Cache<Object, Object> cache;
    private final ConcurrentMap<Object, Object> map;
    private final String directHead;
    private final Clock clock;
    private final int sweepEvery;
    private final Executor sweeper;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** Writes since the last sweep; racy increments are fine, it only paces the sweeps. */
    private int writes;

    /**
     * @param directHead the head whose keys are held without it (the configured version's
     *     {@code prefix:version:} under the default key function), or null to wrap every key
     * @param sweepEvery how many writes between sweeps of expired entries
     */
    ReferenceEntryStore(Cache<Object, Object> cache, String directHead, Clock clock, int sweepEvery, Executor sweeper) {
        this.cache = cache;
        this.map = cache.asMap();
        this.directHead = directHead;
        this.clock = clock;
        this.sweepEvery = sweepEvery;
        this.sweeper = sweeper;
    }

    ReferenceEntryStore(Cache<Object, Object> cache, String directHead, Clock clock, long maxEntries) {
        this(cache, directHead, clock, (int) Math.min(1_000_000, Math.max(1_000, maxEntries)), ForkJoinPool.commonPool());
    }

    /** A stored key outside the direct head (another version, a hashed key, a key function's). */
    private record Other(String storedKey) {
    }

    /** True when the keys of a view with {@code head} may use the direct paths. */
    boolean isDirectHead(String head) {
        return head.equals(directHead);
    }

    private Object mapKey(String storedKey) {
        if (directHead != null && storedKey.startsWith(directHead)) {
            return storedKey.substring(directHead.length());
        }
        return new Other(storedKey);
    }

    /** What the map holds for {@code value} until {@code expiresAt}. */
    private static Object held(Object value, long expiresAt) {
        return expiresAt == Store.NEVER && value != null ? value : new TimedValue(value, expiresAt);
    }

    private static Object value(Object held) {
        return held instanceof TimedValue t ? t.value() : held;
    }

    private static boolean expired(Object held, long now) {
        return held instanceof TimedValue t && t.expiresAt() <= now;
    }

    /** The live value held under map key {@code k}, or {@link #MISSING}; removes an expired one. */
    private Object read(Object k) {
        Object held = cache.getIfPresent(k);
        if (held == null) {
            return MISSING;
        }
        if (held instanceof TimedValue t) {
            if (t.expiresAt() <= clock.millis()) {
                map.remove(k, held);
                return MISSING;
            }
            return t.value();
        }
        return held;
    }

    /** {@link #getOrMissing} of the stored key {@code directHead + key}. */
    Object getDirect(String key) {
        return read(key);
    }

    /** {@link #put} of the stored key {@code directHead + key}. */
    boolean putDirect(String key, Object value, long expiresAt, PutMode mode) {
        return putMapped(key, held(value, expiresAt), mode);
    }

    /** {@code put(..., SET)} of the stored key {@code directHead + key}. */
    void setDirect(String key, Object value, long expiresAt) {
        wrote(1);
        cache.put(key, held(value, expiresAt));
    }

    @Override
    public Lookup<Object> get(String key) {
        Object v = read(mapKey(key));
        return v == MISSING ? Lookup.miss() : Lookup.hit(v);
    }

    @Override
    public Object getOrMissing(String key) {
        return read(mapKey(key));
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        Map<Object, String> byMapKey = new HashMap<>(keys.size() * 2);
        List<Object> mapKeys = new ArrayList<>(keys.size());
        for (String k : keys) {
            Object m = mapKey(k);
            byMapKey.put(m, k);
            mapKeys.add(m);
        }
        Map<Object, Object> found = cache.getAllPresent(mapKeys);
        long now = clock.millis();
        Map<String, Object> out = new LinkedHashMap<>(found.size() * 2);
        for (Map.Entry<Object, Object> e : found.entrySet()) {
            if (expired(e.getValue(), now)) {
                map.remove(e.getKey(), e.getValue());
            } else {
                out.put(byMapKey.get(e.getKey()), value(e.getValue()));
            }
        }
        return out;
    }

    @Override
    public void check(Object value) {
        // values are kept by reference: any object is accepted
    }

    @Override
    public boolean put(String key, Object value, long expiresAt, PutMode mode) {
        return putMapped(mapKey(key), held(value, expiresAt), mode);
    }

    private boolean putMapped(Object key, Object v, PutMode mode) {
        wrote(1);
        switch (mode) {
            case SET -> {
                cache.put(key, v);
                return true;
            }
            case ADD -> {
                while (true) {
                    Object prior = map.putIfAbsent(key, v);
                    if (prior == null) {
                        return true;
                    }
                    if (!expired(prior, clock.millis())) {
                        return false;
                    }
                    if (map.replace(key, prior, v)) {
                        return true;
                    }
                    // someone changed the entry between our two steps: look again
                }
            }
            default -> {
                long now = clock.millis();
                boolean[] replaced = {false};
                map.computeIfPresent(key, (k, old) -> {
                    if (expired(old, now)) {
                        return null;
                    }
                    replaced[0] = true;
                    return v;
                });
                return replaced[0];
            }
        }
    }

    @Override
    public Set<String> putMany(Map<String, Object> entries, long expiresAt) {
        Map<Object, Object> values = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((k, v) -> values.put(mapKey(k), held(v, expiresAt)));
        wrote(values.size());
        cache.putAll(values);
        return Set.of();
    }

    @Override
    public boolean delete(String key) {
        Object old = map.remove(mapKey(key));
        return old != null && !expired(old, clock.millis());
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        long now = clock.millis();
        int n = 0;
        for (String k : keys) {
            Object old = map.remove(mapKey(k));
            if (old != null && !expired(old, now)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        long now = clock.millis();
        return map.computeIfPresent(mapKey(key), (k, old) -> expired(old, now) ? null : held(value(old), expiresAt)) != null;
    }

    @Override
    public boolean has(String key) {
        return read(mapKey(key)) != MISSING;
    }

    @Override
    public Long incr(String key, long delta) {
        long now = clock.millis();
        Object updated = map.computeIfPresent(mapKey(key), (k, old) -> {
            if (expired(old, now)) {
                return null;
            }
            Object value = value(old);
            if (!(value instanceof Long n)) {
                throw new NotAnIntegerException("value is a "
                        + (value == null ? "null" : value.getClass().getName()) + ", not an integer");
            }
            Long sum = Math.addExact(n, delta);
            return old instanceof TimedValue t ? new TimedValue(sum, t.expiresAt()) : sum;
        });
        return updated == null ? null : (Long) value(updated);
    }

    @Override
    public void clear() {
        cache.invalidateAll();
    }

    @Override
    public boolean isBlocking() {
        return false;
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
    }

    private void wrote(int n) {
        int w = writes + n;
        if (w < sweepEvery) {
            writes = w;
            return;
        }
        writes = 0;
        if (sweeping.compareAndSet(false, true)) {
            try {
                sweeper.execute(() -> {
                    try {
                        sweep();
                    } finally {
                        sweeping.set(false);
                    }
                });
            } catch (RuntimeException e) {
                sweeping.set(false);
            }
        }
    }

    /** Removes every expired entry; returns how many. */
    int sweep() {
        long now = clock.millis();
        int removed = 0;
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            if (expired(e.getValue(), now) && map.remove(e.getKey(), e.getValue())) {
                removed++;
            }
        }
        return removed;
    }
}
