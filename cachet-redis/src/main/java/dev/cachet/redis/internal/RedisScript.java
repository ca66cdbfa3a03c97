package dev.cachet.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and its SHA-1, the name {@code EVALSHA} calls it by. Immutable.
 *
 * @param body the Lua source
 * @param sha  its SHA-1 in lower-case hex
 */
record RedisScript(String body, String sha) {
    RedisScript(String body) {
        this(body, sha1(body));
    }

    private static String sha1(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
