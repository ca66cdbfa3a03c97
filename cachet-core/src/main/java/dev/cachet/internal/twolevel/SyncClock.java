package dev.cachet.internal.twolevel;

/**
 * Until when the local level counts as confirmed in sync: the last moment (wall clock) before
 * which every invalidation published on the backplane is known to have been applied here, plus
 * the staleness bound. Written by {@link Receiver}, read on every local hit. Thread-safe.
 */
final class SyncClock {
    private volatile long syncedUntil = Long.MIN_VALUE;

    long syncedUntil() {
        return syncedUntil;
    }

    void set(long syncedUntil) {
        this.syncedUntil = syncedUntil;
    }
}
