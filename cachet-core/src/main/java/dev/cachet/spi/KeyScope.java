package dev.cachet.spi;

import java.util.List;
import java.util.Objects;

/**
 * Which stored keys belong to one cache, as the core decides it once for every backend and
 * hands it to {@link Store#clear(KeyScope)}.
 *
 * <p>Under the default key function a cache's stored keys have a known shape: with a key prefix
 * {@code P}, {@code P:<version>:<key>} (the version an integer, maybe negative) and
 * {@code P:~<hash>} (a key made safe by hashing, or a piece of a chunked value; the hash is
 * {@value #HASH_CHARS} base64url characters); with an empty prefix, {@code :<version>:<key>} and
 * {@code ~<hash>}. Such a scope {@linkplain #owns owns} exactly the keys of that shape, so
 * {@code clear} removes every entry of the cache (every version, hashed keys and chunk pieces)
 * and nothing of a cache with another prefix, nor any key of another shape. The one case a
 * shape cannot settle: a cache whose prefix is {@code P:<integer>} makes keys of {@code P}'s
 * shape ({@code P:2:1:k} is {@code P}'s key {@code 1:k} at version 2), so clearing {@code P}
 * removes them too.
 *
 * <p>A custom key function makes the shape unknown: its scope is {@link #everything()}, and
 * {@code clear} then empties the whole store (the table, the directory, the Redis database,
 * the memcached servers), as Django's {@code clear} always does.
 *
 * <p>{@link #ranges()} gives sorted-key ranges that hold every owned key (and perhaps a few
 * others), for stores that can scan or delete by range; they still test {@link #owns} on what
 * a range holds. Immutable and thread-safe.
 */
public final class KeyScope {
    /** The length of a hashed key after its {@code ~}: a base64url SHA-256, no padding. */
    public static final int HASH_CHARS = 43;

    private static final KeyScope EVERYTHING = new KeyScope(null);

    private final String prefix;
    private final String head;

    private KeyScope(String prefix) {
        this.prefix = prefix;
        this.head = prefix == null || prefix.isEmpty() ? "" : prefix + ":";
    }

    /** The scope of a cache whose keys the default key function makes under {@code keyPrefix}. */
    public static KeyScope ofPrefix(String keyPrefix) {
        return new KeyScope(Objects.requireNonNull(keyPrefix, "keyPrefix must not be null"));
    }

    /** Every key of the store: the scope of a cache with a custom key function. */
    public static KeyScope everything() {
        return EVERYTHING;
    }

    /** True when this scope is the whole store. */
    public boolean isEverything() {
        return prefix == null;
    }

    /** The key prefix ({@code ""} for none); {@code null} for {@link #everything()}. */
    public String prefix() {
        return prefix;
    }

    /** True when {@code storedKey} belongs to this scope. */
    public boolean owns(String storedKey) {
        if (prefix == null) {
            return true;
        }
        if (!storedKey.startsWith(head)) {
            return false;
        }
        int i = head.length();
        if (i >= storedKey.length()) {
            return false;
        }
        char c = storedKey.charAt(i);
        if (c == '~') {
            return storedKey.length() - i - 1 == HASH_CHARS;
        }
        if (head.isEmpty()) {
            if (c != ':') {
                return false;
            }
            i++;
        }
        return isVersion(storedKey, i);
    }

    /** True when {@code key} holds {@code -?[0-9]+:} at {@code from}. */
    private static boolean isVersion(String key, int from) {
        int i = from;
        if (i < key.length() && key.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < key.length() && key.charAt(i) >= '0' && key.charAt(i) <= '9') {
            i++;
            digits++;
        }
        return digits > 0 && i < key.length() && key.charAt(i) == ':';
    }

    /**
     * Ranges {@code [from, to)} of keys in UTF-16 (and so also in UTF-8 byte) order that hold
     * every owned key: for a prefix, the negative versions, the non-negative versions and the
     * hashed keys; for {@link #everything()}, one range with no bounds. A store that deletes by
     * range must still test {@link #owns} on the keys it finds, or accept deleting the few
     * keys of another shape a range may hold.
     */
    public List<Range> ranges() {
        if (prefix == null) {
            return List.of(new Range(null, null));
        }
        String h = prefix.isEmpty() ? ":" : head;
        String hashed = prefix.isEmpty() ? "~" : head + "~";
        return List.of(new Range(h + "-", h + "."), new Range(h + "0", h + ":"),
                new Range(hashed, hashed.substring(0, hashed.length() - 1) + '\u007f'));
    }

    /**
     * Keys {@code from <= key < to}; a null bound is open.
     *
     * @param from the least key of the range, or null
     * @param to the first key past the range, or null
     */
    public record Range(String from, String to) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyScope s && Objects.equals(prefix, s.prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(prefix);
    }

    @Override
    public String toString() {
        return prefix == null ? "KeyScope[everything]" : "KeyScope[prefix '" + prefix + "']";
    }
}
