package dev.cachet;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The asynchronous face of a {@link Cache}: every operation has exactly the meaning of its
 * synchronous twin, and the returned stage completes with what the twin would return, or
 * exceptionally with what it would throw. Bad arguments (a {@code null} key, a strict-mode
 * key, a value the codec refuses) complete the stage exceptionally too, never throw from the
 * call. Backends that block run on the cache's own executor, released by {@link Cache#close()}.
 */
public interface AsyncCache {

    /** The synchronous face. */
    Cache sync();

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

    /** See {@link Cache#add(String, Object, Timeout)}. */
    CompletionStage<Boolean> add(String key, Object value, Timeout timeout);

    /** See {@link Cache#add(String, Object)}. */
    default CompletionStage<Boolean> add(String key, Object value) {
        return add(key, value, Timeout.DEFAULT);
    }

    /** See {@link Cache#getOrSet(String, Class, Supplier, Timeout)}; the loader runs on the cache's executor. */
    <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout);

    /** See {@link Cache#getOrSet(String, Class, Supplier, Freshness)}; loads run on the cache's executor. */
    <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness);

    /** See {@link Cache#getOrSetMany}; the loader runs on the cache's executor. */
    <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness);

    /** See {@link Cache#touch(String, Timeout)}. */
    CompletionStage<Boolean> touch(String key, Timeout timeout);

    /** See {@link Cache#delete(String)}. */
    CompletionStage<Boolean> delete(String key);

    /** See {@link Cache#getMany(Collection)}. */
    CompletionStage<Map<String, Object>> getMany(Collection<String> keys);

    /** See {@link Cache#setMany(Map, Timeout)}. */
    CompletionStage<Set<String>> setMany(Map<String, ?> values, Timeout timeout);

    /** See {@link Cache#deleteMany(Collection)}. */
    CompletionStage<Integer> deleteMany(Collection<String> keys);

    /** See {@link Cache#hasKey(String)}. */
    CompletionStage<Boolean> hasKey(String key);

    /** See {@link Cache#incr(String, long)}. */
    CompletionStage<Long> incr(String key, long delta);

    /** See {@link Cache#decr(String, long)}. */
    CompletionStage<Long> decr(String key, long delta);

    /** See {@link Cache#incrVersion(String, int)}. */
    CompletionStage<Integer> incrVersion(String key, int delta);

    /** See {@link Cache#clear()}. */
    CompletionStage<Void> clear();
}
