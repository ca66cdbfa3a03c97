package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.KeyFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What clear removes when three caches share one database: {@code a} and {@code b} under the
 * default key function with prefixes {@code a} and {@code b}, and {@code c} under
 * {@link #CUSTOM}, whose keys have no shape the core knows. Clearing {@code a} removes its
 * entries alone; clearing {@code c} empties the database, as Django's clear does.
 */
final class ClearScopes {
    /** The custom key function of cache {@code c}. */
    static final KeyFunction CUSTOM = (key, prefix, version) -> "custom/" + key;

    /** Enough keys that, in a cluster, every cache has some on every master. */
    private static final List<String> KEYS = IntStream.range(0, 30).mapToObj(i -> "k" + i).toList();

    private ClearScopes() {
    }

    /** Fills the three caches, clears {@code a}, then {@code c}, checking what each leaves. */
    static void check(Cache a, Cache b, Cache c) {
        fill(a, "A");
        a.set("a key with spaces, so hashed", "A");
        fill(b, "B");
        fill(c, "C");

        a.clear();
        assertThat(a.getMany(KEYS)).as("a's entries after a.clear()").isEmpty();
        assertThat(a.get("a key with spaces, so hashed")).isNull();
        assertThat(b.getMany(KEYS)).as("b's entries after a.clear()").hasSize(KEYS.size()).containsValue("B");
        assertThat(c.getMany(KEYS)).as("c's entries after a.clear()").hasSize(KEYS.size()).containsValue("C");

        fill(a, "A again");
        c.clear();
        assertThat(a.getMany(KEYS)).as("a's entries after c.clear()").isEmpty();
        assertThat(b.getMany(KEYS)).as("b's entries after c.clear()").isEmpty();
        assertThat(c.getMany(KEYS)).as("c's entries after c.clear()").isEmpty();
    }

    private static void fill(Cache cache, String value) {
        Map<String, Object> entries = new LinkedHashMap<>();
        KEYS.forEach(k -> entries.put(k, value));
        assertThat(cache.setMany(entries)).isEmpty();
    }
}
