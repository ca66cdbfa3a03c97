package dev.cachet;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A named cache: Django's {@code BaseCache} API in Java idiom, the same meaning on every
 * backend.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Keys</b> are any non-null Unicode string. The stored key is made by the cache's
 *       {@link KeyFunction} ({@code prefix:version:key} by default) and then passes the key
 *       policy: a key a backend cannot hold verbatim (over 250 UTF-8 bytes, spaces, control
 *       characters) is replaced by a deterministic hash, or refused with
 *       {@link InvalidKeyException} in strict mode.</li>
 *   <li><b>Values</b> are any object the cache's codec accepts, including {@code null}: a
 *       stored {@code null} is a hit ({@link #lookup(String)} tells a hit from a miss).
 *       Integral values ({@code Byte}, {@code Short}, {@code Integer}, {@code Long}) are
 *       counters: stored as plain decimal so servers can {@code incr} them, and read back as
 *       {@code Long} (typed reads convert, e.g. {@code get(key, Integer.class)}). A value the
 *       codec refuses is an {@link IllegalArgumentException} at {@code set} time, naming the
 *       key and the class.</li>
 *   <li><b>Timeouts</b>: {@link Timeout#DEFAULT} (the cache's, 300 s unless configured),
 *       {@link Timeout#FOREVER}, or a duration; zero or negative stores nothing readable.
 *       Expiry is checked when reading, on every backend.</li>
 *   <li><b>Failures</b> of the backend follow the cache's {@link ErrorPolicy}. A write that
 *       did not happen is visible: a {@code false} return, a key in {@link #setMany}'s result,
 *       or an exception. The converse cannot always hold: a write reported as failed may still
 *       have been applied when the backend received it before the failure and the protocol
 *       cannot tell (a Redis or memcached command already sent when its connection dropped or
 *       its reply timed out). What never happens is an acknowledged write overwritten by an
 *       older one: a timed-out SQL statement is abandoned by the server and never sent again,
 *       and no call is retried after its command may have reached the server. A stored value
 *       whose bytes are corrupt reads as a miss, is deleted, and is logged; one this reader
 *       cannot or may not decode (its class is missing or outside the codec's allow-list,
 *       another codec wrote it) reads as a miss under either policy and stays, for readers
 *       that can decode it, logged once per class.</li>
 *   <li>Every cache is thread-safe; {@link #close()} releases what it holds.</li>
 * </ul>
 */
public interface Cache extends AutoCloseable {

    /** The cache's name (its alias in a {@link Caches} registry). */
    String name();

    /** The version this view uses for keys when none is given (Django's {@code VERSION}). */
    int version();

    /**
     * A view of this cache whose operations use {@code version} for keys. It shares storage,
     * settings and lifecycle with this cache (closing either closes both).
     */
    Cache withVersion(int version);

    /** The value stored under {@code key}, or {@code null} on a miss or a stored {@code null}. */
    Object get(String key);

    /**
     * The value stored under {@code key} as {@code type}, or {@code null} on a miss.
     *
     * @throws ClassCastException if the stored value is not a {@code type} (integers convert
     *     between the integral box types when the value fits)
     */
    <T> T get(String key, Class<T> type);

    /** The value stored under {@code key} as {@code type}, or {@code defaultValue} on a miss. */
    <T> T get(String key, Class<T> type, T defaultValue);

    /** A hit (with the value, maybe {@code null}) or a miss. */
    Lookup<Object> lookup(String key);

    /** A typed hit or a miss; see {@link #get(String, Class)} for conversions. */
    <T> Lookup<T> lookup(String key, Class<T> type);

    /** Stores {@code value} with the default timeout; see {@link #set(String, Object, Timeout)}. */
    default boolean set(String key, Object value) {
        return set(key, value, Timeout.DEFAULT);
    }

    /** Stores {@code value} for {@code timeout}; see {@link #set(String, Object, Timeout)}. */
    default boolean set(String key, Object value, Duration timeout) {
        return set(key, value, Timeout.of(timeout));
    }

    /**
     * Stores {@code value} under {@code key}, replacing any value.
     *
     * @return true when stored (with a zero or negative timeout: when the key was removed);
     *     false when the backend failed under the {@link ErrorPolicy#DEGRADE} policy
     */
    boolean set(String key, Object value, Timeout timeout);

    /** {@link #add(String, Object, Timeout)} with the default timeout. */
    default boolean add(String key, Object value) {
        return add(key, value, Timeout.DEFAULT);
    }

    /** {@link #add(String, Object, Timeout)} with a duration. */
    default boolean add(String key, Object value, Duration timeout) {
        return add(key, value, Timeout.of(timeout));
    }

    /**
     * Stores {@code value} only if {@code key} holds nothing readable (absent or expired).
     * Atomic: among concurrent adds of one key, exactly one wins.
     *
     * @return true when this call stored the value
     */
    boolean add(String key, Object value, Timeout timeout);

    /** {@link #getOrSet(String, Class, Supplier, Timeout)} with the default timeout. */
    default <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader) {
        return getOrSet(key, type, loader, Timeout.DEFAULT);
    }

    /**
     * The value under {@code key}; on a miss, runs {@code loader} (only then), stores its
     * result (which may be {@code null}) with {@code add} and returns it. If another writer
     * stored a value meanwhile, that value is returned instead. Concurrent callers for one
     * key in this process share one loader run. An exception from the loader propagates and
     * nothing is stored.
     */
    <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout);

    /** {@link #getOrSet(String, Class, Supplier, Timeout)} with a duration. */
    default <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Duration timeout) {
        return getOrSet(key, type, loader, Timeout.of(timeout));
    }

    /**
     * The value under {@code key}, kept fresh as {@code freshness} says: a fresh value is
     * returned; a stale one (past {@link Freshness#freshFor()}) is returned at once while one
     * background refresh runs; a miss runs {@code loader} once per key in the process and, on a
     * backend shared by processes, once in the cluster (a lease), the others waiting for its
     * value. Fail-safe, loader timeouts, eager refresh, XFetch and jitter apply as
     * {@link Freshness} describes. Unlike {@link #getOrSet(String, Class, Supplier, Timeout)}
     * (Django's {@code get_or_set}, which stores with {@code add}), the loaded value replaces
     * what is there. An entry written with {@code freshFor}, fail-safe or XFetch carries a stamp
     * (its logical expiry, last load time) in its envelope: plain reads return its value, and it
     * no longer counts for {@link #incr}. Events are counted in {@link #stats()}.
     *
     * @throws LoadTimeoutException when the hard loader timeout passed and no fail-safe value stood in
     * @throws RuntimeException the loader's, when it failed and no fail-safe value stood in
     */
    <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness);

    /**
     * {@link #getOrSet(String, Class, Supplier, Freshness)} for many keys: one read for all, one
     * {@code loader} call with the keys this process must load (single flight and leases per
     * key); keys the loader gives no value for are absent from the result and not stored.
     *
     * @return the values in the order of {@code keys}
     */
    <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness);

    /** {@link #touch(String, Timeout)} with the default timeout. */
    default boolean touch(String key) {
        return touch(key, Timeout.DEFAULT);
    }

    /**
     * Gives the entry under {@code key} a new timeout (zero or negative expires it).
     *
     * @return true when the key held a readable value and was touched
     */
    boolean touch(String key, Timeout timeout);

    /** {@link #touch(String, Timeout)} with a duration. */
    default boolean touch(String key, Duration timeout) {
        return touch(key, Timeout.of(timeout));
    }

    /**
     * Removes {@code key}.
     *
     * @return true only when a readable value was deleted
     */
    boolean delete(String key);

    /**
     * The readable values of {@code keys}, in the order given; keys that miss are absent from
     * the map, a stored {@code null} is present with a {@code null} value.
     */
    Map<String, Object> getMany(Collection<String> keys);

    /**
     * Typed {@link #getMany(Collection)}.
     *
     * @throws ClassCastException if a stored value is not a {@code type}
     */
    <T> Map<String, T> getMany(Collection<String> keys, Class<T> type);

    /** {@link #setMany(Map, Timeout)} with the default timeout. */
    default Set<String> setMany(Map<String, ?> values) {
        return setMany(values, Timeout.DEFAULT);
    }

    /**
     * Stores every entry of {@code values}.
     *
     * @return the keys that were not stored (empty when all were)
     */
    Set<String> setMany(Map<String, ?> values, Timeout timeout);

    /** {@link #setMany(Map, Timeout)} with a duration. */
    default Set<String> setMany(Map<String, ?> values, Duration timeout) {
        return setMany(values, Timeout.of(timeout));
    }

    /**
     * Stores {@code value} under {@code key} with {@code tags}: after {@link #invalidateTag} of
     * any of them, the entry reads as a miss (from every process and view). Each tag has a
     * version kept in the cache; the entry records its tags' versions, and a read of a tagged
     * entry reads them back (one extra multi-get per read, never held locally). A tagged entry
     * no longer counts for {@link #incr}. An empty {@code tags} is a plain {@code set}.
     *
     * @return as {@link #set(String, Object, Timeout)}
     */
    boolean set(String key, Object value, Timeout timeout, Collection<String> tags);

    /** {@link #set(String, Object, Timeout, Collection)} with a duration. */
    default boolean set(String key, Object value, Duration timeout, Collection<String> tags) {
        return set(key, value, Timeout.of(timeout), tags);
    }

    /**
     * Makes every entry written with {@code tag} read as a miss: one increment of the tag's
     * version (O(1) whatever the number of entries); the entries themselves age out by their
     * timeouts.
     *
     * @throws CacheException when the backend fails, whatever the error policy
     */
    void invalidateTag(String tag);

    /**
     * Registers how to compute the keys that start with {@code keyPrefix} (the longest matching
     * prefix wins; the same prefix again replaces it), so that {@link #refresh} and
     * {@link #prefetch} can recompute a key with no caller present. The loader receives the key.
     */
    void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness);

    /**
     * Recomputes {@code key} in the background with its registered loader while its current
     * value keeps being served (single flight; on a shared backend under the key's lease).
     *
     * @return completes with true when a new value was stored, false when a refresh of the key
     *     was already running, another process held its lease or the executor was full;
     *     exceptionally when the loader failed or no loader is registered for the key
     */
    CompletionStage<Boolean> refresh(String key);

    /** {@link #refresh(String)} with {@code loader} (which receives the key) and {@code freshness} instead of a registered loader. */
    CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness);

    /**
     * Loads, in the background with their registered loaders, those of {@code keys} that are
     * missing or stale, so the next reader finds them fresh.
     *
     * @return completes with how many keys were stored; exceptionally when a key has no
     *     registered loader
     */
    CompletionStage<Integer> prefetch(Collection<String> keys);

    /**
     * {@link #prefetch(Collection)} with {@code loader} (which receives the key) and
     * {@code freshness} instead of the registered loaders.
     */
    CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness);

    /** What the fresh-data pipeline did since the cache was opened (every view shares it). */
    CacheStats stats();

    /**
     * Removes every key of {@code keys}.
     *
     * @return how many readable values were deleted
     */
    int deleteMany(Collection<String> keys);

    /** True when {@code key} holds a readable value (a stored {@code null} counts). */
    boolean hasKey(String key);

    /** {@code incr(key, 1)}. */
    default long incr(String key) {
        return incr(key, 1);
    }

    /**
     * Atomically adds {@code delta} to the integer under {@code key} and returns the result.
     * The entry keeps its expiry (unlike Django, which resets it).
     *
     * @throws java.util.NoSuchElementException if the key holds nothing readable
     * @throws NotAnIntegerException if the value is not an integer
     * @throws ArithmeticException if the result overflows a {@code long}
     */
    long incr(String key, long delta);

    /** {@code decr(key, 1)}. */
    default long decr(String key) {
        return decr(key, 1);
    }

    /** {@code incr(key, -delta)}. */
    default long decr(String key, long delta) {
        if (delta == Long.MIN_VALUE) {
            throw new ArithmeticException("decr delta " + delta + " cannot be negated");
        }
        return incr(key, -delta);
    }

    /** {@code incrVersion(key, 1)}. */
    default int incrVersion(String key) {
        return incrVersion(key, 1);
    }

    /**
     * Moves the value of {@code key} from this view's version to {@code version() + delta}
     * (stored with the default timeout, as Django does), deletes the old version, and returns
     * the new version.
     *
     * @throws java.util.NoSuchElementException if the key holds nothing readable
     */
    int incrVersion(String key, int delta);

    /** {@code decrVersion(key, 1)}. */
    default int decrVersion(String key) {
        return incrVersion(key, -1);
    }

    /** {@code incrVersion(key, -delta)}. */
    default int decrVersion(String key, int delta) {
        return incrVersion(key, -delta);
    }

    /**
     * Removes every entry of this cache: every version, hashed keys and the pieces of chunked
     * values. The same rule on every backend: under the default key function the cache owns the
     * stored keys of its prefix's shape ({@code prefix:<version>:key}, {@code prefix:~<hash>}),
     * so caches with other prefixes sharing the backend keep their entries, even one whose prefix
     * starts with this one's ({@code site} and {@code site:admin}); with a custom key function the
     * shape of the keys is unknown, so {@code clear} empties the whole store (the SQL table, the
     * directory, the Redis database, the memcached servers), as Django's {@code clear} always
     * does. Local memory caches hold their own entries only.
     *
     * @throws CacheException when the backend fails, whatever the error policy
     */
    void clear();

    /** The asynchronous face of this cache: the same operations and meaning. */
    AsyncCache async();

    /** Releases what the cache holds (connections, threads, memory). Idempotent. */
    @Override
    void close();

    // ---- namespaces ----

    /**
     * {@link #namespace(String, Duration)} with no hold: every operation reads the generation,
     * so an {@link Namespace#invalidate()} anywhere is seen at once.
     */
    default Namespace namespace(String name) {
        return namespace(name, Duration.ZERO);
    }

    /**
     * A view of this cache whose keys live in the namespace {@code name}, which
     * {@link Namespace#invalidate()} empties in O(1) on every backend; see {@link Namespace}.
     * Views of one name made from caches sharing a backend (in any process) share the entries
     * and the generation. A positive {@code generationHold} reuses a generation read for that
     * long in the returned view, saving a round trip per operation: within the hold, another
     * view's invalidation may not be seen.
     *
     * @param name any non-null string
     * @throws NullPointerException if {@code name} or {@code generationHold} is null
     * @throws IllegalArgumentException if {@code generationHold} is negative
     */
    default Namespace namespace(String name, Duration generationHold) {
        return dev.cachet.internal.Namespaces.create(this, name, generationHold);
    }

    /**
     * The at most {@code n} namespaces of this cache object read most often recently in this
     * process (their {@linkplain Namespace#path() paths}), most read first, estimated by a
     * bounded-memory frequency sketch over the reads of the namespaces made from this object
     * (see {@link Namespace#hotKeys(int)}); empty when none was made.
     *
     * @throws IllegalArgumentException if {@code n} is negative
     */
    default java.util.List<String> hotNamespaces(int n) {
        return dev.cachet.internal.Namespaces.hotNamespaces(this, n);
    }
}
