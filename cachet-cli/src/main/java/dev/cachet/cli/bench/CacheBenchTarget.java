package dev.cachet.cli.bench;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The benchmark's runner of the framework itself: each operation is one call of
 * {@link Cache}'s API with the cache's default timeout.
 */
public final class CacheBenchTarget implements BenchTarget {
    /**
     * The settings of the workload, given as options on top of the location's own: timeout
     * 3600 s, empty key prefix, version 1, max_entries 1,000,000, cull_frequency 3.
     */
    public static final Map<String, String> WORKLOAD_OPTIONS = workloadOptions();

    private final String label;
    private final Cache cache;

    /** A target over {@code cache}, reported as {@code label}; closing the target closes the cache. */
    public CacheBenchTarget(String label, Cache cache) {
        this.label = Objects.requireNonNull(label, "label");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /**
     * The configuration the benchmark opens {@code location} with: the location with its own
     * options, plus {@code extra} (as {@code --option} gives them), plus those of
     * {@link #WORKLOAD_OPTIONS} its backend uses ({@code max_entries} and {@code cull_frequency}
     * only where the backend bounds its entries: the others refuse them).
     *
     * @throws IllegalArgumentException when the location is malformed or it or {@code extra}
     *     sets one of the workload's options to another value
     */
    public static CacheConfig config(String location, Map<String, String> extra) {
        CacheConfig parsed = CacheConfig.of(location);
        Map<String, String> own = new LinkedHashMap<>(parsed.options());
        own.putAll(extra);
        java.util.Set<String> used = dev.cachet.spi.Stores.options(parsed.scheme());
        Map<String, String> workload = new LinkedHashMap<>();
        WORKLOAD_OPTIONS.forEach((k, v) -> {
            if (used.contains(k)) {
                workload.put(k, v);
            }
        });
        for (Map.Entry<String, String> e : workload.entrySet()) {
            String given = own.get(e.getKey());
            if (given != null && !given.equals(e.getValue())) {
                throw new IllegalArgumentException("cache '" + CacheConfig.redact(location) + "' sets " + e.getKey() + "="
                        + given + ", but the workload runs every cache with " + e.getKey() + "='" + e.getValue()
                        + "'; leave it out");
            }
        }
        return CacheConfig.builder(location).name("bench").options(extra).options(workload).build();
    }

    /** {@link #config(String, Map)} without extra options. */
    public static CacheConfig config(String location) {
        return config(location, Map.of());
    }

    /** Opens {@code location} with {@link #config(String, Map)} through {@code opener}. */
    public static CacheBenchTarget open(String location, Map<String, String> extra, Function<CacheConfig, Cache> opener) {
        return new CacheBenchTarget(CacheConfig.redact(location), opener.apply(config(location, extra)));
    }

    /** Opens {@code location} with {@link #config(String)} through {@code opener}. */
    public static CacheBenchTarget open(String location, Function<CacheConfig, Cache> opener) {
        return open(location, Map.of(), opener);
    }

    private static Map<String, String> workloadOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("timeout", Long.toString(BenchWorkload.TIMEOUT_SECONDS));
        m.put("key_prefix", "");
        m.put("version", "1");
        m.put("max_entries", Long.toString(BenchWorkload.MAX_ENTRIES));
        m.put("cull_frequency", Integer.toString(BenchWorkload.CULL_FREQUENCY));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The cache this target drives. */
    public Cache cache() {
        return cache;
    }

    @Override
    public String label() {
        return label;
    }

    /** One {@code deleteMany}. */
    @Override
    public void deleteAll(List<String> keys) {
        cache.deleteMany(keys);
    }

    @Override
    public void clear() {
        cache.clear();
    }

    @Override
    public boolean set(String key, Object value) {
        return cache.set(key, value);
    }

    @Override
    public Object get(String key) {
        return cache.get(key);
    }

    @Override
    public boolean hasKey(String key) {
        return cache.hasKey(key);
    }

    @Override
    public boolean setMany(Map<String, Object> values) {
        return cache.setMany(values).isEmpty();
    }

    @Override
    public Map<String, Object> getMany(List<String> keys) {
        return cache.getMany(keys);
    }

    @Override
    public boolean add(String key, Object value) {
        return cache.add(key, value);
    }

    @Override
    public boolean delete(String key) {
        return cache.delete(key);
    }

    @Override
    public long incr(String key, long delta) {
        return cache.incr(key, delta);
    }

    @Override
    public void close() {
        cache.close();
    }
}
