package dev.cachet.memcached.internal;

import dev.cachet.spi.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Turns a stored key (with the namespace generation in front) into the key memcached receives,
 * so that no key can ever break a command line:
 * <ul>
 *   <li>printable ASCII (U+0021 to U+007E) of at most 250 bytes: sent as is;</li>
 *   <li>anything else of at most {@value #MAX_BINARY} UTF-8 bytes: sent base64-encoded with the
 *       {@code b} flag (memcached checks the encoded length against its 250-byte limit, so 186
 *       bytes is the most a base64 key can hold);</li>
 *   <li>longer keys: {@code #} and the base64url SHA-256 of the UTF-8 key (44 ASCII bytes).</li>
 * </ul>
 * The three forms never collide: raw keys are ASCII, base64 keys decode to non-ASCII bytes, and
 * a raw key equal to a hashed form would need a SHA-256 preimage.
 */
final class WireKeys {
    static final int MAX_RAW = 250;
    static final int MAX_BINARY = 186;

    private WireKeys() {
    }

    /** The wire form of {@code namespace + key}. */
    static WireKey encode(String namespace, String key) {
        int n = namespace.length() + key.length();
        if (n <= MAX_RAW) {
            byte[] b = new byte[n];
            if (copyPrintable(namespace, b, 0) && copyPrintable(key, b, namespace.length())) {
                return new WireKey(b, false, b);
            }
        }
        byte[] utf8 = (namespace + key).getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_BINARY && !isPrintableAscii(utf8)) {
            byte[] b64 = Base64.getEncoder().encode(utf8);
            if (b64.length > MAX_RAW) {
                // memcached would refuse the line before reading the value, and parse the value as commands
                throw new IllegalStateException("base64 key of " + b64.length + " bytes exceeds memcached's " + MAX_RAW);
            }
            return new WireKey(b64, true, utf8);
        }
        byte[] hashed = ("#" + Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(utf8)))
                .getBytes(StandardCharsets.US_ASCII);
        return new WireKey(hashed, false, hashed);
    }

    /** True when {@code s} is its own wire form: printable ASCII of at most {@value #MAX_RAW} bytes. */
    static boolean isVerbatim(String s) {
        return s.length() <= MAX_RAW && isPrintableAscii(s);
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies {@code s} into {@code into} at {@code at} while it is printable ASCII (the
     * characters a verbatim key may hold); false at the first character that is not.
     */
    static boolean copyPrintable(String s, byte[] into, int at) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
            into[at + i] = (byte) c;
        }
        return true;
    }

    private static boolean isPrintableAscii(byte[] b) {
        for (byte x : b) {
            if (x <= ' ' || x >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
