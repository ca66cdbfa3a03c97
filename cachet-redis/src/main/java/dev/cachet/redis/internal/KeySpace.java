package dev.cachet.redis.internal;

/**
 * The stored keys of one cache, as the core makes them with its default key function: with a
 * key prefix {@code P}, {@code P:<version>:<key>} and {@code P:~<hash>} (hashed keys and chunk
 * pieces); with an empty prefix, {@code :<version>:<key>} and {@code ~<hash>}. {@link #pattern()}
 * is the {@code SCAN MATCH} glob that finds them (the prefix escaped, so {@code *?[]\} in it are
 * literal), and {@link #owns(String)} drops what the glob finds but the cache did not make (a
 * cache whose prefix is {@code P:x}, say, or another application's {@code :config} key), so
 * {@code clear} removes this cache's entries and no key of another shape. The one case the shape
 * cannot settle: a cache whose prefix is {@code P:<integer>} makes keys of this cache's shape
 * ({@code P:2:1:k} is this cache's key {@code 1:k} at version 2), so they count as owned.
 * Immutable.
 */
final class KeySpace {
    /** The length of a hashed key after its {@code ~}: the base64url SHA-256, no padding. */
    static final int HASH_CHARS = 43;

    private final String head;
    private final String pattern;

    KeySpace(String prefix) {
        this.head = prefix.isEmpty() ? "" : prefix + ":";
        this.pattern = prefix.isEmpty() ? "[:~]*" : escape(prefix) + ":*";
    }

    /** The {@code SCAN MATCH} glob of this cache's keys (and perhaps a few others, see {@link #owns}). */
    String pattern() {
        return pattern;
    }

    /** True when {@code key} has the shape of one of this cache's stored keys. */
    boolean owns(String key) {
        if (!key.startsWith(head)) {
            return false;
        }
        int i = head.length();
        if (i >= key.length()) {
            return false;
        }
        char c = key.charAt(i);
        if (c == '~') {
            return key.length() - i - 1 == HASH_CHARS;
        }
        if (head.isEmpty()) {
            if (c != ':') {
                return false;
            }
            i++;
        }
        return version(key, i);
    }

    /** True when {@code key} holds {@code -?[0-9]+:} at {@code from}. */
    private static boolean version(String key, int from) {
        int i = from;
        if (i < key.length() && key.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < key.length() && Character.isDigit(key.charAt(i)) && key.charAt(i) < 128) {
            i++;
            digits++;
        }
        return digits > 0 && i < key.length() && key.charAt(i) == ':';
    }

    /** {@code s} with Redis glob specials ({@code * ? [ ] \}) backslash-escaped. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
