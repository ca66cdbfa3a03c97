package dev.cachet.memcached.internal;

import dev.cachet.spi.StoreException;

/**
 * A memcached request that failed for a reason of the node, not of the request: the node is
 * down, the connection dropped, no reply came within {@code read_timeout}, the reply broke the
 * protocol. The message names the node.
 */
final class MemcachedFailure extends StoreException {
    private static final long serialVersionUID = 1L;

    MemcachedFailure(String message) {
        super(message);
    }

    MemcachedFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
