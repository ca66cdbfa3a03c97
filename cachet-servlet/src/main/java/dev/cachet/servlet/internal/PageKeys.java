package dev.cachet.servlet.internal;

import dev.cachet.spi.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The cache keys of pages: the URL's key (its head entry, which records the {@code Vary} names
 * learned from the last stored response, as Django's {@code learn_cache_key}) and a variant's key
 * (the URL plus the request's values of those fields, as {@code get_cache_key}). Both are SHA-256
 * digests, so a key's length is bounded however long the URL or the varying headers; the
 * variant's digest input length-prefixes every part, so no two lists of values share a key
 * (Django's concatenation lets {@code "ab" + "c"} meet {@code "a" + "bc"}).
 */
public final class PageKeys {
    private PageKeys() {
    }

    /**
     * The URL as the cache compares it: scheme and host lower case, the default port dropped,
     * percent-escapes of unreserved characters decoded and the others' hex upper case (RFC 3986
     * 6.2.2); the query's order is kept (two orders are two resources to HTTP).
     */
    public static String normalizeUrl(String scheme, String host, int port, String pathAndQuery) {
        String s = scheme.toLowerCase(Locale.ROOT);
        boolean defaultPort = port < 0 || (s.equals("http") && port == 80) || (s.equals("https") && port == 443);
        String authority = host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        return s + "://" + authority + normalizeEscapes(pathAndQuery.isEmpty() ? "/" : pathAndQuery);
    }

    static String normalizeEscapes(String p) {
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '%' && i + 2 < p.length() && hex(p.charAt(i + 1)) >= 0 && hex(p.charAt(i + 2)) >= 0) {
                int b = hex(p.charAt(i + 1)) * 16 + hex(p.charAt(i + 2));
                if (unreserved(b)) {
                    sb.append((char) b);
                } else {
                    sb.append('%').append(Character.toUpperCase(p.charAt(i + 1))).append(Character.toUpperCase(p.charAt(i + 2)));
                }
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean unreserved(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.' || b == '_'
                || b == '~';
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /** The key of the URL's head entry. */
    public static String headKey(String prefix, String url) {
        return prefix + "h." + digest(List.of(url));
    }

    /** The key of the render lease of flight key {@code key} (a URL's or a variant's), shared by every process. */
    public static String leaseKey(String prefix, String key) {
        return prefix + "l." + digest(List.of(key));
    }

    /** The key of the variant of {@code url} (head generation {@code generation}) for {@code values}. */
    public static String variantKey(String prefix, String url, String generation, List<String> names, List<String> values) {
        java.util.ArrayList<String> parts = new java.util.ArrayList<>(names.size() * 2 + 2);
        parts.add(url);
        parts.add(generation);
        for (int i = 0; i < names.size(); i++) {
            parts.add(names.get(i));
            parts.add(values.get(i));
        }
        return prefix + "v." + digest(parts);
    }

    /** The SHA-256 (core's {@link Sha256}) of the parts, each length-prefixed (a null part has its own marker), base64url. */
    static String digest(List<String> parts) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (String p : parts) {
            if (p == null) {
                bytes.writeBytes(new byte[] {0, 0, 0, 0, 0});
                continue;
            }
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            bytes.write(1);
            bytes.writeBytes(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
            bytes.writeBytes(b);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(bytes.toByteArray()));
    }
}
