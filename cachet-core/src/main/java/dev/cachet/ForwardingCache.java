package dev.cachet;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link Cache} that forwards every call to another cache: the base of decorators (freshness,
 * namespaces, two levels, metrics), which override what they change and inherit the rest.
 *
 * <p>Every abstract method of {@link Cache} is forwarded as it is; the interface's default
 * methods ({@code set(key, value)}, {@code decr}, {@code touch(key, Duration)}, ...) are not
 * overridden, so they reach the decorator's own overrides of the methods they call.
 * {@link #async()} is a {@link ForwardingAsyncCache} over the delegate's async face whose
 * {@link AsyncCache#sync() sync()} is this decorator; a decorator that changes behaviour
 * overrides {@code async()} too, so both faces agree. {@link #withVersion} forwards, so it
 * returns the delegate's version view, undecorated: a decorator that must keep wrapping
 * overrides it. {@link #close()} closes the delegate.
 *
 * <p>Thread-safe when the delegate is; its only state is the delegate and its async face,
 * made once.
 */
public abstract class ForwardingCache implements Cache {
    private final Cache delegate;
    private volatile AsyncCache async;

    /** A cache forwarding to {@code delegate}. */
    protected ForwardingCache(Cache delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** The cache every call is forwarded to. */
    protected Cache delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public int version() {
        return delegate.version();
    }

    @Override
    public Cache withVersion(int version) {
        return delegate.withVersion(version);
    }

    @Override
    public Object get(String key) {
        return delegate.get(key);
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return delegate.get(key, type);
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        return delegate.get(key, type, defaultValue);
    }

    @Override
    public Lookup<Object> lookup(String key) {
        return delegate.lookup(key);
    }

    @Override
    public <T> Lookup<T> lookup(String key, Class<T> type) {
        return delegate.lookup(key, type);
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout) {
        return delegate.set(key, value, timeout);
    }

    @Override
    public boolean add(String key, Object value, Timeout timeout) {
        return delegate.add(key, value, timeout);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return delegate.getOrSet(key, type, loader, timeout);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return delegate.getOrSet(key, type, loader, freshness);
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return delegate.getOrSetMany(keys, type, loader, freshness);
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return delegate.set(key, value, timeout, tags);
    }

    @Override
    public void invalidateTag(String tag) {
        delegate.invalidateTag(tag);
    }

    @Override
    public void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness) {
        delegate.registerLoader(keyPrefix, loader, freshness);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key) {
        return delegate.refresh(key);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        return delegate.refresh(key, loader, freshness);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        return delegate.prefetch(keys);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        return delegate.prefetch(keys, loader, freshness);
    }

    @Override
    public CacheStats stats() {
        return delegate.stats();
    }

    @Override
    public boolean touch(String key, Timeout timeout) {
        return delegate.touch(key, timeout);
    }

    @Override
    public boolean delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        return delegate.getMany(keys);
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        return delegate.getMany(keys, type);
    }

    @Override
    public Set<String> setMany(Map<String, ?> values, Timeout timeout) {
        return delegate.setMany(values, timeout);
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        return delegate.deleteMany(keys);
    }

    @Override
    public boolean hasKey(String key) {
        return delegate.hasKey(key);
    }

    @Override
    public long incr(String key, long delta) {
        return delegate.incr(key, delta);
    }

    @Override
    public int incrVersion(String key, int delta) {
        return delegate.incrVersion(key, delta);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public AsyncCache async() {
        AsyncCache a = async;
        if (a == null) {
            a = new ForwardingAsyncCache(delegate.async()) {
                @Override
                public Cache sync() {
                    return ForwardingCache.this;
                }
            };
            async = a;
        }
        return a;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
