package dev.cachet.internal;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.CacheStats;
import dev.cachet.Freshness;
import dev.cachet.ErrorPolicy;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import dev.cachet.internal.fresh.FreshStorage;
import dev.cachet.internal.memory.ReferenceEntryStore;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The one implementation of {@link Cache}'s semantics over an {@link EntryStore}: keys,
 * timeouts, value normalization, versions, {@code getOrSet}'s single flight, and the error
 * policy, applied here and nowhere else (bulk calls that failed for some keys arrive as
 * {@link PartialEntriesException} or {@link PartialFailureException} with what was done, and
 * {@code degrade} keeps it). A version view shares its {@link CacheCore} with the cache it came
 * from. It runs to about 600 lines because it is the one implementation of every
 * {@link Cache} operation, one short method each; {@code getOrSet}, tags, refresh and prefetch
 * live in {@link FreshFace}.
 */
public final class CoreCache implements Cache, StaleFallback {
    static final long EXPIRED = Long.MIN_VALUE;
    private static final Duration MAX_MILLIS = Duration.ofMillis(Long.MAX_VALUE);

    private final CacheCore core;
    private final int version;
    private final String head;
    private final AsyncFace async;
    /** The local-memory store (by reference or by copy) when this view's keys may reach it as they are (see isDirect), else null. */
    private final ReferenceEntryStore direct;
    /** getOrSet with freshness options, tags, refresh and prefetch for this view. */
    private final FreshFace fresh;

    CoreCache(CacheCore core, int version) {
        this(core, version, UnaryOperator.identity());
    }

    private CoreCache(CacheCore core, int version, UnaryOperator<FreshStorage> freshStorage) {
        this.core = core;
        this.version = version;
        this.head = core.keys.head(version);
        this.async = new AsyncFace(this, core);
        this.direct = core.entries instanceof ReferenceEntryStore r && r.isDirectHead(head) ? r : null;
        this.fresh = new FreshFace(this, core, freshStorage);
    }

    /**
     * This view with its fresh-data pipeline ({@code getOrSet} and {@code getOrSetMany} with
     * {@link Freshness}, {@code refresh}, {@code prefetch}, and its async face's) reading and
     * writing through what {@code storage} makes of this view's own storage (applied once, before
     * this returns): how the two-level cache puts its local level in the pipeline's path. It
     * shares the cache's flights, counters, registered loaders and everything else;
     * {@code withVersion} of it is a plain view.
     */
    public CoreCache withFreshStorage(UnaryOperator<FreshStorage> storage) {
        return new CoreCache(core, version, Objects.requireNonNull(storage, "storage"));
    }

    @Override
    public String name() {
        return core.name;
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public Cache withVersion(int newVersion) {
        return newVersion == version ? this : new CoreCache(core, newVersion);
    }

    /** The failure log (for tests and metrics). */
    public FailureLog failureLog() {
        return core.log;
    }

    // ---- keys, values, timeouts ----

    private String storeKey(String key) {
        ensureOpen();
        return core.keys.storeKey(key, version, head);
    }

    private void ensureOpen() {
        if (core.closed) {
            throw new IllegalStateException("cache '" + core.name + "' is closed");
        }
    }

    /**
     * True when {@code key}'s stored key is {@code head + key} verbatim and the local-memory
     * store holds it under {@code key} itself ({@link ReferenceEntryStore}), so get and set
     * skip building the stored key. Checks, as {@link #storeKey} does, that the cache is open.
     */
    private boolean isDirect(String key) {
        if (direct == null || key == null || KeyPolicy.problem(head, key) != null) {
            return false;
        }
        ensureOpen();
        return true;
    }

    static Object normalize(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        return value;
    }

    private long deadline(Timeout timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null (use Timeout.DEFAULT or Timeout.FOREVER)");
        long millis;
        if (timeout.isDefault()) {
            millis = core.defaultMillis;
        } else if (timeout.isForever()) {
            return Store.NEVER;
        } else {
            Duration duration = timeout.duration();
            // a duration beyond ~292 million years does not fit in millis: it is forever in effect;
            // a positive one under a millisecond rounds up (it is not "store nothing readable")
            millis = duration.isNegative() || duration.isZero() ? -1
                    : duration.compareTo(MAX_MILLIS) >= 0 ? Long.MAX_VALUE : Math.max(1, duration.toMillis());
        }
        if (millis == Long.MAX_VALUE) {
            return Store.NEVER;
        }
        if (millis <= 0) {
            return EXPIRED;
        }
        long now = core.clock.millis();
        long d = now + millis;
        return d < now || d >= Store.NEVER ? Store.NEVER - 1 : d;
    }

    // ---- failures ----

    static boolean isBackendFailure(RuntimeException e) {
        return e instanceof StoreException || e instanceof UncheckedIOException || e instanceof CacheException;
    }

    private <R> R failed(String op, String key, RuntimeException e, R degraded) {
        if (!isBackendFailure(e)) {
            throw e;
        }
        core.log.backendFailure(op, e);
        if (core.policy == ErrorPolicy.RAISE || degraded == null) {
            throw new CacheException(core.name, op + (key == null ? "" : " of key '" + KeyPolicy.abbreviate(key) + "'")
                    + " failed: " + e.getMessage(), e);
        }
        return degraded;
    }

    // ---- reads ----

    // get() reads through getOrMissing, not lookup(): a Lookup per hit is an allocation the
    // JIT cannot remove (it merges with the shared miss), and get is the hottest path.

    @Override
    public Object get(String key) {
        Object v = getOrMissing(key);
        return v == EntryStore.MISSING ? null : v;
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return get(key, type, null);
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        Objects.requireNonNull(type, "type must not be null");
        Object v = getOrMissing(key);
        return v == EntryStore.MISSING ? defaultValue : Conversions.cast(v, type, core.name, key);
    }

    private Object getOrMissing(String key) {
        String k = isDirect(key) ? null : storeKey(key);
        try {
            Object v = k == null ? direct.getDirect(key) : core.entries.getOrMissing(k);
            return v instanceof Stamped s ? visible(s) : v;
        } catch (RuntimeException e) {
            return failed("get", key, e, EntryStore.MISSING);
        }
    }

    /** The plain value of a stamped entry, or {@link EntryStore#MISSING} when one of its tags moved. */
    private Object visible(Stamped s) {
        return s.isTagged() && core.tags.outdated(s) ? EntryStore.MISSING : s.value();
    }

    @Override
    public Lookup<Object> lookup(String key) {
        Object raw = readRaw(key);
        return raw == EntryStore.MISSING ? Lookup.miss() : Lookup.hit(Stamped.unwrap(raw));
    }

    /**
     * What is stored under {@code key}: {@link EntryStore#MISSING}, a {@link Stamped} whose tags
     * are current, or a plain value; a backend failure follows the error policy (a miss under
     * degrade).
     */
    Object readRaw(String key) {
        String k = isDirect(key) ? null : storeKey(key);
        try {
            Object v = k == null ? direct.getDirect(key) : core.entries.getOrMissing(k);
            return v instanceof Stamped s && s.isTagged() && core.tags.outdated(s) ? EntryStore.MISSING : v;
        } catch (RuntimeException e) {
            return failed("get", key, e, EntryStore.MISSING);
        }
    }

    /** {@link #readRaw} of many keys in one read: hits only, by user key. */
    Map<String, Object> readRawMany(Collection<String> keys) {
        return readMany(keys, false);
    }

    /** {@link #readRawMany}, each value {@linkplain Stamped#unwrap unwrapped} when {@code unwrap}. */
    private Map<String, Object> readMany(Collection<String> keys, boolean unwrap) {
        Map<String, String> byStoreKey = storeKeys(keys);
        Map<String, Object> found;
        try {
            found = core.entries.getMany(byStoreKey.keySet());
        } catch (PartialEntriesException e) {
            found = failed("get_many", null, e, e.found());
        } catch (RuntimeException e) {
            found = failed("get_many", null, e, Map.of());
        }
        Set<String> outdated = fresh.outdatedTags(found);
        Map<String, Object> out = new LinkedHashMap<>(found.size() * 2);
        for (Map.Entry<String, String> e : byStoreKey.entrySet()) {
            Object v = found.get(e.getKey());
            if ((v != null || found.containsKey(e.getKey())) && (outdated.isEmpty() || !outdated.contains(e.getKey()))) {
                out.put(e.getValue(), unwrap ? Stamped.unwrap(v) : v);
            }
        }
        return out;
    }

    @Override
    public <T> Lookup<T> lookup(String key, Class<T> type) {
        Objects.requireNonNull(type, "type must not be null");
        Lookup<Object> l = lookup(key);
        if (l.isMiss()) {
            return Lookup.miss();
        }
        return Lookup.hit(Conversions.cast(l.value(), type, core.name, key));
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        return readMany(keys, true);
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        Objects.requireNonNull(type, "type must not be null");
        Map<String, Object> raw = getMany(keys);
        Map<String, T> out = new LinkedHashMap<>(raw.size() * 2);
        raw.forEach((k, v) -> out.put(k, Conversions.cast(v, type, core.name, k)));
        return out;
    }

    Map<String, String> storeKeys(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        ensureOpen();
        Map<String, String> byStoreKey = new LinkedHashMap<>(keys.size() * 2);
        for (String key : keys) {
            byStoreKey.put(storeKey(key), key);
        }
        return byStoreKey;
    }

    @Override
    public boolean hasKey(String key) {
        if (core.tagsUsed) {
            return readRaw(key) != EntryStore.MISSING; // a tagged entry's tags must be checked
        }
        String k = storeKey(key);
        try {
            return core.entries.has(k);
        } catch (RuntimeException e) {
            return failed("has_key", key, e, Boolean.FALSE);
        }
    }

    // ---- writes ----

    @Override
    public boolean set(String key, Object value, Timeout timeout) {
        if (isDirect(key)) {
            // the local-memory hot path: no stored key to build, no mode to dispatch on
            long d = deadline(timeout);
            if (d != EXPIRED) {
                try {
                    direct.setDirect(key, normalize(value), d);
                } catch (RuntimeException e) {
                    return failed("set", key, e, Boolean.FALSE); // by copy, a value can fail to encode
                }
                return true;
            }
        }
        return put("set", key, value, timeout, PutMode.SET);
    }

    @Override
    public boolean add(String key, Object value, Timeout timeout) {
        return put("add", key, value, timeout, PutMode.ADD);
    }

    private boolean put(String op, String key, Object value, Timeout timeout, PutMode mode) {
        String k = isDirect(key) ? null : storeKey(key);
        long d = deadline(timeout);
        Object v = normalize(value);
        try {
            if (k == null && d != EXPIRED) {
                return direct.putDirect(key, v, d, mode);
            }
            if (d == EXPIRED) {
                if (k == null) {
                    k = storeKey(key);
                }
                // store nothing readable: set removes the key; add succeeds only where nothing is readable.
                // The value is still checked, so a value the codec refuses fails as it would otherwise.
                core.entries.check(v);
                if (mode == PutMode.ADD) {
                    return !core.entries.has(k);
                }
                core.entries.delete(k);
                return true;
            }
            return core.entries.put(k, v, d, mode);
        } catch (RuntimeException e) {
            return failed(op, key, e, Boolean.FALSE);
        }
    }

    /** Stores an already normalized {@code value} (maybe {@link Stamped}) until {@code deadline}; the error policy applies. */
    boolean putRaw(String op, String key, Object value, long deadline, PutMode mode) {
        String k = storeKey(key);
        try {
            return core.entries.put(k, value, deadline, mode);
        } catch (RuntimeException e) {
            return failed(op, key, e, Boolean.FALSE);
        }
    }

    /** The stored key of {@code key} in this view. */
    String storeKeyOf(String key) {
        return storeKey(key);
    }

    /** The absolute deadline of {@code timeout}, {@link Long#MIN_VALUE} when it stores nothing readable. */
    long deadlineOf(Timeout timeout) {
        return deadline(timeout);
    }

    /** Applies the error policy to a backend failure of {@code op} (returns {@code degraded} under degrade). */
    <R> R failure(String op, String key, RuntimeException e, R degraded) {
        return failed(op, key, e, degraded);
    }

    @Override
    public Set<String> setMany(Map<String, ?> values, Timeout timeout) {
        Objects.requireNonNull(values, "values must not be null");
        ensureOpen();
        long d = deadline(timeout);
        Map<String, Object> byStoreKey = new LinkedHashMap<>(values.size() * 2);
        Map<String, String> userKeys = new LinkedHashMap<>(values.size() * 2);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String k = storeKey(e.getKey());
            byStoreKey.put(k, normalize(e.getValue()));
            userKeys.put(k, e.getKey());
        }
        if (byStoreKey.isEmpty()) {
            return Set.of();
        }
        try {
            if (d == EXPIRED) {
                core.entries.deleteMany(byStoreKey.keySet());
                return Set.of();
            }
            return userKeys(core.entries.putMany(byStoreKey, d), userKeys);
        } catch (PartialFailureException e) {
            return failed("set_many", null, e, userKeys(e.failedKeys(), userKeys));
        } catch (RuntimeException e) {
            return failed("set_many", null, e, new LinkedHashSet<>(values.keySet()));
        }
    }

    /** The user keys of {@code storeKeys}, those of {@code userKeys} (a stored key of a chunk piece maps to none). */
    private static Set<String> userKeys(Set<String> storeKeys, Map<String, String> userKeys) {
        if (storeKeys.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String k : storeKeys) {
            String u = userKeys.get(k);
            if (u != null) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    public boolean touch(String key, Timeout timeout) {
        String k = storeKey(key);
        long d = deadline(timeout);
        try {
            return d == EXPIRED ? core.entries.delete(k) : core.entries.touch(k, d);
        } catch (RuntimeException e) {
            return failed("touch", key, e, Boolean.FALSE);
        }
    }

    @Override
    public boolean delete(String key) {
        String k = storeKey(key);
        try {
            return core.entries.delete(k);
        } catch (RuntimeException e) {
            return failed("delete", key, e, Boolean.FALSE);
        }
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        Map<String, String> byStoreKey = storeKeys(keys);
        if (byStoreKey.isEmpty()) {
            return 0;
        }
        try {
            return core.entries.deleteMany(byStoreKey.keySet());
        } catch (PartialFailureException e) {
            return failed("delete_many", null, e, e.deleted());
        } catch (RuntimeException e) {
            return failed("delete_many", null, e, 0);
        }
    }

    @Override
    public long incr(String key, long delta) {
        String k = storeKey(key);
        Long result;
        try {
            result = core.entries.incr(k, delta);
        } catch (NotAnIntegerException e) {
            throw new NotAnIntegerException("cache '" + core.name + "': cannot incr key '" + KeyPolicy.abbreviate(key)
                    + "': " + e.getMessage());
        } catch (ArithmeticException e) {
            throw new ArithmeticException("cache '" + core.name + "': incr of key '" + KeyPolicy.abbreviate(key)
                    + "' by " + delta + " overflows a long");
        } catch (RuntimeException e) {
            return failed("incr", key, e, null);
        }
        if (result == null) {
            throw new NoSuchElementException("cache '" + core.name + "': key '" + KeyPolicy.abbreviate(key)
                    + "' not found (incr needs an existing integer)");
        }
        return result;
    }

    @Override
    public int incrVersion(String key, int delta) {
        int newVersion = Math.addExact(version, delta);
        Lookup<Object> current = lookup(key);
        if (current.isMiss()) {
            throw new NoSuchElementException("cache '" + core.name + "': key '" + KeyPolicy.abbreviate(key)
                    + "' not found at version " + version);
        }
        if (delta == 0) {
            return version;
        }
        Cache target = withVersion(newVersion);
        if (!target.set(key, current.value())) {
            throw new CacheException(core.name, "incr_version of key '" + KeyPolicy.abbreviate(key)
                    + "' could not store version " + newVersion, null);
        }
        delete(key);
        return newVersion;
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return fresh.getOrSet(key, type, loader, timeout);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return fresh.getOrSet(key, type, loader, freshness, null);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return fresh.getOrSet(key, type, loader, freshness, previousKeys);
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return fresh.getOrSetMany(keys, type, loader, freshness, null);
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return fresh.getOrSetMany(keys, type, loader, freshness, previousKeys);
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return fresh.setTagged(key, value, timeout, tags);
    }

    @Override
    public void invalidateTag(String tag) {
        fresh.invalidateTag(tag);
    }

    @Override
    public void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness) {
        core.loaders.register(keyPrefix, loader, freshness);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key) {
        return fresh.refresh(key);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        return fresh.refresh(key, loader, freshness);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        return fresh.prefetch(keys);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        return fresh.prefetch(keys, loader, freshness);
    }

    @Override
    public CacheStats stats() {
        return core.counters.snapshot();
    }

    @Override
    public void clear() {
        ensureOpen();
        try {
            core.entries.clear(core.scope);
        } catch (RuntimeException e) {
            failed("clear", null, e, null);
        }
    }

    @Override
    public AsyncCache async() {
        return async;
    }

    @Override
    public void close() {
        core.close();
    }

    @Override
    public String toString() {
        return "Cache[" + core.name + ", version " + version + "]";
    }
}
