package dev.cachet;

/**
 * What a cache does when its backend is down or answers garbage. Bad arguments (keys,
 * values, options) always throw {@link IllegalArgumentException} whatever the policy.
 * Whatever the policy, failures are logged once per burst, not once per call.
 */
public enum ErrorPolicy {
    /** Throw a {@link CacheException} naming the cache and the cause. */
    RAISE,
    /**
     * Reads are misses ({@code get} returns the default, {@code hasKey} false, {@code getMany}
     * leaves the keys out); writes report failure in their return value ({@code set},
     * {@code add}, {@code touch}, {@code delete} return false, {@code setMany} returns every
     * key, {@code deleteMany} 0). A bulk call that failed for some keys only keeps what worked:
     * {@code getMany} the values it read, {@code setMany} returns the keys that failed,
     * {@code deleteMany} counts what it removed. Operations that cannot report failure in their result
     * ({@code incr}, {@code decr}, {@code incrVersion}, {@code decrVersion}, {@code clear})
     * still throw {@link CacheException}.
     */
    DEGRADE
}
