package dev.cachet.spi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the one hash cachet names keys by: the core's hashed keys and chunk pieces, the
 * file backend's file names, memcached's long wire keys. Thread-safe: each thread keeps its
 * own digest (looking one up by name costs about as much as hashing a short key), which
 * {@link MessageDigest#digest(byte[])} leaves reset for the next call.
 */
public final class Sha256 {
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private Sha256() {
    }

    /** The SHA-256 digest of {@code bytes} (32 bytes). */
    public static byte[] digest(byte[] bytes) {
        return DIGEST.get().digest(bytes);
    }
}
