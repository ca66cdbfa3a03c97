package dev.cachet.spring;

import dev.cachet.Freshness;
import dev.cachet.Lookup;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * A Spring {@link Cache} over one cachet {@link dev.cachet.Cache}, for Spring Framework 6.2
 * and 7.
 *
 * <ul>
 *   <li><b>Keys</b>: a {@code String} key is the cachet key; any other key (Spring's
 *       {@code SimpleKey}, a method argument) is its {@code toString()}, which must be the
 *       class's own; the cachet cache's key function, prefix, version and hashing then apply
 *       as to any key.</li>
 *   <li><b>Values</b>: anything the cachet cache's codec accepts (list your classes in its
 *       {@code codec_allow} on a backend that serializes); {@code Integer}, {@code Short} and
 *       {@code Byte} come back as themselves. With null values allowed (the default) a
 *       {@code null} is stored as a value and read as a hit holding {@code null}; without,
 *       storing {@code null} is an {@link IllegalArgumentException}.</li>
 *   <li><b>{@link #get(Object, Callable)}</b> ({@code @Cacheable(sync = true)}) is cachet's
 *       {@code getOrSet} with this cache's {@link Freshness}: one loader run per key in the
 *       process, and on a backend processes share one in the cluster (a lease), the others
 *       waiting for its value; stale-while-revalidate, fail-safe and early refresh as the
 *       freshness says. A loader failure is a {@link Cache.ValueRetrievalException} whose cause
 *       is the loader's exception, and nothing is stored.</li>
 *   <li><b>{@link #retrieve}</b> runs on the cachet cache's asynchronous face: the caller's
 *       thread never waits for the backend; {@link #retrieve(Object, Supplier)} is the same
 *       single flight as {@code get(key, Callable)}, the loader's future awaited on the cachet
 *       cache's executor.</li>
 *   <li>{@link #evict} deletes the key, {@link #clear} and {@link #invalidate} clear the cachet
 *       cache (its own entries: see cachet's {@code clear}), at once and visibly to every
 *       process.</li>
 * </ul>
 * Thread-safe. Closing is the cachet cache's business (its {@code Caches} registry, or the
 * application context that owns it).
 */
public class CachetSpringCache implements Cache {
    private final dev.cachet.Cache cache;
    private final Freshness freshness;
    private final boolean allowNullValues;

    /** A Spring cache over {@code cache}, with {@link Freshness#DEFAULT} and null values allowed. */
    public CachetSpringCache(dev.cachet.Cache cache) {
        this(cache, Freshness.DEFAULT, true);
    }

    /**
     * A Spring cache over {@code cache}.
     *
     * @param freshness how {@link #get(Object, Callable)} and {@link #retrieve(Object, Supplier)} keep
     *     values fresh ({@link Freshness#DEFAULT}: single flight and leases only)
     * @param allowNullValues whether {@code null} may be stored (Spring's default: true)
     */
    public CachetSpringCache(dev.cachet.Cache cache, Freshness freshness, boolean allowNullValues) {
        this.cache = Objects.requireNonNull(cache, "cache must not be null");
        this.freshness = Objects.requireNonNull(freshness, "freshness must not be null");
        this.allowNullValues = allowNullValues;
    }

    /** The cachet cache's name. */
    @Override
    public String getName() {
        return cache.name();
    }

    /** The cachet {@link dev.cachet.Cache} itself. */
    @Override
    public dev.cachet.Cache getNativeCache() {
        return cache;
    }

    /** The freshness {@link #get(Object, Callable)} and {@link #retrieve(Object, Supplier)} use. */
    public Freshness freshness() {
        return freshness;
    }

    /** Whether {@code null} may be stored. */
    public boolean isAllowNullValues() {
        return allowNullValues;
    }

    @Override
    public ValueWrapper get(Object key) {
        return wrap(cache.lookup(key(key)));
    }

    /**
     * The value under {@code key}, or {@code null} on a miss.
     *
     * @throws IllegalStateException if the value is not a {@code type}
     */
    @Override
    public <T> T get(Object key, Class<T> type) {
        ValueWrapper w = get(key);
        return w == null ? null : checked(w.get(), type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        try {
            return (T) SpringValues.fromStore(cache.getOrSet(key(key), Object.class, () -> load(valueLoader), freshness));
        } catch (LoaderFailed e) {
            throw new ValueRetrievalException(key, valueLoader, e.getCause());
        }
    }

    /**
     * The value under {@code key}, without blocking: completes with a {@link ValueWrapper} on a
     * hit (the value itself when null values are not allowed), with {@code null} on a miss.
     */
    @Override
    public CompletableFuture<?> retrieve(Object key) {
        return cache.async().lookup(key(key)).toCompletableFuture().thenApply(l -> {
            ValueWrapper w = wrap(l);
            return w == null || allowNullValues ? w : w.get();
        });
    }

    /**
     * The value under {@code key}, or the value of {@code valueLoader}'s future, stored: single
     * flight (and leases) as {@link #get(Object, Callable)}; the returned future fails with the
     * loader's exception when it fails.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        String k = key(key);
        CompletableFuture<T> result = new CompletableFuture<>();
        cache.async().getOrSet(k, Object.class, () -> load(() -> valueLoader.get().get()), freshness)
                .whenComplete((v, e) -> {
                    if (e == null) {
                        result.complete((T) SpringValues.fromStore(v));
                    } else {
                        Throwable cause = unwrap(e);
                        result.completeExceptionally(cause instanceof LoaderFailed ? cause.getCause() : cause);
                    }
                });
        return result;
    }

    @Override
    public void put(Object key, Object value) {
        cache.set(key(key), storable(value));
    }

    /**
     * Stores {@code value} only if {@code key} holds nothing (cachet's atomic {@code add}).
     *
     * @return {@code null} when this call stored the value, else the value that was there
     */
    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        String k = key(key);
        Object stored = storable(value);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (cache.add(k, stored)) {
                return null;
            }
            ValueWrapper existing = wrap(cache.lookup(k));
            if (existing != null) {
                return existing;
            }
            // the value that made add fail expired or was deleted in between: add again
        }
        throw new IllegalStateException("cache '" + getName() + "': putIfAbsent of key '" + k
                + "' found the key taken and then empty three times over");
    }

    @Override
    public void evict(Object key) {
        cache.delete(key(key));
    }

    /** Deletes {@code key}; true when a value was there. */
    @Override
    public boolean evictIfPresent(Object key) {
        return cache.delete(key(key));
    }

    @Override
    public void clear() {
        cache.clear();
    }

    /** Clears the cache; the entries are invisible to every reader when it returns (true). */
    @Override
    public boolean invalidate() {
        cache.clear();
        return true;
    }

    @Override
    public String toString() {
        return "CachetSpringCache[" + getName() + "]";
    }

    private String key(Object key) {
        return SpringKeys.of(key, getName());
    }

    private Object storable(Object value) {
        if (value == null && !allowNullValues) {
            throw new IllegalArgumentException("cache '" + getName()
                    + "' is configured to not allow null values but null was provided");
        }
        return SpringValues.toStore(value);
    }

    private ValueWrapper wrap(Lookup<Object> l) {
        if (l.isMiss() || (l.value() == null && !allowNullValues)) {
            return null;
        }
        return new SimpleValueWrapper(SpringValues.fromStore(l.value()));
    }

    private Object load(Callable<?> loader) {
        Object v;
        try {
            v = loader.call();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LoaderFailed(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
        try {
            return storable(v);
        } catch (IllegalArgumentException e) {
            throw new LoaderFailed(e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T checked(Object value, Class<T> type) {
        if (value != null && type != null && !type.isInstance(value)) {
            throw new IllegalStateException("cache '" + getName() + "': cached value is not of required type ["
                    + type.getName() + "]: " + value.getClass().getName());
        }
        return (T) value;
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A loader's exception on its way through cachet's getOrSet, told apart from the backend's. */
    private static final class LoaderFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoaderFailed(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
