package dev.cachet.jcache.internal;

import dev.cachet.spi.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns JCache keys (any object, compared by {@code equals}) into cachet keys and back, so that
 * iteration can list a cache's keys from its store. Strings that a backend can hold verbatim,
 * {@code Long}s and {@code Integer}s keep a readable form ({@code s:name}, {@code l:42},
 * {@code i:7}); any other key is its codec bytes in base64url ({@code o:...}), through the same
 * allow-listed codec as values. A form longer than {@code maxLength} (cachet would hash it, and
 * a hash cannot be listed back) becomes {@code h:} and the SHA-256 of the form: the entry then
 * carries its key ({@link Stored#key()}). Equal keys give equal strings, so they address one
 * entry.
 */
final class KeyCodec {
    private final ValueCodec codec;
    private final int maxLength;

    /** @param maxLength the longest cachet key (in UTF-8 bytes) that the cache stores verbatim */
    KeyCodec(ValueCodec codec, int maxLength) {
        this.codec = codec;
        this.maxLength = maxLength;
    }

    String encode(Object key) {
        String form = form(key);
        if (form.getBytes(StandardCharsets.UTF_8).length <= maxLength) {
            return form;
        }
        return "h:" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                dev.cachet.spi.Sha256.digest(form.getBytes(StandardCharsets.UTF_8)));
    }

    /** True when {@code encoded} is a digest: the key must be read from the entry. */
    static boolean isDigest(String encoded) {
        return encoded.startsWith("h:");
    }

    private String form(Object key) {
        if (key instanceof String s && verbatim(s)) {
            return "s:" + s;
        }
        if (key instanceof Long l) {
            return "l:" + l;
        }
        if (key instanceof Integer i) {
            return "i:" + i;
        }
        return "o:" + Base64.getUrlEncoder().withoutPadding().encodeToString(codec.encode(key));
    }

    /** The key {@code encoded} holds, or {@code null} when it is a digest, not one of ours, or cannot be read. */
    Object decode(String encoded) {
        if (encoded.length() < 2 || encoded.charAt(1) != ':') {
            return null;
        }
        String body = encoded.substring(2);
        try {
            return switch (encoded.charAt(0)) {
                case 's' -> body;
                case 'l' -> Long.valueOf(body);
                case 'i' -> Integer.valueOf(body);
                case 'o' -> {
                    byte[] bytes = Base64.getUrlDecoder().decode(body);
                    yield codec.decode(bytes, 0, bytes.length);
                }
                default -> null;
            };
        } catch (Exception e) {
            return null;
        }
    }

    private static boolean verbatim(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }
}
