package dev.cachet.internal.memory;

import com.github.benmanes.caffeine.cache.Cache;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.internal.EntryStore;
import dev.cachet.internal.entry.ValueCopier;
import dev.cachet.spi.KeyScope;
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
 * The local-memory backend holding objects, on a size-bounded Caffeine cache: by reference
 * (values kept as the objects given: no copy, no envelope), or by copy (a {@link ValueCopier}
 * copies each value on its way in and on its way out, so the caller's objects and the held ones
 * never meet; what the copier cannot copy it holds encoded).
 *
 * <p>Expiry is ours, checked at read time (as Django's locmem does), not Caffeine's per-entry
 * expiry, whose bookkeeping on every read and write costs about as much as the whole of a
 * fixed-expiry Caffeine lookup. An entry never-expiring with a non-null value is held as the
 * value itself; every other entry as a {@link Slot}, a mutable holder of value and deadline
 * that an overwrite updates in place, so a {@code set} over a timed entry allocates nothing
 * (see {@link Slot} for the rules that keep this linearizable). An entry past its
 * deadline is never returned, counts as absent in every operation ({@code add} replaces it,
 * {@code touch}, {@code incr} and {@code delete} do not see it), and is removed when an
 * operation meets it. Expired entries nobody reads again are removed by a sweep that runs in
 * the background after every {@code sweepEvery} writes (of one stripe of threads), at most once per {@code sweepMillis}
 * of the clock (so expired entries linger at most about one sweep interval, a sweep costs O(1)
 * per write amortized, and under a flood of writes the sweep, which reads every holder, does
 * not keep pulling the holders being overwritten away from the writers' cores); until then
 * they count against {@code max_entries}, like Django's.
 *
 * <p>Map keys: a stored key {@code directHead + k} (the cache's own version under the default
 * key function) is held as {@code k} itself, so the hot paths ({@link #getDirect},
 * {@link #putDirect}) take the caller's key as it is, without building, hashing and comparing
 * {@code prefix:version:key}. Every other stored key is held as an {@link Other} wrapping it.
 * A String and an {@code Other} are never equal, so distinct stored keys stay distinct map
 * keys, and every operation of one stored key reaches the same entry whichever path it takes.
 */
public final class ReferenceEntryStore implements EntryStore {
    private final Cache<Object, Object> cache;
    private final ConcurrentMap<Object, Object> map;
    private final String directHead;
    private final Clock clock;
    private final int sweepEvery;
    private final long sweepMillis;
    private final Executor sweeper;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /**
     * Writes since the last sweep, counted per stripe of threads (a thread's id picks its stripe;
     * each stripe on a cache line of its own): one counter shared by every writer put every
     * write's core in a fight for its cache line, and {@code set} did not scale past one thread.
     * Racy increments are fine, it only paces the sweeps: a stripe that reaches
     * {@code sweepEvery} asks for one.
     */
    private final int[] writes = new int[(STRIPES + 1) * PAD];
    private static final int STRIPES = 8;
    /** ints per 64-byte cache line; stripe i counts at index (i + 1) * PAD, clear of the array header. */
    private static final int PAD = 16;
    /** When the last sweep was started (the clock's millis); racy too. */
    private long lastSweep = Long.MIN_VALUE;
    /** Copies values in and out (by value), or null (by reference). */
    private final ValueCopier copier;

    /**
     * @param directHead the head whose keys are held without it (the configured version's
     *     {@code prefix:version:} under the default key function), or null to wrap every key
     * @param sweepEvery how many writes between sweeps of expired entries
     * @param sweepMillis the least time between two sweeps
     * @param copier copies values in and out, or null to hold them by reference
     */
    ReferenceEntryStore(Cache<Object, Object> cache, String directHead, Clock clock, int sweepEvery, long sweepMillis,
            Executor sweeper, ValueCopier copier) {
        this.cache = cache;
        this.map = cache.asMap();
        this.directHead = directHead;
        this.clock = clock;
        this.sweepEvery = sweepEvery;
        this.sweepMillis = sweepMillis;
        this.sweeper = sweeper;
        this.copier = copier;
    }

    /**
     * A store on {@code cache} (see {@link MemoryStores#byReference}) holding keys under
     * {@code directHead} without it (null: none), sweeping expired entries after about
     * {@code maxEntries} writes; values by reference when {@code copier} is null, else copied by it.
     */
    public ReferenceEntryStore(Cache<Object, Object> cache, String directHead, Clock clock, long maxEntries,
            ValueCopier copier) {
        this(cache, directHead, clock, (int) Math.min(1_000_000, Math.max(1_000, maxEntries)), SWEEP_MILLIS,
                ForkJoinPool.commonPool(), copier);
    }

    /** The least time between two sweeps by default. */
    static final long SWEEP_MILLIS = 1_000;

    /** A stored key outside the direct head (another version, a hashed key, a key function's). */
    private record Other(String storedKey) {
    }

    /** True when the keys of a view with {@code head} may use the direct paths. */
    public boolean isDirectHead(String head) {
        return head.equals(directHead);
    }

    private Object mapKey(String storedKey) {
        if (directHead != null && storedKey.startsWith(directHead)) {
            return storedKey.substring(directHead.length());
        }
        return new Other(storedKey);
    }

    /** What to hold for the caller's {@code value}: itself, or the copier's copy. */
    private Object in(Object value) {
        return copier == null ? value : copier.copyIn(value);
    }

    /**
     * What a reader gets of {@code held} (or {@link #MISSING}), held under map key {@code k}:
     * itself, or the copier's copy; {@link #MISSING} when the copy cannot be read back (logged,
     * the entry stays).
     */
    private Object handOut(Object held, Object k) {
        if (copier == null || held == MISSING) {
            return held;
        }
        try {
            return copier.copyOut(held);
        } catch (ValueCopier.UnreadableException e) {
            copier.unreadable(k instanceof Other o ? o.storedKey() : directHead + k, e);
            return MISSING;
        }
    }

    /** What the map holds for a new entry of {@code value} until {@code expiresAt}. */
    private static Object held(Object value, long expiresAt) {
        return expiresAt == Store.NEVER && value != null ? value : new Slot(value, expiresAt);
    }

    /** The value {@code held} holds if readable at {@code now}, else {@link #MISSING}. */
    private static Object live(Object held, long now) {
        if (held instanceof Slot s) {
            long d = s.deadline();
            return d != Store.NEVER && d <= now ? MISSING : s.value();
        }
        return held;
    }

    /** Removes the expired slot {@code s} held under {@code k}, unless a write revived it. */
    private void removeExpired(Object k, Slot s, long now) {
        if (s.killIfExpired(now)) {
            map.remove(k, s);
        }
    }

    /** The live value held under map key {@code k}, or {@link #MISSING}; removes an expired one. */
    private Object read(Object k) {
        Object held = cache.getIfPresent(k);
        if (held == null) {
            return MISSING;
        }
        if (held instanceof Slot s) {
            long d = s.deadline();
            if (d != Store.NEVER) {
                long now = clock.millis();
                if (d <= now) {
                    removeExpired(k, s, now);
                    return MISSING;
                }
            }
            return s.value();
        }
        return held;
    }

    /** {@link #getOrMissing} of the stored key {@code directHead + key}. */
    public Object getDirect(String key) {
        return handOut(read(key), key);
    }

    /** {@link #put} of the stored key {@code directHead + key}. */
    public boolean putDirect(String key, Object value, long expiresAt, PutMode mode) {
        return putMapped(key, in(value), expiresAt, mode);
    }

    /** {@code put(..., SET)} of the stored key {@code directHead + key}. */
    public void setDirect(String key, Object value, long expiresAt) {
        Object held = in(value);
        wrote(1);
        set(key, held, expiresAt);
    }

    /**
     * Overwrites the entry under {@code k}: in place when it is held in a live slot (the lookup
     * also records the access for Caffeine's eviction policy, as its own put does), else by a
     * put of a new holder.
     */
    private void set(Object k, Object value, long expiresAt) {
        if (cache.getIfPresent(k) instanceof Slot s && s.overwrite(value, expiresAt)) {
            return;
        }
        cache.put(k, held(value, expiresAt));
    }

    @Override
    public Lookup<Object> get(String key) {
        Object k = mapKey(key);
        Object v = handOut(read(k), k);
        return v == MISSING ? Lookup.miss() : Lookup.hit(v);
    }

    @Override
    public Object getOrMissing(String key) {
        Object k = mapKey(key);
        return handOut(read(k), k);
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
            Object v = handOut(live(e.getValue(), now), e.getKey());
            if (v != MISSING) {
                out.put(byMapKey.get(e.getKey()), v);
            } else if (e.getValue() instanceof Slot s) {
                removeExpired(e.getKey(), s, now);
            }
        }
        return out;
    }

    @Override
    public void check(Object value) {
        in(value); // by reference any object is accepted; by copy, what the copier refuses is refused
    }

    @Override
    public boolean put(String key, Object value, long expiresAt, PutMode mode) {
        return putMapped(mapKey(key), in(value), expiresAt, mode);
    }

    private boolean putMapped(Object key, Object value, long expiresAt, PutMode mode) {
        wrote(1);
        return switch (mode) {
            case SET -> {
                set(key, value, expiresAt);
                yield true;
            }
            case ADD -> add(key, value, expiresAt);
            default -> replace(key, value, expiresAt);
        };
    }

    private boolean add(Object key, Object value, long expiresAt) {
        Object v = held(value, expiresAt);
        while (true) {
            Object prior = map.putIfAbsent(key, v);
            if (prior == null) {
                return true;
            }
            if (!(prior instanceof Slot s)) {
                return false; // held as itself: never expires
            }
            Slot.Outcome o = s.revive(clock.millis(), value, expiresAt);
            if (o != Slot.Outcome.DEAD) {
                return o == Slot.Outcome.UPDATED;
            }
            map.remove(key, s); // dead: its remover may not have got to it yet; look again
        }
    }

    private boolean replace(Object key, Object value, long expiresAt) {
        while (true) {
            Object prior = map.get(key);
            if (prior == null) {
                return false;
            }
            if (prior instanceof Slot s) {
                if (s.replace(clock.millis(), value, expiresAt) == Slot.Outcome.UPDATED) {
                    return true;
                }
                map.remove(key, s); // dead (expired, or being removed): look again
            } else if (map.replace(key, prior, held(value, expiresAt))) {
                return true;
            }
        }
    }

    @Override
    public Set<String> putMany(Map<String, Object> entries, long expiresAt) {
        Map<Object, Object> values = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((k, v) -> values.put(mapKey(k), held(in(v), expiresAt)));
        wrote(values.size());
        cache.putAll(values);
        return Set.of();
    }

    @Override
    public boolean deleteIfEquals(String key, Object expected) {
        Object k = mapKey(key);
        Object held = map.get(k);
        if (held == null) {
            return false;
        }
        long now = clock.millis();
        Object v = live(held, now);
        if (v == MISSING || !(copier == null ? java.util.Objects.deepEquals(v, expected) : copier.matches(v, expected))
                || !map.remove(k, held)) {
            return false;
        }
        return removed(held, now);
    }

    @Override
    public boolean delete(String key) {
        return removed(map.remove(mapKey(key)), clock.millis());
    }

    /** True when {@code old}, just removed from the map, held a readable entry; kills a slot. */
    private static boolean removed(Object old, long now) {
        if (old instanceof Slot s) {
            return s.kill(now);
        }
        return old != null;
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        long now = clock.millis();
        int n = 0;
        for (String k : keys) {
            if (removed(map.remove(mapKey(k)), now)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        Object k = mapKey(key);
        while (true) {
            Object prior = map.get(k);
            if (prior == null) {
                return false;
            }
            if (prior instanceof Slot s) {
                if (s.touch(clock.millis(), expiresAt) == Slot.Outcome.UPDATED) {
                    return true;
                }
                map.remove(k, s); // dead (expired, or being removed): look again
            } else if (expiresAt == Store.NEVER || map.replace(k, prior, new Slot(prior, expiresAt))) {
                return true;
            }
        }
    }

    @Override
    public boolean has(String key) {
        return read(mapKey(key)) != MISSING;
    }

    @Override
    public Long incr(String key, long delta) {
        Object k = mapKey(key);
        while (true) {
            Object prior = map.get(k);
            if (prior == null) {
                return null;
            }
            if (prior instanceof Slot s) {
                Long sum = s.incr(clock.millis(), delta);
                if (sum != null) {
                    return sum;
                }
                map.remove(k, s); // dead (expired, or being removed): look again
            } else {
                Long sum = sum(prior, delta);
                if (map.replace(k, prior, sum)) {
                    return sum;
                }
            }
        }
    }

    /** {@code value + delta} for a Long value. */
    static Long sum(Object value, long delta) {
        if (!(value instanceof Long n)) {
            String type = value == null ? "null" : value instanceof ValueCopier.Encoded e ? e.typeName()
                    : value.getClass().getName();
            throw new NotAnIntegerException("value is a " + type + ", not an integer");
        }
        return Math.addExact(n, delta);
    }

    /** Empties the store: it holds this one cache's entries only, so every scope is all of it. */
    @Override
    public void clear(KeyScope scope) {
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

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is Java 19+
    private void wrote(int n) {
        int i = (((int) Thread.currentThread().getId() & (STRIPES - 1)) + 1) * PAD;
        int w = writes[i] + n;
        if (w < sweepEvery) {
            writes[i] = w;
            return;
        }
        writes[i] = 0;
        long now = clock.millis();
        if (lastSweep != Long.MIN_VALUE && now - lastSweep < sweepMillis) {
            return;
        }
        if (sweeping.compareAndSet(false, true)) {
            lastSweep = now;
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
            if (e.getValue() instanceof Slot s && s.expired(now) && s.killIfExpired(now) && map.remove(e.getKey(), s)) {
                removed++;
            }
        }
        return removed;
    }
}
