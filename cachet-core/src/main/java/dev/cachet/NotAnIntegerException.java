package dev.cachet;

/**
 * {@code incr} or {@code decr} found a value that is not an integer. The message names the
 * key. The stored value is left as it was.
 */
public class NotAnIntegerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** A non-integer value under a key that was to be incremented. */
    public NotAnIntegerException(String message) {
        super(message);
    }
}
