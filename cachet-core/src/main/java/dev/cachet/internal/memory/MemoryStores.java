package dev.cachet.internal.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Opens the local-memory backend's stores: the Caffeine caches behind them.
 *
 * <p>By value: per-entry expiry at each {@link TimedValue}'s deadline, with a ticker that
 * follows the cache's clock (so an entry expires exactly at its deadline), and a bound of
 * {@code max_entries} and/or {@code max_bytes}. Both bounds at once: each entry weighs
 * {@code max(bytes, maxBytes / maxEntries)}, so a total weight within {@code maxBytes} keeps
 * both the entry count and the bytes within their bounds (Caffeine cannot bound size and
 * weight together).
 *
 * <p>By reference: a size bound only; {@link ReferenceEntryStore} checks deadlines itself.
 */
public final class MemoryStores {
    private MemoryStores() {
    }

    private static final long NANOS_PER_MILLI = 1_000_000;

    /** Per-entry overhead counted against max_bytes besides key and value bytes. */
    static final int ENTRY_OVERHEAD = 64;

    /**
     * The by-value byte store: at most {@code maxEntries} entries, or {@code maxBytes} bytes when
     * positive, each value at most {@code maxItemBytes} (larger ones the core chunks).
     */
    public static Store byValue(Clock clock, long maxEntries, long maxBytes, long maxItemBytes) {
        return new MemoryStore(byValue(clock, maxEntries, maxBytes), maxItemBytes);
    }

    /** The by-value map: stored keys to {@link TimedValue}s of byte arrays. */
    static Cache<String, TimedValue> byValue(Clock clock, long maxEntries, long maxBytes) {
        Caffeine<Object, Object> b = Caffeine.newBuilder();
        if (clock.equals(Clock.systemUTC())) {
            b.ticker(() -> System.currentTimeMillis() * NANOS_PER_MILLI);
        } else {
            b.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
        }
        Caffeine<String, TimedValue> typed = b.expireAfter(new DeadlineExpiry());
        if (maxBytes > 0) {
            long floor = Math.max(1, maxBytes / maxEntries);
            typed.maximumWeight(maxBytes).weigher((String k, TimedValue v) -> {
                long bytes = (long) k.length() * 2 + ENTRY_OVERHEAD + (v.value() instanceof byte[] a ? a.length : 0);
                return (int) Math.min(Integer.MAX_VALUE, Math.max(bytes, floor));
            });
        } else {
            typed.maximumSize(maxEntries);
        }
        return typed.build();
    }

    /** The by-reference map, for {@link ReferenceEntryStore}: a size bound only. */
    public static Cache<Object, Object> byReference(long maxEntries) {
        return Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    /** Expires each entry at its own deadline; {@code currentTime} is the clock in nanoseconds. */
    private static final class DeadlineExpiry implements Expiry<String, TimedValue> {
        private static long nanosLeft(TimedValue v, long currentTime) {
            if (v.expiresAt() == Store.NEVER) {
                return Long.MAX_VALUE;
            }
            long millis = v.expiresAt() - currentTime / NANOS_PER_MILLI;
            return millis <= 0 ? 0 : millis >= Long.MAX_VALUE / NANOS_PER_MILLI ? Long.MAX_VALUE : millis * NANOS_PER_MILLI;
        }

        @Override
        public long expireAfterCreate(String key, TimedValue value, long currentTime) {
            return nanosLeft(value, currentTime);
        }

        @Override
        public long expireAfterUpdate(String key, TimedValue value, long currentTime, long currentDuration) {
            return nanosLeft(value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, TimedValue value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
