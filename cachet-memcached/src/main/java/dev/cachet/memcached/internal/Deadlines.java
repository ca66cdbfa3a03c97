package dev.cachet.memcached.internal;

import dev.cachet.spi.Store;

/**
 * How an entry's deadline (epoch millis of the cache's clock) is kept in memcached, so that it
 * can be checked at read time to the millisecond.
 *
 * <p>memcached's own TTL is whole seconds on a clock that ticks once a second, so an item may
 * expire up to a second early ("a TTL of 1 will sometimes immediately expire"). cachet
 * therefore sends a TTL one second longer than the deadline needs (memcached never drops an
 * entry before its deadline, unless evicted), and keeps the exact deadline in the item's 32-bit
 * client flags, as its low 32 bits. A read asks for the flags and the remaining TTL ({@code f t}):
 * the remaining TTL places the deadline within a few seconds, and the flags pin it to the
 * millisecond (2^32 ms is 49 days, far wider than that uncertainty). An entry is readable while
 * the cache clock is before its deadline. No expiry is TTL 0 and flags 0 ({@code t-1} on read).
 *
 * <p>TTLs over 30 days are sent as absolute Unix time, as memcached requires; deadlines past
 * 2038-01-19 are capped there (memcached reads the TTL as a signed 32-bit number).
 */
final class Deadlines {
    static final long THIRTY_DAYS = 60L * 60 * 24 * 30;

    private Deadlines() {
    }

    /** The TTL token for {@code expiresAt}: relative seconds, absolute Unix seconds past 30 days, 0 for never. */
    static long ttl(long expiresAt, long nowMillis, long wallMillis) {
        if (expiresAt == Store.NEVER) {
            return 0;
        }
        long remaining = Math.max(1, expiresAt - nowMillis);
        long seconds = remaining / 1000 + (remaining % 1000 == 0 ? 0 : 1) + 1;
        if (seconds <= THIRTY_DAYS) {
            return seconds;
        }
        return Math.min(Integer.MAX_VALUE, wallMillis / 1000 + seconds);
    }

    /** The {@code T<ttl> F<flags>} flags of a write until {@code expiresAt}, the cache's clock reading {@code nowMillis}. */
    static String ttlAndFlags(long expiresAt, long nowMillis) {
        return "T" + ttl(expiresAt, nowMillis, System.currentTimeMillis()) + " F" + flags(expiresAt);
    }

    /** The client flags for {@code expiresAt}. */
    static long flags(long expiresAt) {
        return expiresAt == Store.NEVER ? 0 : expiresAt & 0xffffffffL;
    }

    /** The deadline an item's flags and remaining TTL ({@code -1}: none) give, read at {@code nowMillis}. */
    static long deadline(long flags, long ttlSeconds, long nowMillis) {
        if (ttlSeconds < 0) {
            return Store.NEVER;
        }
        // the TTL was sent one second long; the server's clock adds up to a second either way
        long approx = nowMillis + ttlSeconds * 1000 - 1000;
        long base = (approx & ~0xffffffffL) | (flags & 0xffffffffL);
        // of base - 2^32, base, base + 2^32, the one nearest to the estimate
        long diff = base - approx;
        if (diff > 1L << 31) {
            return base - (1L << 32);
        }
        if (diff < -(1L << 31)) {
            return base + (1L << 32);
        }
        return base;
    }
}
