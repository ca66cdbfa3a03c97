package dev.cachet;

import dev.cachet.internal.Stages;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The asynchronous face of a {@link Cache}: every operation of {@link Cache} has a twin here
 * with the same name and parameters and exactly the meaning of its synchronous twin, and the
 * returned stage completes with what the twin would return (boxed; {@code null} for
 * {@code void}), or exceptionally with what it would throw. Bad arguments (a {@code null} key,
 * a strict-mode key, a value the codec refuses) complete the stage exceptionally too, never
 * throw from the call.
 *
 * <h2>Where the work runs</h2>
 * <ul>
 *   <li>Local memory caches never block: their operations complete before the call returns.</li>
 *   <li>Backends that block (files, SQL, Redis, memcached) run each operation on the cache's
 *       own executor, released by {@link Cache#close()}.</li>
 *   <li>An operation that may run a loader ({@code getOrSet}, {@code getOrSetMany}) never runs
 *       it on the caller's thread, whatever the backend: a loader may block.</li>
 * </ul>
 *
 * <h2>What is not a stage</h2>
 * A few members answer from this process's memory and never wait, so they return what their
 * synchronous twin returns: {@link #name()}, {@link #version()}, {@link #stats()},
 * {@link #registerLoader}, {@link #hotNamespaces(int)}. {@link #refresh} and {@link #prefetch}
 * return stages on {@link Cache} already and keep their types here (the async face does not
 * wait for the backend read they start with either). The views, {@link #withVersion(int)} and
 * {@link #namespace(String, Duration)}, return the async face of the synchronous view.
 * {@code async()} and {@code close()} have no twin: {@link #sync()} leads back to the cache.
 */
public interface AsyncCache {

    /** The synchronous face. */
    Cache sync();

    /** See {@link Cache#name()}. */
    default String name() {
        return sync().name();
    }

    /** See {@link Cache#version()}. */
    default int version() {
        return sync().version();
    }

    /** The async face of {@link Cache#withVersion(int) sync().withVersion(version)}. */
    default AsyncCache withVersion(int version) {
        return sync().withVersion(version).async();
    }

    /** See {@link Cache#get(String)}. */
    CompletionStage<Object> get(String key);

    /** See {@link Cache#get(String, Class)}. */
    <T> CompletionStage<T> get(String key, Class<T> type);

    /** See {@link Cache#get(String, Class, Object)}. */
    <T> CompletionStage<T> get(String key, Class<T> type, T defaultValue);

    /** See {@link Cache#lookup(String)}. */
    CompletionStage<Lookup<Object>> lookup(String key);

    /** See {@link Cache#lookup(String, Class)}. */
    <T> CompletionStage<Lookup<T>> lookup(String key, Class<T> type);

    /** See {@link Cache#set(String, Object, Timeout)}. */
    CompletionStage<Boolean> set(String key, Object value, Timeout timeout);

    /** See {@link Cache#set(String, Object)}. */
    default CompletionStage<Boolean> set(String key, Object value) {
        return set(key, value, Timeout.DEFAULT);
    }

    /** See {@link Cache#set(String, Object, Duration)}. */
    default CompletionStage<Boolean> set(String key, Object value, Duration timeout) {
        return Stages.with(timeout, t -> set(key, value, t));
    }

    /** See {@link Cache#set(String, Object, Timeout, Collection)}. */
    CompletionStage<Boolean> set(String key, Object value, Timeout timeout, Collection<String> tags);

    /** See {@link Cache#set(String, Object, Duration, Collection)}. */
    default CompletionStage<Boolean> set(String key, Object value, Duration timeout, Collection<String> tags) {
        return Stages.with(timeout, t -> set(key, value, t, tags));
    }

    /** See {@link Cache#add(String, Object, Timeout)}. */
    CompletionStage<Boolean> add(String key, Object value, Timeout timeout);

    /** See {@link Cache#add(String, Object)}. */
    default CompletionStage<Boolean> add(String key, Object value) {
        return add(key, value, Timeout.DEFAULT);
    }

    /** See {@link Cache#add(String, Object, Duration)}. */
    default CompletionStage<Boolean> add(String key, Object value, Duration timeout) {
        return Stages.with(timeout, t -> add(key, value, t));
    }

    /** See {@link Cache#getOrSet(String, Class, Supplier, Timeout)}; the loader runs on the cache's executor. */
    <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout);

    /** See {@link Cache#getOrSet(String, Class, Supplier)}; the loader runs on the cache's executor. */
    default <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader) {
        return getOrSet(key, type, loader, Timeout.DEFAULT);
    }

    /** See {@link Cache#getOrSet(String, Class, Supplier, Duration)}; the loader runs on the cache's executor. */
    default <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Duration timeout) {
        return Stages.with(timeout, t -> getOrSet(key, type, loader, t));
    }

    /** See {@link Cache#getOrSet(String, Class, Supplier, Freshness)}; loads run on the cache's executor. */
    <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness);

    /** See {@link Cache#getOrSetMany}; the loader runs on the cache's executor. */
    <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness);

    /** See {@link Cache#touch(String, Timeout)}. */
    CompletionStage<Boolean> touch(String key, Timeout timeout);

    /** See {@link Cache#touch(String)}. */
    default CompletionStage<Boolean> touch(String key) {
        return touch(key, Timeout.DEFAULT);
    }

    /** See {@link Cache#touch(String, Duration)}. */
    default CompletionStage<Boolean> touch(String key, Duration timeout) {
        return Stages.with(timeout, t -> touch(key, t));
    }

    /** See {@link Cache#delete(String)}. */
    CompletionStage<Boolean> delete(String key);

    /** See {@link Cache#getMany(Collection)}. */
    CompletionStage<Map<String, Object>> getMany(Collection<String> keys);

    /** See {@link Cache#getMany(Collection, Class)}. */
    <T> CompletionStage<Map<String, T>> getMany(Collection<String> keys, Class<T> type);

    /** See {@link Cache#setMany(Map, Timeout)}. */
    CompletionStage<Set<String>> setMany(Map<String, ?> values, Timeout timeout);

    /** See {@link Cache#setMany(Map)}. */
    default CompletionStage<Set<String>> setMany(Map<String, ?> values) {
        return setMany(values, Timeout.DEFAULT);
    }

    /** See {@link Cache#setMany(Map, Duration)}. */
    default CompletionStage<Set<String>> setMany(Map<String, ?> values, Duration timeout) {
        return Stages.with(timeout, t -> setMany(values, t));
    }

    /** See {@link Cache#deleteMany(Collection)}. */
    CompletionStage<Integer> deleteMany(Collection<String> keys);

    /** See {@link Cache#hasKey(String)}. */
    CompletionStage<Boolean> hasKey(String key);

    /** See {@link Cache#incr(String, long)}. */
    CompletionStage<Long> incr(String key, long delta);

    /** See {@link Cache#incr(String)}. */
    default CompletionStage<Long> incr(String key) {
        return incr(key, 1);
    }

    /** See {@link Cache#decr(String, long)}. */
    CompletionStage<Long> decr(String key, long delta);

    /** See {@link Cache#decr(String)}. */
    default CompletionStage<Long> decr(String key) {
        return decr(key, 1);
    }

    /** See {@link Cache#incrVersion(String, int)}. */
    CompletionStage<Integer> incrVersion(String key, int delta);

    /** See {@link Cache#incrVersion(String)}. */
    default CompletionStage<Integer> incrVersion(String key) {
        return incrVersion(key, 1);
    }

    /** See {@link Cache#decrVersion(String, int)}. */
    default CompletionStage<Integer> decrVersion(String key, int delta) {
        return incrVersion(key, -delta);
    }

    /** See {@link Cache#decrVersion(String)}. */
    default CompletionStage<Integer> decrVersion(String key) {
        return incrVersion(key, -1);
    }

    /** See {@link Cache#invalidateTag(String)}; completes exceptionally when the backend fails, whatever the error policy. */
    CompletionStage<Void> invalidateTag(String tag);

    /** See {@link Cache#registerLoader}: registration is in this process's memory, so it is done when this returns. */
    default void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness) {
        sync().registerLoader(keyPrefix, loader, freshness);
    }

    /**
     * See {@link Cache#refresh(String)}; the read of the current entry runs where this face runs
     * its operations, the load on the cache's executor.
     */
    CompletionStage<Boolean> refresh(String key);

    /** See {@link Cache#refresh(String, Function, Freshness)}; runs as {@link #refresh(String)}. */
    CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness);

    /**
     * See {@link Cache#prefetch(Collection)}; the read of the current entries runs where this
     * face runs its operations, the loads on the cache's executor.
     */
    CompletionStage<Integer> prefetch(Collection<String> keys);

    /** See {@link Cache#prefetch(Collection, Function, Freshness)}; runs as {@link #prefetch(Collection)}. */
    CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness);

    /** See {@link Cache#stats()}: counters kept in this process, read without waiting. */
    default CacheStats stats() {
        return sync().stats();
    }

    /** See {@link Cache#clear()}; completes exceptionally when the backend fails, whatever the error policy. */
    CompletionStage<Void> clear();

    /** {@link #namespace(String, Duration)} with no hold. */
    default AsyncCache namespace(String name) {
        return namespace(name, Duration.ZERO);
    }

    /**
     * The async face of {@link Cache#namespace(String, Duration) sync().namespace(name,
     * generationHold)}: its operations read the generation and run without blocking the caller,
     * its {@link #clear()} is {@link Namespace#invalidate()}, and its {@link #sync()} is the
     * {@link Namespace} (for {@code hotKeys} and the names).
     *
     * @throws NullPointerException if {@code name} or {@code generationHold} is null
     * @throws IllegalArgumentException if {@code generationHold} is negative
     */
    default AsyncCache namespace(String name, Duration generationHold) {
        return sync().namespace(name, generationHold).async();
    }

    /** See {@link Cache#hotNamespaces(int)}: estimated in this process's memory, read without waiting. */
    default List<String> hotNamespaces(int n) {
        return sync().hotNamespaces(n);
    }
}
