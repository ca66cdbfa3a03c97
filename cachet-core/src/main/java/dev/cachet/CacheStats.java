package dev.cachet;

/**
 * A snapshot of what a cache's fresh-data pipeline ({@code getOrSet}, {@code getOrSetMany},
 * {@code refresh}, {@code prefetch}) did since the cache was opened, shared by its version views
 * and namespaces. Plain reads ({@code get}, {@code getMany}) are not counted here: they stay as
 * cheap as the backend allows, and the metrics decorator counts them.
 *
 * @param hits calls answered by a fresh value
 * @param misses calls that found no value and loaded (or waited for a load)
 * @param staleServed calls answered by a stale value (while a refresh runs, on a lease held
 *     elsewhere, after a soft loader timeout, or by fail-safe)
 * @param loads loader runs in this process (foreground and background)
 * @param loadFailures loader runs that threw or passed the hard loader timeout
 * @param failSafeActivations times a stale value stood in for a failed or timed-out load
 * @param leaseWins leases taken on a shared backend (this process loaded)
 * @param leaseWaits times a caller found the lease held by another process and waited or served stale
 * @param refreshesStarted background refreshes handed to the executor
 * @param refreshesDropped background refreshes the executor refused (full)
 * @param refreshesFailed background refreshes whose loader failed
 * @param earlyRefreshes refreshes started before expiry by eager refresh or XFetch
 */
public record CacheStats(long hits, long misses, long staleServed, long loads, long loadFailures,
        long failSafeActivations, long leaseWins, long leaseWaits, long refreshesStarted, long refreshesDropped,
        long refreshesFailed, long earlyRefreshes) {
    /** Every count zero. */
    public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
