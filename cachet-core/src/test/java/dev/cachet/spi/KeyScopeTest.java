package dev.cachet.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** KeyScope's shape test and ranges: the one statement of which stored keys a cache owns. */
class KeyScopeTest {
    private static final String HASH = "A".repeat(KeyScope.HASH_CHARS);

    @Test
    void aPrefixOwnsItsVersionsAndHashedKeysOnly() {
        KeyScope p = KeyScope.ofPrefix("site");
        assertThat(List.of("site:1:k", "site:-3:k", "site:42:", "site:1:a b", "site:~" + HASH))
                .allMatch(p::owns);
        assertThat(List.of("site", "site:", "site:x:1:k", "site:1", "site:~short", "site:~" + HASH + "x", "sitex:1:k",
                "other:1:k", "custom/k", ":1:k", "~" + HASH, "site:1x:k", "site:-:k")).noneMatch(p::owns);
        // the one shape a prefix cannot tell apart: prefix site:2's keys look like site's
        assertThat(p.owns("site:2:1:k")).isTrue();
    }

    @Test
    void theEmptyPrefixOwnsColonVersionAndBareHashedKeys() {
        KeyScope p = KeyScope.ofPrefix("");
        assertThat(List.of(":1:k", ":-1:k", "~" + HASH)).allMatch(p::owns);
        assertThat(List.of("1:k", "a:1:k", "custom/k", "~" + HASH + "x", ":x:k", "")).noneMatch(p::owns);
    }

    @Test
    void everythingOwnsEveryKey() {
        KeyScope all = KeyScope.everything();
        assertThat(all.isEverything()).isTrue();
        assertThat(all.prefix()).isNull();
        assertThat(List.of("", "custom/k", "site:1:k")).allMatch(all::owns);
        assertThat(all.ranges()).containsExactly(new KeyScope.Range(null, null));
    }

    @Test
    void everyOwnedKeyFallsInARangeInUtf16AndUtf8Order() {
        for (String prefix : List.of("site", "", "a-b.c")) {
            KeyScope s = KeyScope.ofPrefix(prefix);
            String head = prefix.isEmpty() ? ":" : prefix + ":";
            String hashedHead = prefix.isEmpty() ? "~" : prefix + ":~";
            for (String key : List.of(head + "0:k", head + "9:\uffff", head + "-1:k", head + "123456789:\u00e9",
                    hashedHead + HASH, hashedHead + "_".repeat(KeyScope.HASH_CHARS))) {
                assertThat(s.owns(key)).as(key).isTrue();
                assertThat(s.ranges()).as(key).anyMatch(r -> r.from().compareTo(key) <= 0 && key.compareTo(r.to()) < 0
                        && utf8(r.from()).compareTo(utf8(key)) <= 0 && utf8(key).compareTo(utf8(r.to())) < 0);
            }
        }
    }

    private static String utf8(String s) {
        // the UTF-8 bytes as chars 0-255: String order of this is the bytes' unsigned order
        return new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void equalScopesAreEqual() {
        assertThat(KeyScope.ofPrefix("a")).isEqualTo(KeyScope.ofPrefix("a")).isNotEqualTo(KeyScope.ofPrefix("b"))
                .isNotEqualTo(KeyScope.everything());
    }
}
