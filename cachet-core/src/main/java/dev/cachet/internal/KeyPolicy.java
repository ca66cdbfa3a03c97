package dev.cachet.internal;

import dev.cachet.InvalidKeyException;
import dev.cachet.KeyFunction;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Makes the stored key: the key function, then the key policy. A stored key is "safe" when a
 * backend can hold it verbatim: at most {@value #MAX_KEY_BYTES} UTF-8 bytes, no character at or
 * below U+0020 (space and controls), no U+007F, and no unpaired surrogate. An unsafe key is
 * replaced by {@code prefix:~} plus the base64url SHA-256 of the key (its UTF-16 code units, so
 * distinct Java strings never share a hash input), or refused in strict mode. Thread-safe.
 */
public final class KeyPolicy {
    /** The longest stored key, in UTF-8 bytes (memcached's limit). */
    public static final int MAX_KEY_BYTES = 250;

    private final String cacheName;
    private final String prefix;
    private final KeyFunction function;
    private final boolean strict;
    private final String hashedHead;

    public KeyPolicy(String cacheName, String prefix, KeyFunction function, boolean strict) {
        this.cacheName = cacheName;
        this.prefix = prefix;
        this.function = function == null || function == KeyFunction.DEFAULT ? null : function;
        this.strict = strict;
        this.hashedHead = prefix.isEmpty() ? "~" : prefix + ":~";
    }

    /** The head {@code prefix:version:} of stored keys for {@code version} (default key function). */
    public String head(int version) {
        return prefix + ":" + version + ":";
    }

    /**
     * Which stored keys are this cache's, for {@code clear}: the shape of the default key
     * function's keys under the prefix, or, with a custom key function (whose keys have no
     * known shape), {@link KeyScope#everything()}.
     */
    public KeyScope scope() {
        return function == null ? KeyScope.ofPrefix(prefix) : KeyScope.everything();
    }

    /** True when the default key function is in use (keys are {@code head(version) + key}). */
    public boolean isDefaultFunction() {
        return function == null;
    }

    /**
     * The stored key for {@code key} at {@code version}, given the precomputed {@code head}
     * for that version.
     *
     * @throws InvalidKeyException for a null key, or an unsafe key in strict mode
     */
    public String storeKey(String key, int version, String head) {
        if (key == null) {
            throw new InvalidKeyException("cache '" + cacheName + "': key must not be null");
        }
        String full;
        if (function == null) {
            full = head.concat(key);
        } else {
            full = function.makeKey(key, prefix, version);
            if (full == null) {
                throw new IllegalStateException("cache '" + cacheName + "': key function returned null for key '" + abbreviate(key) + "'");
            }
        }
        String problem = problem(full);
        if (problem == null) {
            return full;
        }
        if (strict) {
            throw new InvalidKeyException("cache '" + cacheName + "': key '" + abbreviate(key)
                    + "' cannot be stored verbatim: " + problem + " (strict_keys is on; without it the key is hashed)");
        }
        return hashed(full);
    }

    /** The deterministic safe form of any string, keeping this cache's prefix in front. */
    public String hashed(String any) {
        byte[] digest = Sha256.digest(any.getBytes(StandardCharsets.UTF_16BE));
        return hashedHead + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Why {@code key} cannot be held verbatim, or null when it can. */
    public static String problem(String key) {
        return problem(key, MAX_KEY_BYTES);
    }

    /**
     * {@code problem(head + key)} for a {@linkplain #isPlainAscii plain ASCII} {@code head},
     * decided without building {@code head + key}: no character of such a head is a problem
     * or pairs with one of the key, so only the key's characters and the total length count.
     */
    public static String problem(String head, String key) {
        return problem(key, MAX_KEY_BYTES - head.length());
    }

    /** True when {@code s} is printable ASCII only (U+0021 to U+007E). */
    public static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Why {@code key} cannot be held verbatim within {@code maxBytes} UTF-8 bytes, or null. */
    private static String problem(String key, int maxBytes) {
        int n = key.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c > ' ' && c < 0x7f) {
                continue; // printable ASCII, the common case: one test
            }
            if (c <= ' ' || c == 0x7f) {
                return c == ' ' ? "it contains a space" : String.format("it contains control character U+%04X", (int) c);
            }
            ascii = false;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    return "it contains an unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "it contains an unpaired surrogate";
            }
        }
        if (ascii ? n > maxBytes : n > maxBytes / 3 && utf8Length(key) > maxBytes) {
            return "it is longer than " + MAX_KEY_BYTES + " UTF-8 bytes";
        }
        return null;
    }

    private static int utf8Length(String s) {
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c)) {
                len += 4;
                i++;
            } else {
                len += 3;
            }
        }
        return len;
    }

    /**
     * How messages and logs name the entry under {@code storedKey}: the user's key (without the
     * {@code prefix:version:} head the default key function adds), escaped and abbreviated as
     * {@link #abbreviate} does, so every backend names a key alike; a hashed or custom-function
     * key, whose user key cannot be recovered, is shown as stored.
     */
    public String shown(String storedKey) {
        if (function == null && storedKey.startsWith(prefix) && storedKey.length() > prefix.length()
                && storedKey.charAt(prefix.length()) == ':') {
            int i = prefix.length() + 1;
            int start = i;
            if (i < storedKey.length() && storedKey.charAt(i) == '-') {
                i++;
            }
            while (i < storedKey.length() && Character.isDigit(storedKey.charAt(i))) {
                i++;
            }
            if (i > start && i < storedKey.length() && storedKey.charAt(i) == ':') {
                return abbreviate(storedKey.substring(i + 1));
            }
        }
        return abbreviate(storedKey);
    }

    /**
     * {@code key} as messages show it: at most 80 characters (a longer key is cut, with its
     * length), and control characters escaped ({@code \r}, {@code \n}, {@code \t},
     * {@code \0}, else &#92;uXXXX), so a key can never break a log line or forge one.
     */
    public static String abbreviate(String key) {
        String shown = key.length() <= 80 ? key : key.substring(0, 60);
        StringBuilder sb = null;
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c >= ' ' && c != 0x7f) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(shown.length() + 8).append(shown, 0, i);
            }
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case 0 -> sb.append("\\0");
                default -> sb.append(String.format("\\u%04X", (int) c));
            }
        }
        String out = sb == null ? shown : sb.toString();
        return key.length() <= 80 ? out : out + "...(" + key.length() + " chars)";
    }
}
