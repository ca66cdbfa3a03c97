package dev.cachet;

/**
 * Turns a user key into the key a backend stores, like Django's {@code KEY_FUNCTION}. The
 * default is {@code prefix + ":" + version + ":" + key}. The result then passes the cache's
 * key policy (made safe by hashing, or refused in strict mode). Implementations must be
 * deterministic, thread-safe and fast; they are called on every operation.
 */
@FunctionalInterface
public interface KeyFunction {
    /** Django's default: {@code prefix:version:key}. */
    KeyFunction DEFAULT = (key, prefix, version) -> prefix + ":" + version + ":" + key;

    /** The stored key for {@code key} under {@code prefix} and {@code version}. */
    String makeKey(String key, String prefix, int version);
}
