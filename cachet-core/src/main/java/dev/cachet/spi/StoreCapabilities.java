package dev.cachet.spi;

/**
 * What a {@link Store} can do, for the core (and decorators) to use without knowing the
 * backend's class.
 *
 * @param maxItemBytes the largest value (in bytes) one entry may hold; the core chunks larger
 *     values
 * @param blocking true when calls block on I/O (the async face then runs them on an executor)
 * @param nativeExpiry true when the backend removes expired entries by itself (a server TTL);
 *     expiry is checked at read time either way
 * @param atomicIncr true when {@link Store#incr} is one atomic step on the backend (a server
 *     command or a single statement), false when it is a read and a write under the store's
 *     own lock
 * @param leases true when {@link Store#leases()} offers server-side stampede protection
 */
public record StoreCapabilities(long maxItemBytes, boolean blocking, boolean nativeExpiry, boolean atomicIncr,
        boolean leases) {
    /** Checks the item limit. */
    public StoreCapabilities {
        if (maxItemBytes < 1) {
            throw new IllegalArgumentException("maxItemBytes must be positive, not " + maxItemBytes);
        }
    }
}
