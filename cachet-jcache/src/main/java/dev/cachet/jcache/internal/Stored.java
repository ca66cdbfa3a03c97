package dev.cachet.jcache.internal;

import java.io.Serializable;

/**
 * What a JCache entry stores in its cachet cache: the value and its JCache deadline (epoch
 * milliseconds, {@link dev.cachet.spi.Store#NEVER} for eternal). The deadline travels with the
 * value because an update whose expiry policy says "unchanged" must keep it, and because
 * cachet turns integral values into counters ({@code Integer} would read back as
 * {@code Long}) unless they are wrapped. {@code key} is the JCache key when the entry is stored
 * under a digest of it ({@link KeyCodec#isDigest}), so that iteration can give it back and a
 * read can check it; null otherwise. Serialized by the cache's codec, which allows this class
 * by name.
 */
record Stored(Object value, long expiresAt, Object key) implements Serializable {
    private static final long serialVersionUID = 1L;

    boolean expiredAt(long now) {
        return expiresAt <= now;
    }
}
