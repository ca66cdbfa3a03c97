package dev.cachet.internal.fresh;

import dev.cachet.Timeout;
import dev.cachet.internal.Stamped;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What the fresh-data pipeline ({@link FreshLoads}) needs from a cache: stamped reads and
 * writes under user keys, leases on a shared backend, time and an executor. Reads and writes
 * apply the cache's error policy (under degrade a failed read is a miss and a failed write is
 * {@code false}); tags are checked by the reads. Implemented by the core cache.
 */
public interface FreshStorage {
    /** The cache's name, for messages. */
    String cacheName();

    /** The cache's clock. */
    Clock clock();

    /** The stored key of {@code key}: the identity of a flight in this process. */
    String flightKey(String key);

    /** The entry of {@code key} (a value written without a stamp reads as fresh until it expires), or null on a miss. */
    Stamped read(String key);

    /** The entries of {@code keys} that hit, as {@link #read} sees them. */
    Map<String, Stamped> readMany(Collection<String> keys);

    /** Stores {@code entry} under {@code key} until its deadline; false when it was not stored. */
    boolean write(String key, Stamped entry);

    /** The absolute deadline of {@code timeout} from now ({@link dev.cachet.spi.Store#NEVER} for forever), or {@link Long#MIN_VALUE} when it stores nothing readable. */
    long deadline(Timeout timeout);

    /** True when processes share the backend, so loads need leases across processes. */
    boolean shared();

    /** Takes the load lease of {@code key} with {@code token} until {@code until}; false when another holds it. */
    boolean tryLease(String key, String token, long until);

    /** Releases the lease of {@code key} if {@code token} still holds it. */
    void releaseLease(String key, String token);

    /** The cache's bounded executor for background loads. */
    Executor executor();
}
