package dev.cachet.spring;

import java.util.Arrays;

/**
 * How a Spring cache key (any object: a {@code String}, a method argument, Spring's
 * {@code SimpleKey}) becomes a cachet key. A {@code String} is the key itself; any other key is
 * its {@code toString()}, which Spring's {@code SimpleKey}, records, enums, boxes, {@code UUID}
 * and the JDK's value types define; an array is its {@code Arrays.deepToString}. The result is
 * then an ordinary cachet key: the cache's key function, version and key policy (hashing of a
 * key a backend cannot hold) apply as to any other, so nothing here hashes or escapes.
 */
final class SpringKeys {
    private SpringKeys() {
    }

    /**
     * The cachet key for {@code key} in the cache named {@code cacheName}.
     *
     * @throws IllegalArgumentException for {@code null}, or a key whose class keeps
     *     {@code Object.toString()} (its identity hash would make a new key on every call)
     */
    static String of(Object key, String cacheName) {
        if (key instanceof String s) {
            return s;
        }
        if (key == null) {
            throw new IllegalArgumentException("cache '" + cacheName + "': a null key cannot name a cachet key");
        }
        if (key.getClass().isArray()) {
            String s = Arrays.deepToString(new Object[] {key});
            return s.substring(1, s.length() - 1);
        }
        if (!definesToString(key.getClass())) {
            throw new IllegalArgumentException("cache '" + cacheName + "': a key of class " + key.getClass().getName()
                    + " has no toString() of its own, so it cannot name a cachet key (Object.toString() differs for"
                    + " equal keys); give the class a toString(), or use a SpEL key (key = \"#id\") or a KeyGenerator"
                    + " that returns a String");
        }
        return key.toString();
    }

    private static boolean definesToString(Class<?> type) {
        try {
            return type.getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
