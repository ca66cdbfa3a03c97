package dev.cachet;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An {@link AsyncCache} that forwards every call to another one: the asynchronous half of a
 * decorator (see {@link ForwardingCache}), which overrides what it changes. Every abstract
 * method of {@link AsyncCache} is forwarded as it is; the interface's default methods (the
 * {@code Duration} and default-timeout overloads, {@code incr(key)}, {@code decrVersion}...)
 * are not overridden, so they reach the decorator's overrides. {@link #sync()} forwards too; a
 * decorator returns its own synchronous face instead (as {@link ForwardingCache#async()} does),
 * and then the defaults that answer through {@code sync()} ({@code name}, {@code stats},
 * {@code withVersion}, {@code namespace}...) reach that decorator. Thread-safe when the
 * delegate is.
 */
public abstract class ForwardingAsyncCache implements AsyncCache {
    private final AsyncCache delegate;

    /** An async face forwarding to {@code delegate}. */
    protected ForwardingAsyncCache(AsyncCache delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** The async face every call is forwarded to. */
    protected AsyncCache delegate() {
        return delegate;
    }

    @Override
    public Cache sync() {
        return delegate.sync();
    }

    @Override
    public CompletionStage<Object> get(String key) {
        return delegate.get(key);
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type) {
        return delegate.get(key, type);
    }

    @Override
    public <T> CompletionStage<T> get(String key, Class<T> type, T defaultValue) {
        return delegate.get(key, type, defaultValue);
    }

    @Override
    public CompletionStage<Lookup<Object>> lookup(String key) {
        return delegate.lookup(key);
    }

    @Override
    public <T> CompletionStage<Lookup<T>> lookup(String key, Class<T> type) {
        return delegate.lookup(key, type);
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout) {
        return delegate.set(key, value, timeout);
    }

    @Override
    public CompletionStage<Boolean> add(String key, Object value, Timeout timeout) {
        return delegate.add(key, value, timeout);
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return delegate.getOrSet(key, type, loader, timeout);
    }

    @Override
    public <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return delegate.getOrSet(key, type, loader, freshness);
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return delegate.getOrSetMany(keys, type, loader, freshness);
    }

    @Override
    public CompletionStage<Boolean> touch(String key, Timeout timeout) {
        return delegate.touch(key, timeout);
    }

    @Override
    public CompletionStage<Boolean> delete(String key) {
        return delegate.delete(key);
    }

    @Override
    public CompletionStage<Map<String, Object>> getMany(Collection<String> keys) {
        return delegate.getMany(keys);
    }

    @Override
    public <T> CompletionStage<Map<String, T>> getMany(Collection<String> keys, Class<T> type) {
        return delegate.getMany(keys, type);
    }

    @Override
    public CompletionStage<Set<String>> setMany(Map<String, ?> values, Timeout timeout) {
        return delegate.setMany(values, timeout);
    }

    @Override
    public CompletionStage<Integer> deleteMany(Collection<String> keys) {
        return delegate.deleteMany(keys);
    }

    @Override
    public CompletionStage<Boolean> hasKey(String key) {
        return delegate.hasKey(key);
    }

    @Override
    public CompletionStage<Long> incr(String key, long delta) {
        return delegate.incr(key, delta);
    }

    @Override
    public CompletionStage<Long> decr(String key, long delta) {
        return delegate.decr(key, delta);
    }

    @Override
    public CompletionStage<Integer> incrVersion(String key, int delta) {
        return delegate.incrVersion(key, delta);
    }

    @Override
    public CompletionStage<Boolean> set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return delegate.set(key, value, timeout, tags);
    }

    @Override
    public CompletionStage<Void> invalidateTag(String tag) {
        return delegate.invalidateTag(tag);
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
    public CompletionStage<Void> clear() {
        return delegate.clear();
    }
}
