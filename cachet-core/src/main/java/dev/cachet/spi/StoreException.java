package dev.cachet.spi;

/**
 * A backend failure a {@link Store} reports: the server is down, timed out, refused the
 * request, or answered something the store cannot parse. The cache applies its error policy
 * to it. The message should say what failed in the backend's terms (host, statement, path).
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with a cause. */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure without a cause. */
    public StoreException(String message) {
        super(message);
    }
}
