package dev.cachet.memcached.internal;

/**
 * The server sent something the meta protocol does not allow here (a garbage line, a wrong
 * length, a missing terminator, an unexpected code or opaque). The connection is dropped and
 * every request waiting on it fails.
 */
final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
