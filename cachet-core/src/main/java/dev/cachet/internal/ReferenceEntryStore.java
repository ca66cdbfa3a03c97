package dev.cachet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.PutMode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * The local-memory backend by reference: values are kept as the objects given (no copy, no
 * envelope), on Caffeine, each entry with its own deadline. Caffeine never returns an entry
 * past its deadline, and treats one as absent in its atomic map operations, which gives
 * {@code add}, {@code touch} and {@code incr} their meaning without locks of our own.
 */
final class ReferenceEntryStore implements EntryStore {
    private final Cache<String, TimedValue> cache;
    private final ConcurrentMap<String, TimedValue> map;

    ReferenceEntryStore(Cache<String, TimedValue> cache) {
        this.cache = cache;
        this.map = cache.asMap();
    }

    @Override
    public Lookup<Object> get(String key) {
        TimedValue v = cache.getIfPresent(key);
        return v == null ? Lookup.miss() : Lookup.hit(v.value());
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        Map<String, TimedValue> found = cache.getAllPresent(keys);
        Map<String, Object> out = new LinkedHashMap<>(found.size() * 2);
        for (Map.Entry<String, TimedValue> e : found.entrySet()) {
            out.put(e.getKey(), e.getValue().value());
        }
        return out;
    }

    @Override
    public void check(Object value) {
        // values are kept by reference: any object is accepted
    }

    @Override
    public boolean put(String key, Object value, long expiresAt, PutMode mode) {
        TimedValue v = new TimedValue(value, expiresAt);
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
        Map<String, TimedValue> values = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((k, v) -> values.put(k, new TimedValue(v, expiresAt)));
        cache.putAll(values);
        return Set.of();
    }

    @Override
    public boolean delete(String key) {
        return map.remove(key) != null;
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        int n = 0;
        for (String k : keys) {
            if (map.remove(k) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        return map.computeIfPresent(key, (k, old) -> new TimedValue(old.value(), expiresAt)) != null;
    }

    @Override
    public boolean has(String key) {
        return cache.getIfPresent(key) != null;
    }

    @Override
    public Long incr(String key, long delta) {
        TimedValue updated = map.computeIfPresent(key, (k, old) -> {
            if (!(old.value() instanceof Long n)) {
                throw new NotAnIntegerException("value is a "
                        + (old.value() == null ? "null" : old.value().getClass().getName()) + ", not an integer");
            }
            return new TimedValue(Math.addExact(n, delta), old.expiresAt());
        });
        return updated == null ? null : (Long) updated.value();
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
