package dev.cachet.spi;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A store could not be opened because its server did not answer: the connection was refused,
 * timed out, or the host is unknown or unroutable. Nothing is wrong with the request or the
 * configuration as far as anyone can tell, so {@link DeferredStore#open} opens the cache anyway
 * and connects later; a server that answered and refused (a wrong password, a TLS handshake
 * failure, a missing table) is a plain {@link StoreException} or an
 * {@link IllegalArgumentException}, reported when the cache opens.
 */
public class StoreUnreachableException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** The server of {@code message} did not answer; {@code cause} may be null (e.g. to keep a password out of the chain). */
    public StoreUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True when {@code failure}'s cause chain (suppressed exceptions included) holds a network
     * failure that says the server did not answer: {@link ConnectException} (refused, or a
     * connect timeout), {@link NoRouteToHostException}, {@link UnknownHostException} or
     * {@link SocketTimeoutException}.
     */
    public static boolean isUnreachable(Throwable failure) {
        return search(failure, new IdentityHashMap<>());
    }

    private static boolean search(Throwable t, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null || seen.size() > 64) {
            return false;
        }
        if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException
                || t instanceof SocketTimeoutException) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (search(s, seen)) {
                return true;
            }
        }
        return search(t.getCause(), seen);
    }
}
