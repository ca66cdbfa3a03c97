package dev.cachet.metrics;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.ForwardingAsyncCache;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A decorator that counts what a cache's plain operations do, for {@link CachetCacheMetrics}:
 * hits and misses of reads ({@code get}, {@code lookup}, {@code getMany}; a stored
 * {@code null} is a hit), values written ({@code set}, a successful {@code add},
 * {@code setMany}), entries removed ({@code delete}, {@code deleteMany}: explicit
 * evictions), backend failures that reached the caller (a {@link dev.cachet.CacheException};
 * under the {@code degrade} error policy the cache hides them), and the count and total time
 * of each {@link Operation}. The fresh-data pipeline ({@code getOrSet}, refresh, prefetch)
 * counts itself in {@link Cache#stats()}; here its calls are only timed. The async face's
 * {@code get}, {@code lookup}, {@code set}, {@code add}, {@code delete} and {@code getOrSet}
 * are counted the same way (timed to completion); {@link #withVersion} views share the counts.
 * Other operations are forwarded uncounted. Thread-safe; the counting costs a few adder
 * increments per call.
 */
public class MeteredCache extends ForwardingCache {
    /** The operations timed, the {@code operation} tag of {@code cache.latency}. */
    public enum Operation {
        /** Reads: {@code get}, {@code lookup}, {@code getMany}. */
        GET,
        /** Writes: {@code set}, {@code add}, {@code setMany}. */
        PUT,
        /** {@code delete} and {@code deleteMany}. */
        DELETE,
        /** {@code getOrSet} and {@code getOrSetMany}, loads included. */
        GET_OR_SET,
        /** {@code clear}. */
        CLEAR
    }

    private final String backend;
    private final Meters meters;

    /**
     * Counts what {@code delegate} does.
     *
     * @param backend the backend's name for the {@code backend} tag of errors (the location's
     *     scheme: {@code memory}, {@code redis}, {@code jdbc}...)
     */
    public MeteredCache(Cache delegate, String backend) {
        this(delegate, backend, new Meters());
    }

    private MeteredCache(Cache delegate, String backend, Meters meters) {
        super(delegate);
        this.backend = Objects.requireNonNull(backend, "backend must not be null");
        this.meters = meters;
    }

    /** The backend named at construction. */
    public String backend() {
        return backend;
    }

    /** Reads that found a value (a stored {@code null} included). */
    public long hits() {
        return meters.hits.sum();
    }

    /** Reads that found nothing. */
    public long misses() {
        return meters.misses.sum();
    }

    /** Values written. */
    public long puts() {
        return meters.puts.sum();
    }

    /** Entries removed by {@code delete} and {@code deleteMany}. */
    public long removals() {
        return meters.removals.sum();
    }

    /** Backend failures ({@link dev.cachet.CacheException}) that reached a caller. */
    public long errors() {
        return meters.errors.sum();
    }

    /** Calls of {@code op} so far. */
    public long calls(Operation op) {
        return meters.calls(op);
    }

    /** The total time of the calls of {@code op}, in nanoseconds. */
    public long totalNanos(Operation op) {
        return meters.nanos(op);
    }

    @Override
    public Cache withVersion(int version) {
        return new MeteredCache(delegate().withVersion(version), backend, meters);
    }

    @Override
    public Object get(String key) {
        return lookup(key).orElse(null);
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return lookup(key, type).orElse(null);
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        return lookup(key, type).orElse(defaultValue);
    }

    @Override
    public Lookup<Object> lookup(String key) {
        return counted(meters.timed(Operation.GET, () -> delegate().lookup(key)));
    }

    @Override
    public <T> Lookup<T> lookup(String key, Class<T> type) {
        return counted(meters.timed(Operation.GET, () -> delegate().lookup(key, type)));
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        return countedMany(keys, meters.timed(Operation.GET, () -> delegate().getMany(keys)));
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        return countedMany(keys, meters.timed(Operation.GET, () -> delegate().getMany(keys, type)));
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout) {
        return written(meters.timed(Operation.PUT, () -> delegate().set(key, value, timeout)));
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return written(meters.timed(Operation.PUT, () -> delegate().set(key, value, timeout, tags)));
    }

    @Override
    public boolean add(String key, Object value, Timeout timeout) {
        return written(meters.timed(Operation.PUT, () -> delegate().add(key, value, timeout)));
    }

    @Override
    public Set<String> setMany(Map<String, ?> values, Timeout timeout) {
        Set<String> failed = meters.timed(Operation.PUT, () -> delegate().setMany(values, timeout));
        meters.puts.add(values.size() - failed.size());
        return failed;
    }

    @Override
    public boolean delete(String key) {
        boolean deleted = meters.timed(Operation.DELETE, () -> delegate().delete(key));
        if (deleted) {
            meters.removals.increment();
        }
        return deleted;
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        int n = meters.timed(Operation.DELETE, () -> delegate().deleteMany(keys));
        meters.removals.add(n);
        return n;
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return meters.timed(Operation.GET_OR_SET, () -> delegate().getOrSet(key, type, loader, timeout));
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return meters.timed(Operation.GET_OR_SET, () -> delegate().getOrSet(key, type, loader, freshness));
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return meters.timed(Operation.GET_OR_SET, () -> delegate().getOrSetMany(keys, type, loader, freshness));
    }

    @Override
    public void clear() {
        meters.timed(Operation.CLEAR, () -> {
            delegate().clear();
            return null;
        });
    }

    @Override
    public AsyncCache async() {
        return new CountedAsync(delegate().async(), this);
    }

    @Override
    public String toString() {
        return "MeteredCache[" + delegate() + "]";
    }

    private <T> Lookup<T> counted(Lookup<T> l) {
        (l.isHit() ? meters.hits : meters.misses).increment();
        return l;
    }

    private <M extends Map<String, ?>> M countedMany(Collection<String> keys, M found) {
        meters.hits.add(found.size());
        meters.misses.add(Math.max(0, keys.size() - found.size()));
        return found;
    }

    private boolean written(boolean stored) {
        if (stored) {
            meters.puts.increment();
        }
        return stored;
    }

    /** The async face: the same counts, each call timed until its stage completes. */
    private static final class CountedAsync extends ForwardingAsyncCache {
        private final MeteredCache sync;
        private final Meters meters;

        CountedAsync(AsyncCache delegate, MeteredCache sync) {
            super(delegate);
            this.sync = sync;
            this.meters = sync.meters;
        }

        @Override
        public Cache sync() {
            return sync;
        }

        @Override
        public CompletionStage<Object> get(String key) {
            return lookup(key).thenApply(l -> l.orElse(null));
        }

        @Override
        public <T> CompletionStage<T> get(String key, Class<T> type) {
            return lookup(key, type).thenApply(l -> l.orElse(null));
        }

        @Override
        public <T> CompletionStage<T> get(String key, Class<T> type, T defaultValue) {
            return lookup(key, type).thenApply(l -> l.orElse(defaultValue));
        }

        @Override
        public CompletionStage<Lookup<Object>> lookup(String key) {
            return timed(Operation.GET, () -> delegate().lookup(key)).thenApply(sync::counted);
        }

        @Override
        public <T> CompletionStage<Lookup<T>> lookup(String key, Class<T> type) {
            return timed(Operation.GET, () -> delegate().lookup(key, type)).thenApply(sync::counted);
        }

        @Override
        public CompletionStage<Boolean> set(String key, Object value, Timeout timeout) {
            return timed(Operation.PUT, () -> delegate().set(key, value, timeout)).thenApply(sync::written);
        }

        @Override
        public CompletionStage<Boolean> add(String key, Object value, Timeout timeout) {
            return timed(Operation.PUT, () -> delegate().add(key, value, timeout)).thenApply(sync::written);
        }

        @Override
        public CompletionStage<Boolean> delete(String key) {
            return timed(Operation.DELETE, () -> delegate().delete(key)).thenApply(d -> {
                if (d) {
                    meters.removals.increment();
                }
                return d;
            });
        }

        @Override
        public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
            return timed(Operation.GET_OR_SET, () -> delegate().getOrSet(key, type, loader, freshness));
        }

        private <R> CompletionStage<R> timed(Operation op, Supplier<CompletionStage<R>> call) {
            long start = System.nanoTime();
            CompletionStage<R> stage;
            try {
                stage = call.get();
            } catch (RuntimeException e) {
                meters.record(op, System.nanoTime() - start);
                meters.failed(e);
                throw e;
            }
            return stage.whenComplete((r, e) -> {
                meters.record(op, System.nanoTime() - start);
                if (e != null) {
                    meters.failed(e);
                }
            });
        }
    }
}
