package dev.cachet.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Caffeine caches behind the local-memory backend: per-entry expiry, a ticker that
 * follows the cache's clock, and a bound of {@code max_entries} and/or {@code max_bytes}.
 *
 * <p>A value held as a {@link TimedValue} expires at its deadline ({@link #KEEP_EXPIRY}: an
 * update that keeps the entry's expiry). By reference, any other value is held as it is and
 * lives for the cache's default timeout from its write: that is how a write with the default
 * timeout is stored, with no wrapper and no clock read of its own.
 *
 * <p>Both bounds at once: each entry weighs {@code max(bytes, maxBytes / maxEntries)}, so a
 * total weight within {@code maxBytes} keeps both the entry count and the bytes within their
 * bounds (Caffeine cannot bound size and weight together).
 */
final class CaffeineMaps {
    private CaffeineMaps() {
    }

    private static final long NANOS_PER_MILLI = 1_000_000;

    /** A {@link TimedValue#expiresAt()} meaning: keep the entry's current expiry (for incr). */
    static final long KEEP_EXPIRY = Long.MIN_VALUE + 1;

    /** Per-entry overhead counted against max_bytes besides key and value bytes. */
    static final int ENTRY_OVERHEAD = 64;

    /** The by-value map: stored keys to {@link TimedValue}s of byte arrays. */
    static Cache<String, TimedValue> byValue(Clock clock, long maxEntries, long maxBytes) {
        Caffeine<Object, Object> b = builder(clock, 0);
        if (maxBytes > 0) {
            long floor = Math.max(1, maxBytes / maxEntries);
            b.maximumWeight(maxBytes).weigher((Object k, Object v) -> {
                long bytes = (long) ((String) k).length() * 2 + ENTRY_OVERHEAD
                        + (((TimedValue) v).value() instanceof byte[] a ? a.length : 0);
                return (int) Math.min(Integer.MAX_VALUE, Math.max(bytes, floor));
            });
        } else {
            b.maximumSize(maxEntries);
        }
        return b.build();
    }

    /**
     * The by-reference map: values as they are (living {@code defaultMillis}, the default
     * timeout; {@link Long#MAX_VALUE} for forever) or as {@link TimedValue}s.
     */
    static Cache<Object, Object> byReference(Clock clock, long maxEntries, long defaultMillis) {
        return builder(clock, defaultMillis).maximumSize(maxEntries).build();
    }

    private static Caffeine<Object, Object> builder(Clock clock, long defaultMillis) {
        Caffeine<Object, Object> b = Caffeine.newBuilder();
        // The ticker reads the cache's clock, so the time Caffeine hands the expiry is the
        // clock's: an entry expires exactly at its deadline and the expiry needs no clock read
        // of its own (a write reads the clock once for the deadline and once in Caffeine).
        if (clock.equals(Clock.systemUTC())) {
            b.ticker(() -> System.currentTimeMillis() * NANOS_PER_MILLI);
        } else {
            b.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        }
        return b.expireAfter(new DeadlineExpiry(defaultMillis));
    }

    private static long nanos(long millis) {
        return millis >= Long.MAX_VALUE / NANOS_PER_MILLI ? Long.MAX_VALUE : millis * NANOS_PER_MILLI;
    }

    /**
     * Expires each entry at its own deadline. {@code currentTime} is the ticker's, that is the
     * cache's clock in nanoseconds.
     */
    private static final class DeadlineExpiry implements Expiry<Object, Object> {
        private final long defaultNanos;

        DeadlineExpiry(long defaultMillis) {
            this.defaultNanos = nanos(defaultMillis);
        }

        private static long nanosLeft(TimedValue v, long currentTime) {
            if (v.expiresAt() == Store.NEVER) {
                return Long.MAX_VALUE;
            }
            long millis = v.expiresAt() - currentTime / NANOS_PER_MILLI;
            return millis <= 0 ? 0 : nanos(millis);
        }

        @Override
        public long expireAfterCreate(Object key, Object value, long currentTime) {
            return value instanceof TimedValue t ? nanosLeft(t, currentTime) : defaultNanos;
        }

        @Override
        public long expireAfterUpdate(Object key, Object value, long currentTime, long currentDuration) {
            if (value instanceof TimedValue t) {
                return t.expiresAt() == KEEP_EXPIRY ? currentDuration : nanosLeft(t, currentTime);
            }
            return defaultNanos;
        }

        @Override
        public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
