package dev.cachet.internal;

import dev.cachet.Lookup;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PutMode;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Object-level storage under stored keys with absolute deadlines (epoch millis;
 * {@link dev.cachet.spi.Store#NEVER} for none). Either objects by reference (local memory) or
 * the entry format over a byte {@link dev.cachet.spi.Store}. Deadlines passed in are always in
 * the future. Backend failures surface as {@link dev.cachet.spi.StoreException} or
 * {@link java.io.UncheckedIOException}; a bulk call that failed for some keys as
 * {@link PartialEntriesException} ({@code getMany}) or
 * {@link dev.cachet.spi.PartialFailureException} ({@code putMany}, {@code deleteMany}); bad
 * values as {@link IllegalArgumentException}. The core ({@link CoreCache}) applies the error
 * policy to all of them.
 */
public interface EntryStore extends AutoCloseable {
    /** What {@link #getOrMissing} returns on a miss (a stored null is a hit, so null cannot be). */
    Object MISSING = new Object();

    Lookup<Object> get(String key);

    /**
     * {@link #get} without the {@link Lookup}: the value of a hit (maybe null), or
     * {@link #MISSING}. A store may override it to read without allocating.
     */
    default Object getOrMissing(String key) {
        Lookup<Object> l = get(key);
        return l.isHit() ? l.value() : MISSING;
    }

    /** Hits only; a stored null maps to null. */
    Map<String, Object> getMany(Collection<String> keys);

    /** Throws what {@link #put} would throw for a value it cannot store, storing nothing. */
    void check(Object value);

    boolean put(String key, Object value, long expiresAt, PutMode mode);

    /** Returns the keys not stored. */
    Set<String> putMany(Map<String, Object> entries, long expiresAt);

    boolean delete(String key);

    /**
     * Removes {@code key} only when it holds {@code expected} (equal by {@code equals}, or by the
     * bytes it encodes to), in one atomic step where the backend has one: a lease's release.
     */
    boolean deleteIfEquals(String key, Object expected);

    int deleteMany(Collection<String> keys);

    boolean touch(String key, long expiresAt);

    boolean has(String key);

    /** The new value, or null when the key holds nothing readable. */
    Long incr(String key, long delta);

    /** Removes every entry {@code scope} owns. */
    void clear(KeyScope scope);

    boolean isBlocking();

    @Override
    void close();
}
