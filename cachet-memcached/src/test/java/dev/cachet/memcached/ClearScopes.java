package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.KeyFunction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What clear removes when three caches share memcached servers: {@code a} and {@code b} under
 * the default key function with prefixes {@code a} and {@code b}, each with its namespace
 * generation, and {@code c} under {@link #CUSTOM}, whose keys have no shape the core knows.
 * Clearing {@code a} bumps its generation alone; clearing {@code c} runs {@code flush_all} on
 * every server, which also removes items no cache wrote.
 */
final class ClearScopes {
    /** The custom key function of cache {@code c}. */
    static final KeyFunction CUSTOM = (key, prefix, version) -> "custom/" + key;

    /** Enough keys that, on a cluster, every cache has some on every server. */
    private static final List<String> KEYS = IntStream.range(0, 30).mapToObj(i -> "k" + i).toList();

    private ClearScopes() {
    }

    /**
     * Fills the three caches and puts an item of no cache on each of {@code servers} (every
     * server the caches use), clears {@code a}, then {@code c}, checking what each leaves.
     */
    static void check(Cache a, Cache b, Cache c, List<RawMemcached> servers) {
        for (RawMemcached s : servers) {
            assertThat(s.set("foreign", "x".getBytes(StandardCharsets.US_ASCII), "T0")).isEqualTo("HD");
        }
        fill(a, "A");
        fill(b, "B");
        fill(c, "C");

        a.clear();
        assertThat(a.getMany(KEYS)).as("a's entries after a.clear()").isEmpty();
        assertThat(b.getMany(KEYS)).as("b's entries after a.clear()").hasSize(KEYS.size()).containsValue("B");
        assertThat(c.getMany(KEYS)).as("c's entries after a.clear()").hasSize(KEYS.size()).containsValue("C");
        for (RawMemcached s : servers) {
            assertThat(s.line("mg foreign")).as("an item of no cache after a.clear()").isEqualTo("HD");
        }

        fill(a, "A again");
        c.clear();
        assertThat(a.getMany(KEYS)).as("a's entries after c.clear()").isEmpty();
        assertThat(b.getMany(KEYS)).as("b's entries after c.clear()").isEmpty();
        assertThat(c.getMany(KEYS)).as("c's entries after c.clear()").isEmpty();
        for (RawMemcached s : servers) {
            assertThat(s.line("mg foreign")).as("an item of no cache after c.clear()").isEqualTo("EN");
        }
        fill(a, "A after the flush");
        assertThat(a.getMany(KEYS)).as("a works on after the flush").hasSize(KEYS.size());
    }

    private static void fill(Cache cache, String value) {
        Map<String, Object> entries = new LinkedHashMap<>();
        KEYS.forEach(k -> entries.put(k, value));
        assertThat(cache.setMany(entries)).isEmpty();
    }
}
