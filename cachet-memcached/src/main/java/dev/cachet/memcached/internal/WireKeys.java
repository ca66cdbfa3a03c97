package dev.cachet.memcached.internal;

import dev.cachet.spi.Sha256;
import io.netty.buffer.ByteBuf;
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

    /**
     * Writes {@code namespace + key} into {@code out} when it is its own wire form (the first
     * case above: printable ASCII of at most {@value #MAX_RAW} bytes) and returns true; else
     * returns false, having written an unspecified part of it (the caller resets the writer
     * index and uses {@link #encode}).
     */
    static boolean writeVerbatim(ByteBuf out, String namespace, String key) {
        int n = namespace.length() + key.length();
        if (n > MAX_RAW) {
            return false;
        }
        int at = out.writerIndex();
        out.ensureWritable(n);
        if (!setPrintable(out, at, namespace) || !setPrintable(out, at + namespace.length(), key)) {
            return false;
        }
        out.writerIndex(at + n);
        return true;
    }

    private static boolean setPrintable(ByteBuf out, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
            out.setByte(at + i, c);
        }
        return true;
    }

    private static boolean copyPrintable(String s, byte[] into, int at) {
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
