package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code problem(head, key)} decides exactly what {@code problem(head + key)} does, for plain heads. */
class KeyPolicyProblemTest {
    private static final String[] HEADS = {":1:", "app:1:", ":-7:", "p:2147483647:", "x".repeat(100) + ":12:"};

    @Test
    void agreesWithProblemOfTheWholeKey() {
        for (String head : HEADS) {
            assertThat(KeyPolicy.isPlainAscii(head)).isTrue();
            for (String key : keys()) {
                assertThat(KeyPolicy.problem(head, key)).as("head %s key %s", head, key)
                        .isEqualTo(KeyPolicy.problem(head + key));
            }
        }
    }

    @Test
    void plainAsciiIsPrintableAsciiOnly() {
        assertThat(KeyPolicy.isPlainAscii(":1:")).isTrue();
        assertThat(KeyPolicy.isPlainAscii("")).isTrue();
        assertThat(KeyPolicy.isPlainAscii("a b")).isFalse();
        assertThat(KeyPolicy.isPlainAscii("a\u007f")).isFalse();
        assertThat(KeyPolicy.isPlainAscii("caf\u00e9:1:")).isFalse();
        assertThat(KeyPolicy.isPlainAscii("\ud83d:1:")).isFalse();
    }

    private static List<String> keys() {
        List<String> out = new ArrayList<>(List.of("", "k", "bench:s:000001", "a b", "tab\tkey", "del\u007f",
                "\u0000", "caf\u00e9", "\u20ac", "\ud83d\ude00", "\ud83d", "\ude00", "x\ud83dy", "end\ud83d"));
        for (int n = 130; n <= 260; n++) {
            out.add("k".repeat(n));
            out.add("\u00e9".repeat(n / 2));
            out.add("\u20ac".repeat(n / 3));
            out.add("\ud83d\ude00".repeat(n / 4));
        }
        Random random = new Random(42);
        char[] alphabet = {'a', 'Z', '0', ':', '~', ' ', '\t', '\u007f', '\u0080', '\u00e9', '\u20ac', '\ud83d', '\ude00', '\uffff'};
        for (int i = 0; i < 5000; i++) {
            char[] c = new char[random.nextInt(260)];
            for (int j = 0; j < c.length; j++) {
                c[j] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (char) ('a' + random.nextInt(26));
            }
            out.add(new String(c));
        }
        return out;
    }
}
