package dev.cachet.spi;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The keys a bulk call of a {@link Store} failed on, collected part by part (a node, a hash
 * slot, a file), and the one rule for what the call then throws: nothing when no key failed; the
 * first failure itself when nothing was done (every part failed); otherwise a
 * {@link PartialFailureException} with what was done. Not thread-safe: one per call.
 */
public final class BulkFailures {
    private final Set<String> keys = new LinkedHashSet<>();
    private StoreException first;

    /** Records {@code failedKeys} as failed by {@code cause} (the first cause is kept). */
    public void add(Collection<String> failedKeys, StoreException cause) {
        if (first == null) {
            first = cause;
        }
        keys.addAll(failedKeys);
    }

    /** The failed keys, in the order recorded; the caller may add keys not stored to them. */
    public Set<String> keys() {
        return keys;
    }

    /** The first failure, or null. */
    public StoreException first() {
        return first;
    }

    /**
     * Throws when keys failed: {@link #first()} when {@code nothingDone}, else the exception
     * {@code partial} makes of these failures (typically with {@link PartialFailureException}'s
     * factories and {@link #first()}'s message).
     */
    public void throwIfAny(boolean nothingDone, Function<BulkFailures, PartialFailureException> partial) {
        if (first == null) {
            return;
        }
        if (nothingDone) {
            throw first;
        }
        throw partial.apply(this);
    }
}
