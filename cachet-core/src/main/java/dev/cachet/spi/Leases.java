package dev.cachet.spi;

/**
 * Server-side stampede protection a {@link Store} may offer through {@link Store#leases()}
 * (memcached's meta-protocol flags {@code N}, {@code W}/{@code Z}, {@code I}/{@code X}). Keys
 * and values are the store's; deadlines are epoch millis of the cache's clock, as everywhere in
 * the SPI.
 *
 * <p>The protocol:
 * <ol>
 *   <li>{@link #readOrLease} reads a key; on a miss the backend atomically creates an empty
 *       placeholder living until {@code leaseExpiresAt} and tells exactly one caller that it
 *       {@linkplain LeaseRead#won() won}; every other caller sees
 *       {@linkplain LeaseRead#leasedElsewhere() leased elsewhere} until the value is filled or the
 *       placeholder expires.</li>
 *   <li>The winner computes the value and calls {@link #fillLease} with the CAS it read: the
 *       write succeeds only if nothing else wrote the key meanwhile.</li>
 *   <li>{@link #invalidate} marks a value stale instead of deleting it: readers still get it
 *       (flagged {@linkplain LeaseRead#stale() stale}) while the first of them wins the
 *       recomputation.</li>
 * </ol>
 * Plain {@link Store#get} treats a placeholder and a stale value as misses. On memcached a plain
 * read of a stale key also takes the win token (memcached hands it to the first reader of any
 * kind), so code that invalidates keys should read them through {@link #readOrLease}.
 *
 * <p>Thread-safe. Backend failures throw {@link StoreException}.
 */
public interface Leases {
    /**
     * Reads {@code key}; on a miss, takes the lease on it until {@code leaseExpiresAt} if no one
     * holds it.
     */
    LeaseRead readOrLease(String key, long leaseExpiresAt);

    /**
     * Stores {@code value} until {@code expiresAt} if the item's CAS is still {@code cas} (from
     * {@link #readOrLease}); true when stored, false when another write came first or the
     * placeholder is gone.
     */
    boolean fillLease(String key, byte[] value, long expiresAt, long cas);

    /**
     * Marks the value of {@code key} stale, keeping it readable (stale) until
     * {@code staleExpiresAt} at most; true when the key held an item.
     */
    boolean invalidate(String key, long staleExpiresAt);
}
