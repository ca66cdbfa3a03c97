package dev.cachet.internal;

import dev.cachet.spi.StoreException;
import java.util.Map;

/**
 * A {@link EntryStore#getMany} that read some keys and failed on others: the decoded values of
 * the keys read, with the store's failure (a {@link dev.cachet.spi.PartialFailureException}) as its cause. The core applies
 * the error policy to it (raise: an exception; degrade: the values read, the rest misses).
 */
public final class PartialEntriesException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> found;

    /** The values read, {@code found}, of a call that {@code cause} (which names the failed keys) ended. */
    public PartialEntriesException(Map<String, Object> found, Throwable cause) {
        super(cause.getMessage(), cause);
        this.found = found;
    }

    /** The values read (stored keys to values; a stored null maps to null). */
    public Map<String, Object> found() {
        return found;
    }
}
