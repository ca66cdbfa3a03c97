package dev.cachet.internal.twolevel;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.Lookup;
import dev.cachet.internal.Stamped;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The local level of one version view: Caffeine, bounded by entry count, holding by reference
 * the values read from the shared level, or the stamped entries ({@link Stamped}) the fresh-data
 * pipeline read or wrote (plain reads see their values), with two deadlines per entry.
 *
 * <p><b>The read path enforces the staleness bound.</b> An entry is served only while
 * {@code now < expiresAt} (its local timeout, capped by the timeout of a write made here) and
 * either {@code now <= freshUntil} (at most {@code bound} after its read from the shared level
 * started) or {@code now <= syncedUntil} (at most {@code bound} after the last moment the
 * backplane confirmed that every invalidation published before it has been applied here). So
 * whatever the network does, a value is never served more than the bound after the write that
 * replaced it was acknowledged: an entry older than that write is dropped by its invalidation,
 * or refused because no confirmation newer than the write came.
 *
 * <p><b>Fills never resurrect an old value.</b> An invalidation bumps a counter of the key's
 * stripe (a clear bumps a global one) before it removes the entry; a fill reads the counters
 * before it reads the shared level and removes what it put if they moved meanwhile.
 * Thread-safe.
 */
final class LocalLevel {
    private static final int STRIPES = 64;
    private static final long FOREVER = Long.MAX_VALUE;

    /** A local copy ({@code present}) or a ceiling left by a write here: no value, but fills expire by {@code expiresAt}. */
    record Entry(Object value, boolean present, long expiresAt, long freshUntil) {
    }

    private final ConcurrentMap<String, Entry> map;
    private final long ttlMillis;
    private final long boundMillis;
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private final AtomicLong clears;
    private final SyncClock sync;

    LocalLevel(long maxEntries, long ttlMillis, long boundMillis, SyncClock sync, AtomicLong clears) {
        this.map = Caffeine.newBuilder().maximumSize(maxEntries).<String, Entry>build().asMap();
        this.ttlMillis = ttlMillis;
        this.boundMillis = boundMillis;
        this.sync = sync;
        this.clears = clears;
    }

    /** The value of the local copy of {@code key} if it may be served at {@code now}, else {@code null}. */
    Lookup<Object> get(String key, long now) {
        Entry e = servable(key, now);
        return e == null ? null : Lookup.hit(Stamped.unwrap(e.value));
    }

    /** The local copy of {@code key} if it may be served at {@code now} and is a stamped entry, else {@code null}. */
    Stamped stamped(String key, long now) {
        Entry e = servable(key, now);
        return e != null && e.value instanceof Stamped s ? s : null;
    }

    private Entry servable(String key, long now) {
        if (key == null) {
            return null; // the shared cache refuses it, naming the problem
        }
        Entry e = map.get(key);
        if (e == null || !e.present) {
            return null;
        }
        if (now >= e.expiresAt) {
            map.remove(key, e);
            return null;
        }
        if (now > e.freshUntil && now > sync.syncedUntil()) {
            return null; // not confirmed in sync within the bound: read the shared level
        }
        return e;
    }

    /** What {@link #fill} compares: read it before reading the shared level. */
    long stamp(String key) {
        if (key == null) {
            return 0;
        }
        return stripes.get(stripe(key)) + clears.get();
    }

    /**
     * Keeps {@code value}, read from the shared level in a read that started at {@code startedAt}
     * after {@link #stamp} returned {@code stamp}, unless an invalidation came since.
     */
    void fill(String key, Object value, long stamp, long startedAt) {
        fill(key, value, stamp, startedAt, FOREVER);
    }

    /** {@link #fill(String, Object, long, long)}, the copy kept no later than {@code deadline} ({@link Long#MAX_VALUE} for no limit). */
    void fill(String key, Object value, long stamp, long startedAt, long deadline) {
        if (ttlMillis <= 0 || key == null) {
            return;
        }
        Entry put = keep(key, value, startedAt, deadline);
        if (stamp(key) != stamp) {
            map.remove(key, put);
        }
    }

    /**
     * Keeps {@code value}, which this instance has just written to the shared level in a write
     * that started at {@code startedAt} after {@link #stamp} returned {@code stamp}: first drops
     * what is held, as an invalidation does (so a fill of a read that may have started before the
     * write is not kept), then keeps {@code value} unless another invalidation came since
     * {@code stamp} (a write elsewhere may have followed this one). Kept no later than
     * {@code deadline}, which stays as a ceiling if the copy is not kept.
     */
    void written(String key, Object value, long stamp, long startedAt, long deadline) {
        if (key == null) {
            return;
        }
        invalidate(key, deadline);
        if (ttlMillis <= 0) {
            return;
        }
        Entry put = keep(key, value, startedAt, deadline);
        if (stamp(key) != stamp + 1) { // this write's own invalidation is the one move allowed
            map.remove(key, put);
        }
    }

    private Entry keep(String key, Object value, long startedAt, long deadline) {
        return map.compute(key, (k, old) -> {
            long ceiling = Math.min(deadline, old != null && !old.present ? old.expiresAt : FOREVER);
            return new Entry(value, true, Math.min(saturatedAdd(startedAt, ttlMillis), ceiling),
                    saturatedAdd(startedAt, boundMillis));
        });
    }

    /**
     * Drops the local copy of {@code key}; a write made here with a deadline passes it as
     * {@code ceiling}, so that a copy filled later never outlives the shared entry
     * ({@link Long#MAX_VALUE} for none).
     */
    void invalidate(String key, long ceiling) {
        if (key == null) {
            return;
        }
        stripes.incrementAndGet(stripe(key));
        if (ceiling == FOREVER) {
            map.remove(key);
        } else {
            map.put(key, new Entry(null, false, ceiling, ceiling));
        }
    }

    /** Drops every entry (the caller bumped the shared clear counter first). */
    void dropAll() {
        map.clear();
    }

    long size() {
        return map.size();
    }

    private static int stripe(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }
}
