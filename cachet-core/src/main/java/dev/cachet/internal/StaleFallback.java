package dev.cachet.internal;

import dev.cachet.Freshness;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cache whose fresh-data pipeline can serve, for a key that misses, a previous entry stored
 * under another key as a stale value: how {@link dev.cachet.Namespace#expire()} keeps the
 * values of the namespace's previous generation readable. Implemented by the core cache (the
 * pipeline), the two-level cache and namespaces (which pass it on to their parent); a cache
 * that does not implement it (a user's {@link dev.cachet.ForwardingCache}) serves no previous
 * entry, so its namespaces' keys miss after {@code expire()} as after {@code invalidate()}.
 *
 * <p>{@code previousKeys} gives, for a key of the cache it is passed to, the keys <i>of the
 * cache at the bottom of the chain</i> (the first that is not a namespace) that may hold its
 * previous entry, most recent first. The pipeline asks it only for a key that misses in a
 * {@code getOrSet} whose {@link Freshness} has {@code freshFor} or fail-safe (what may use a
 * stale value), and reads those keys then; the first that hits is the stale entry
 * ({@link dev.cachet.internal.fresh.FreshLoads#asStale}).
 */
public interface StaleFallback {

    /** {@code getOrSet} with {@code freshness}, a miss of {@code key} served from {@code previousKeys} as stale. */
    <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys);

    /** {@code getOrSetMany} with {@code freshness}, each missing key served from {@code previousKeys} as stale. */
    <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys);

    /** The async twin, implemented by the async faces of the same caches. */
    interface Async {

        /** {@link StaleFallback#getOrSet(String, Class, Supplier, Freshness, Function)}, run as the async {@code getOrSet}. */
        <T> CompletionStage<T> getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
                Function<String, List<String>> previousKeys);

        /** {@link StaleFallback#getOrSetMany(Collection, Class, Function, Freshness, Function)}, run as the async {@code getOrSetMany}. */
        <T> CompletionStage<Map<String, T>> getOrSetMany(Collection<String> keys, Class<T> type,
                Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
                Function<String, List<String>> previousKeys);
    }
}
