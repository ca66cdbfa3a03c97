package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.InvalidKeyException;
import org.junit.jupiter.api.Test;

class KeyPolicyTest {
    private final KeyPolicy lenient = new KeyPolicy("c", "site", null, false);
    private final KeyPolicy strict = new KeyPolicy("c", "site", null, true);

    private String key(KeyPolicy p, String k) {
        return p.storeKey(k, 1, p.head(1));
    }

    @Test
    void messagesShowKeysWithControlCharactersEscaped() {
        assertThat(KeyPolicy.abbreviate("a\r\nb\u0000c\td\u007fe")).isEqualTo("a\\r\\nb\\0c\\td\\u007Fe");
        assertThat(KeyPolicy.abbreviate("plain:key")).isEqualTo("plain:key");
        String longKey = "x\n".repeat(50);
        assertThat(KeyPolicy.abbreviate(longKey)).doesNotContain("\n").endsWith("...(100 chars)");
        try (dev.cachet.Cache c = dev.cachet.Caches.open("memory:")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.incr("forged\r\nINFO all is well"))
                    .hasMessageContaining("forged\\r\\nINFO").hasMessageNotContaining("\n");
        }
    }

    @Test
    void aHashedKeyHasTheShapeKeyScopeOwns() {
        String hashed = key(lenient, "a key with spaces");
        assertThat(hashed).startsWith("site:~").hasSize("site:~".length() + dev.cachet.spi.KeyScope.HASH_CHARS);
        assertThat(dev.cachet.spi.KeyScope.ofPrefix("site").owns(hashed)).isTrue();
        String bare = new KeyPolicy("c", "", null, false).storeKey("a b", 1, ":1:");
        assertThat(dev.cachet.spi.KeyScope.ofPrefix("").owns(bare)).isTrue();
        assertThat(lenient.scope()).isEqualTo(dev.cachet.spi.KeyScope.ofPrefix("site"));
        assertThat(new KeyPolicy("c", "site", (k, p, v) -> k, false).scope().isEverything()).isTrue();
    }

    @Test
    void defaultFunctionIsPrefixVersionKey() {
        assertThat(key(lenient, "user:7")).isEqualTo("site:1:user:7");
        assertThat(new KeyPolicy("c", "", null, false).storeKey("k", 3, ":3:")).isEqualTo(":3:k");
        assertThat(key(lenient, "")).isEqualTo("site:1:");
        assertThat(key(lenient, "ключ✓")).isEqualTo("site:1:ключ✓");
    }

    @Test
    void unsafeKeysAreHashedDeterministicallyKeepingThePrefix() {
        for (String bad : new String[] {"has space", "tab\there", "nul\0", "del\u007f", "x".repeat(300),
                "é".repeat(130), "lone\ud800surrogate"}) {
            String k = key(lenient, bad);
            assertThat(k).as(bad).startsWith("site:~").hasSize("site:~".length() + 43);
            assertThat(KeyPolicy.problem(k)).isNull();
            assertThat(key(lenient, bad)).isEqualTo(k);
        }
        assertThat(key(lenient, "a b")).isNotEqualTo(key(lenient, "a  b"));
    }

    @Test
    void limitIsUtf8BytesNotChars() {
        String head = "site:1:";
        assertThat(key(lenient, "x".repeat(250 - head.length()))).startsWith(head);
        assertThat(key(lenient, "x".repeat(251 - head.length()))).startsWith("site:~");
        // 3-byte characters: 81 of them is 243 bytes + 7 = 250
        assertThat(key(lenient, "€".repeat(81))).startsWith(head);
        assertThat(key(lenient, "€".repeat(82))).startsWith("site:~");
        // 4-byte emoji (surrogate pairs): 60 of them is 240 bytes
        assertThat(key(lenient, "😀".repeat(60))).startsWith(head);
        assertThat(key(lenient, "😀".repeat(61))).startsWith("site:~");
    }

    @Test
    void strictModeRefusesNamingTheKeyAndTheReason() {
        assertThatThrownBy(() -> key(strict, "has space"))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("'has space'")
                .hasMessageContaining("space")
                .hasMessageContaining("strict_keys");
        assertThatThrownBy(() -> key(strict, "x".repeat(300)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("longer than 250");
        assertThatThrownBy(() -> key(strict, "ctl\u0001"))
                .hasMessageContaining("U+0001");
        assertThat(key(strict, "fine:key")).isEqualTo("site:1:fine:key");
    }

    @Test
    void nullKeyIsRefusedInEveryMode() {
        assertThatThrownBy(() -> key(lenient, null)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("null");
    }

    @Test
    void customKeyFunctionOutputPassesThePolicyToo() {
        KeyPolicy custom = new KeyPolicy("c", "p", (k, prefix, v) -> k.toUpperCase() + "|" + v + "|" + prefix, false);
        assertThat(custom.storeKey("abc", 2, null)).isEqualTo("ABC|2|p");
        assertThat(custom.storeKey("a b", 2, null)).startsWith("p:~");
    }
}
