package dev.cachet.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The byte-level primitives a backend implements; Django's semantics live once, above it,
 * in the core. Keys arrive already made safe by the key policy: at most 250 UTF-8 bytes, no
 * spaces or control characters (they may hold any other Unicode). Values are opaque bytes
 * (the core's entry envelope, or a plain decimal integer). Expiry is an absolute deadline in
 * epoch milliseconds of the cache's clock; {@link #NEVER} means no expiry; a deadline at or
 * before now is never passed in (the core turns it into a delete).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>An entry whose deadline has passed is never returned: expiry is checked at read time
 *       even where the backend also expires entries by itself. The one allowance: a server
 *       that counts an entry's time left from the write's arrival (so that a server clock that
 *       differs from the application's does not shorten or stretch it) may keep the entry up
 *       to that write's transit time past its deadline.</li>
 *   <li>{@link PutMode#ADD} is atomic: among concurrent adds of one key (from any thread or
 *       process sharing the backend) exactly one wins.</li>
 *   <li>{@link #incr} is atomic, keeps the entry's deadline, and fails with
 *       {@link dev.cachet.NotAnIntegerException} for a value that is not a decimal integer.
 *       (The core only ever writes plain decimals; a server that does the arithmetic itself may
 *       take a little more of a value written by someone else: memcached skips leading
 *       spaces.)</li>
 *   <li>Values are never empty: the core's entries always hold at least a header byte (a
 *       store may read an empty item as absent, as memcached's lease placeholders are).</li>
 *   <li>A value is stored whole or not at all: no reader ever sees half of a write.</li>
 *   <li>{@link #clear(KeyScope)} removes exactly the entries its scope owns, unless the user
 *       chose a backend option that widens it (Redis' and memcached's {@code flush_on_clear},
 *       for a database or servers that hold this cache alone).</li>
 *   <li>Backend failures throw {@link StoreException}; a bulk call that failed for some keys
 *       and not others throws {@link PartialFailureException} with what it did. A store never
 *       applies an error policy itself (it never reads {@code on_error}): the core does, once.</li>
 *   <li>Implementations are thread-safe.</li>
 * </ul>
 */
public interface Store extends AutoCloseable {
    /** The deadline of an entry that never expires. */
    long NEVER = Long.MAX_VALUE;

    /** What this store can do: its item limit, whether it blocks, and the rest. Constant. */
    StoreCapabilities capabilities();

    /**
     * Server-side stampede protection, when the backend has it (memcached's leases);
     * {@code Optional.empty()} by default. Present exactly when {@link #capabilities()} says
     * {@code leases}.
     */
    default java.util.Optional<Leases> leases() {
        return java.util.Optional.empty();
    }

    /** The readable value of {@code key}, or {@code null}. */
    byte[] get(String key);

    /**
     * The readable values of {@code keys}; misses are absent.
     *
     * @throws PartialFailureException when some keys could not be read (it holds the others')
     */
    Map<String, byte[]> getMany(Collection<String> keys);

    /**
     * Stores {@code value} under {@code key} until {@code expiresAt} per {@code mode}.
     *
     * @return true when stored; false when {@code mode} forbade it
     */
    boolean put(String key, byte[] value, long expiresAt, PutMode mode);

    /**
     * Stores every entry (mode SET) until {@code expiresAt}.
     *
     * @return the keys that were not stored although the backend worked (normally none)
     * @throws PartialFailureException when the backend failed for some keys (the others are stored)
     */
    Set<String> putMany(Map<String, byte[]> entries, long expiresAt);

    /** Removes {@code key}; true when a readable entry was removed. */
    boolean delete(String key);

    /**
     * Removes {@code keys}; returns how many readable entries were removed.
     *
     * @throws PartialFailureException when some keys could not be deleted (it holds the count of the others)
     */
    int deleteMany(Collection<String> keys);

    /** Sets a readable entry's deadline; false when the key holds nothing readable. */
    boolean touch(String key, long expiresAt);

    /**
     * Sets a readable entry's deadline, as {@link #touch} does, and returns the length in bytes
     * of its value, or -1 when the key holds nothing readable (then nothing changes). The core
     * uses it where values may be chunked: only a value of a chunk manifest's length needs
     * reading back, to touch its pieces too. The default makes two calls ({@link #touch}, then
     * {@link #get}); a backend that can answer both in one round trip should.
     */
    default long touchAndLength(String key, long expiresAt) {
        if (!touch(key, expiresAt)) {
            return -1;
        }
        byte[] v = get(key);
        return v == null ? -1 : v.length;
    }

    /**
     * Removes {@code key} only when it holds a readable entry whose bytes equal {@code expected}:
     * the release of a lease taken with {@link PutMode#ADD}, which must not remove a lease another
     * caller took after this one's expired. Backends make it one atomic step (a compare-and-delete
     * script, a conditional statement, a CAS-checked delete, the store's lock); the default reads
     * and then deletes, so a write landing between the two can be removed: a backend should
     * override it.
     *
     * @return true when this call removed the entry
     */
    default boolean deleteIfEquals(String key, byte[] expected) {
        byte[] current = get(key);
        return current != null && java.util.Arrays.equals(current, expected) && delete(key);
    }

    /** True when {@code key} holds a readable entry. */
    default boolean has(String key) {
        return get(key) != null;
    }

    /**
     * Atomically adds {@code delta} to the plain-decimal integer under {@code key}, keeping its
     * deadline.
     *
     * @return the new value, or {@code null} when the key holds nothing readable
     * @throws dev.cachet.NotAnIntegerException when the value is not a plain decimal integer
     * @throws ArithmeticException on overflow
     */
    Long incr(String key, long delta);

    /**
     * Removes every entry {@code scope} {@linkplain KeyScope#owns owns} and nothing else (for
     * {@link KeyScope#everything()}, every entry of the store). Entries written concurrently
     * may or may not survive.
     */
    void clear(KeyScope scope);

    // ---- inspection: for tools (cachet stats, keys, ttl), not for the core ----

    /**
     * Live figures of the entries {@code scope} owns, and of the store, measured now (this may
     * read every key of the scope, as {@link #clear} does). The default knows nothing.
     *
     * @throws StoreException when the backend fails
     */
    default StoreStats stats(KeyScope scope) {
        return StoreStats.NOTHING_KNOWN;
    }

    /**
     * The deadline of {@code key}'s readable entry: epoch milliseconds of the cache's clock,
     * {@link #NEVER} when it never expires, or {@link #NO_ENTRY} when the key holds nothing
     * readable.
     *
     * @throws UnsupportedOperationException when the backend cannot tell (the default)
     * @throws StoreException when the backend fails
     */
    default long expiresAt(String key) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot tell an entry's deadline");
    }

    /** What {@link #expiresAt} returns for a key that holds nothing readable. */
    long NO_ENTRY = -1;

    /**
     * Up to {@code limit} stored keys that {@code scope} owns and that hold readable entries,
     * in no particular order; {@code Optional.empty()} when the backend cannot list its keys
     * (the default).
     *
     * @throws IllegalArgumentException if {@code limit} is negative
     * @throws StoreException when the backend fails
     */
    default java.util.Optional<java.util.List<String>> keys(KeyScope scope, int limit) {
        return java.util.Optional.empty();
    }

    /** Releases connections, files and threads. Idempotent. */
    @Override
    void close();
}
