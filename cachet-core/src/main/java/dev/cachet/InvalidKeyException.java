package dev.cachet;

/**
 * A key was refused: it is {@code null}, or the cache runs in strict key mode and the key
 * cannot be held verbatim by a backend (longer than 250 UTF-8 bytes once prefixed, or
 * containing spaces or control characters). The message names the key.
 */
public class InvalidKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A refused key, with the reason. */
    public InvalidKeyException(String message) {
        super(message);
    }
}
