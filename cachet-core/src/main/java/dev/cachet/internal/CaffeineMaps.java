package dev.cachet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Caffeine caches behind the local-memory backend: per-entry expiry from each
 * {@link TimedValue}'s deadline, a ticker that follows the cache's clock, and a bound of
 * {@code max_entries} and/or {@code max_bytes}.
 *
 * <p>Both bounds at once: each entry weighs {@code max(bytes, maxBytes / maxEntries)}, so a
 * total weight within {@code maxBytes} keeps both the entry count and the bytes within their
 * bounds (Caffeine cannot bound size and weight together).
 */
final class CaffeineMaps {
    private CaffeineMaps() {
    }

    private static final long NANOS_PER_MILLI = 1_000_000;

    /** Per-entry overhead counted against max_bytes besides key and value bytes. */
    static final int ENTRY_OVERHEAD = 64;

    /** A cache keyed by {@code K}; {@code maxBytes > 0} (a weight by key length) needs String keys. */
    static <K> Cache<K, TimedValue> build(Clock clock, long maxEntries, long maxBytes) {
        Caffeine<Object, Object> b = Caffeine.newBuilder();
        // The ticker reads the cache's clock, so the time Caffeine hands the expiry is the
        // clock's: an entry expires exactly at its deadline and the expiry needs no clock read
        // of its own (a write reads the clock once for the deadline and once in Caffeine).
        if (clock.equals(Clock.systemUTC())) {
            b.ticker(() -> System.currentTimeMillis() * NANOS_PER_MILLI);
        } else {
            b.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        }
        Caffeine<Object, TimedValue> typed = b.expireAfter(new DeadlineExpiry());
        if (maxBytes > 0) {
            long floor = Math.max(1, maxBytes / maxEntries);
            typed.maximumWeight(maxBytes).weigher((Object k, TimedValue v) -> {
                long bytes = (long) ((String) k).length() * 2 + ENTRY_OVERHEAD
                        + (v.value() instanceof byte[] a ? a.length : 0);
                return (int) Math.min(Integer.MAX_VALUE, Math.max(bytes, floor));
            });
        } else {
            typed.maximumSize(maxEntries);
        }
        return typed.build();
    }

    /**
     * Expires each entry at its own deadline. {@code currentTime} is the ticker's, that is the
     * cache's clock in nanoseconds.
     */
    private static final class DeadlineExpiry implements Expiry<Object, TimedValue> {
        private static long nanosLeft(TimedValue v, long currentTime) {
            if (v.expiresAt() == Store.NEVER) {
                return Long.MAX_VALUE;
            }
            long millis = v.expiresAt() - currentTime / NANOS_PER_MILLI;
            return millis <= 0 ? 0 : millis >= Long.MAX_VALUE / NANOS_PER_MILLI ? Long.MAX_VALUE : millis * NANOS_PER_MILLI;
        }

        @Override
        public long expireAfterCreate(Object key, TimedValue value, long currentTime) {
            return nanosLeft(value, currentTime);
        }

        @Override
        public long expireAfterUpdate(Object key, TimedValue value, long currentTime, long currentDuration) {
            return nanosLeft(value, currentTime);
        }

        @Override
        public long expireAfterRead(Object key, TimedValue value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
