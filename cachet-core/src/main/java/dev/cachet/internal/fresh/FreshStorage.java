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
 * {@code false}); tags are checked by the reads. Implemented by the core cache, and wrapped by
 * the two-level cache, which keeps the entries it reads and writes in its local level.
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

    /**
     * {@link #read}, from the backend itself: the reads the pipeline makes right before it loads
     * (in its flight, under the lease, while another process holds the lease) must see what
     * another process stored meanwhile, not a copy kept in this process. The same as
     * {@link #read} for a storage that keeps no copies.
     */
    default Stamped readAgain(String key) {
        return read(key);
    }

    /**
     * Of {@code held} (entries by key that {@link #read} or {@link #write} gave earlier and that
     * are kept in this process), those whose tags are still current, checked as {@link #read}
     * checks them: one read of their tags' versions for all, none when they are untagged; a
     * failure follows the error policy (under degrade the tagged ones are left out).
     */
    Map<String, Stamped> current(Map<String, Stamped> held);

    /** {@code entry} as {@link #read} returns it once {@link #write} stored it (its value normalized as stored values are). */
    Stamped asStored(Stamped entry);

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
