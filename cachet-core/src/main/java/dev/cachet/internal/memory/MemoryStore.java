package dev.cachet.internal.memory;

import com.github.benmanes.caffeine.cache.Cache;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * The local-memory backend by value: a byte {@link Store} on Caffeine, so values go through
 * the entry format (a copy per read and write, isolation from later mutation, codec checks,
 * compression and chunking exactly as on server backends). One cache's store normally, but it
 * honours {@link #clear(KeyScope)}'s scope, so caches sharing one store clear only their own.
 */
final class MemoryStore implements Store {
    private final Cache<String, TimedValue> cache;
    private final ConcurrentMap<String, TimedValue> map;
    private final StoreCapabilities capabilities;

    MemoryStore(Cache<String, TimedValue> cache, long maxItemBytes) {
        this.cache = cache;
        this.map = cache.asMap();
        this.capabilities = new StoreCapabilities(maxItemBytes, false, true, true, false);
    }

    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public byte[] get(String key) {
        TimedValue v = cache.getIfPresent(key);
        return v == null ? null : (byte[]) v.value();
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        cache.getAllPresent(keys).forEach((k, v) -> out.put(k, (byte[]) v.value()));
        return out;
    }

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        TimedValue v = new TimedValue(value, expiresAt);
        return switch (mode) {
            case SET -> {
                cache.put(key, v);
                yield true;
            }
            case ADD -> map.putIfAbsent(key, v) == null;
            case REPLACE -> map.computeIfPresent(key, (k, old) -> v) != null;
        };
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        Map<String, TimedValue> values = new LinkedHashMap<>(entries.size() * 2);
        entries.forEach((k, v) -> values.put(k, new TimedValue(v, expiresAt)));
        cache.putAll(values);
        return Set.of();
    }

    @Override
    public boolean delete(String key) {
        return map.remove(key) != null;
    }

    /**
     * One atomic step on the map: Caffeine's compute runs under the entry's lock and treats an
     * expired entry as absent, so an expired entry is never removed here (false).
     */
    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        boolean[] removed = {false};
        map.computeIfPresent(key, (k, old) -> {
            if (Arrays.equals((byte[]) old.value(), expected)) {
                removed[0] = true;
                return null;
            }
            return old;
        });
        return removed[0];
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
    public long touchAndLength(String key, long expiresAt) {
        TimedValue touched = map.computeIfPresent(key, (k, old) -> new TimedValue(old.value(), expiresAt));
        return touched == null ? -1 : ((byte[]) touched.value()).length;
    }

    @Override
    public Long incr(String key, long delta) {
        TimedValue updated = map.computeIfPresent(key, (k, old) -> {
            long n = DecimalValues.parse((byte[]) old.value());
            return new TimedValue(DecimalValues.bytes(Math.addExact(n, delta)), old.expiresAt());
        });
        return updated == null ? null : DecimalValues.parse((byte[]) updated.value());
    }

    @Override
    public void clear(KeyScope scope) {
        if (scope.isEverything()) {
            cache.invalidateAll();
        } else {
            map.keySet().removeIf(scope::owns);
        }
    }

    /** The live keys {@code scope} owns (Caffeine's map view skips expired entries). */
    @Override
    public java.util.Optional<java.util.List<String>> keys(KeyScope scope, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, not " + limit);
        }
        return java.util.Optional.of(map.keySet().stream().filter(scope::owns).limit(limit).toList());
    }

    @Override
    public void close() {
        cache.invalidateAll();
        cache.cleanUp();
    }
}
