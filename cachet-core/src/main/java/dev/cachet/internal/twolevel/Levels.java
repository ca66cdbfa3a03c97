package dev.cachet.internal.twolevel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local levels of one two-level cache, one per key version in use (the version views of a
 * cache share this object), with what they share: the clear counter and the {@link SyncClock}.
 * Thread-safe.
 */
final class Levels {
    private final ConcurrentMap<Integer, LocalLevel> byVersion = new ConcurrentHashMap<>();
    private final AtomicLong clears = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final SyncClock sync = new SyncClock();
    private final long maxEntries;
    private final long ttlMillis;
    private final long boundMillis;

    Levels(long maxEntries, long ttlMillis, long boundMillis) {
        this.maxEntries = maxEntries;
        this.ttlMillis = ttlMillis;
        this.boundMillis = boundMillis;
    }

    LocalLevel level(int version) {
        LocalLevel l = byVersion.get(version);
        return l != null ? l : byVersion.computeIfAbsent(version,
                v -> new LocalLevel(maxEntries, ttlMillis, boundMillis, sync, clears));
    }

    SyncClock sync() {
        return sync;
    }

    long boundMillis() {
        return boundMillis;
    }

    /** Drops the local copy of {@code target} ({@code version:key}, as {@link #target} makes it). */
    void invalidate(String target) {
        int colon = target.indexOf(':');
        if (colon <= 0) {
            clearAll();
            return;
        }
        int version;
        try {
            version = Integer.parseInt(target.substring(0, colon));
        } catch (NumberFormatException e) {
            clearAll();
            return;
        }
        LocalLevel l = byVersion.get(version);
        if (l != null) {
            l.invalidate(target.substring(colon + 1), Long.MAX_VALUE);
        }
    }

    /** The message target of {@code key} at {@code version}. */
    static String target(int version, String key) {
        return version + ":" + key;
    }

    /** Drops every local copy of every version. */
    void clearAll() {
        clears.incrementAndGet();
        for (LocalLevel l : byVersion.values()) {
            l.dropAll();
        }
    }

    /** {@link #clearAll()} because messages may have been lost; counted. */
    void reset() {
        resets.incrementAndGet();
        clearAll();
    }

    long resets() {
        return resets.get();
    }

    long size() {
        long n = 0;
        for (LocalLevel l : byVersion.values()) {
            n += l.size();
        }
        return n;
    }
}
