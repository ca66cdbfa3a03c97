package dev.cachet.spi;

/**
 * What {@link Leases#readOrLease} saw: the value if the key held a readable one, and the
 * server's stampede-protection verdict.
 *
 * @param value the entry's bytes, or null on a miss (including a lease placeholder, which has
 *     no value)
 * @param cas the item's CAS token (of the placeholder on a miss), to pass to
 *     {@link Leases#fillLease}; 0 when the key is absent
 * @param won true when this caller won the right to recompute the value (memcached's {@code W}):
 *     on a miss it created the placeholder; on a stale hit it is the first to see it stale
 * @param stale true when the value was invalidated by {@link Leases#invalidate} and is
 *     served stale ({@code X}); the value is still returned
 * @param leasedElsewhere true when another caller already holds the win ({@code Z}): wait, retry
 *     or use the stale value rather than recompute
 */
public record LeaseRead(byte[] value, long cas, boolean won, boolean stale, boolean leasedElsewhere) {
    /** True when a value came back (fresh or stale). */
    public boolean hasValue() {
        return value != null;
    }
}
