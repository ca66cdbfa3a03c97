package dev.cachet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.PutMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * The local-memory backend by reference: values are kept as the objects given (no copy, no
 * envelope), on Caffeine, each entry with its own deadline. Caffeine never returns an entry
 * past its deadline, and treats one as absent in its atomic map operations, which gives
 * {@code add}, {@code touch} and {@code incr} their meaning without locks of our own.
 *
 * <p>Values: a write with the cache's default timeout ({@link #putDirectDefault}) keeps a
 * non-null value as it is, which Caffeine expires after the default timeout; every other
 * write keeps a {@link TimedValue} with its deadline (see {@link CaffeineMaps}).
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

    /**
     * @param directHead the head whose keys are held without it (the configured version's
     *     {@code prefix:version:} under the default key function), or null to wrap every key
     */
    ReferenceEntryStore(Cache<Object, Object> cache, String directHead) {
        this.cache = cache;
        this.map = cache.asMap();
        this.directHead = directHead;
    }

    /** A stored key outside the direct head (another version, a hashed key, a key function's). */
    private record Other(String storedKey) {
    }

    /** True when the keys of a view with {@code head} may use the direct paths. */
    boolean isDirectHead(String head) {
        return head.equals(directHead);
    }

    /** The value of what the map holds. */
    private static Object value(Object held) {
        return held instanceof TimedValue t ? t.value() : held;
    }

    private Object mapKey(String storedKey) {
        if (directHead != null && storedKey.startsWith(directHead)) {
            return storedKey.substring(directHead.length());
        }
        return new Other(storedKey);
    }

    /** {@link #getOrMissing} of the stored key {@code directHead + key}. */
    Object getDirect(String key) {
        Object v = cache.getIfPresent(key);
        return v == null ? MISSING : value(v);
    }

    /** {@link #put} of the stored key {@code directHead + key}. */
    boolean putDirect(String key, Object value, long expiresAt, PutMode mode) {
        return putMapped(key, new TimedValue(value, expiresAt), mode);
    }

    /**
     * {@link #put} of the stored key {@code directHead + key} with the cache's default timeout
     * (which Caffeine applies from its own reading of the clock): no deadline, no wrapper.
     */
    boolean putDirectDefault(String key, Object value, PutMode mode) {
        Objects.requireNonNull(value, "a null value needs a TimedValue");
        return putMapped(key, value, mode);
    }

    @Override
    public Lookup<Object> get(String key) {
        Object v = cache.getIfPresent(mapKey(key));
        return v == null ? Lookup.miss() : Lookup.hit(value(v));
    }

    @Override
    public Object getOrMissing(String key) {
        Object v = cache.getIfPresent(mapKey(key));
        return v == null ? MISSING : value(v);
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
        Map<String, Object> out = new LinkedHashMap<>(found.size() * 2);
        for (Map.Entry<Object, Object> e : found.entrySet()) {
            out.put(byMapKey.get(e.getKey()), value(e.getValue()));
        }
        return out;
    }

    @Override
    public void check(Object value) {
        // values are kept by reference: any object is accepted
    }

    @Override
    public boolean put(String key, Object value, long expiresAt, PutMode mode) {
        return putMapped(mapKey(key), new TimedValue(value, expiresAt), mode);
    }

    private boolean putMapped(Object key, Object v, PutMode mode) {
        switch (mode) {
            case SET -> {
                cache.put(key, v);
                return true;
            }
            case ADD -> {
                return map.putIfAbsent(key, v) == null;
            }
            default -> {
                return map.computeIfPresent(key, (k, old) -> v) != null;
            }
        }
    }

    @Override
    public Set<String> putMany(Map<String, Object> entries, long expiresAt) {
        Map<Object, Object> values = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((k, v) -> values.put(mapKey(k), new TimedValue(v, expiresAt)));
        cache.putAll(values);
        return Set.of();
    }

    @Override
    public boolean delete(String key) {
        return map.remove(mapKey(key)) != null;
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        int n = 0;
        for (String k : keys) {
            if (map.remove(mapKey(k)) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        return map.computeIfPresent(mapKey(key), (k, old) -> new TimedValue(value(old), expiresAt)) != null;
    }

    @Override
    public boolean has(String key) {
        return cache.getIfPresent(mapKey(key)) != null;
    }

    @Override
    public Long incr(String key, long delta) {
        Object updated = map.computeIfPresent(mapKey(key), (k, old) -> {
            Object value = value(old);
            if (!(value instanceof Long n)) {
                throw new NotAnIntegerException("value is a "
                        + (value == null ? "null" : value.getClass().getName()) + ", not an integer");
            }
            return new TimedValue(Math.addExact(n, delta), CaffeineMaps.KEEP_EXPIRY);
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
}
