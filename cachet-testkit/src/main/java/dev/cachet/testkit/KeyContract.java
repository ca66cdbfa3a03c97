package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.InvalidKeyException;
import dev.cachet.KeyFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of keys: prefixes isolate caches, a key function makes the stored key, keys a
 * backend cannot store as they are are hashed without collisions, and with {@code strict_keys}
 * such keys are refused by every operation, naming the key; a {@code null} key is always
 * refused.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class KeyContract extends CounterContract {

    /** How a refusal names a key: whole, or its first 60 characters when long. */
    /**
     * How a message names {@code key}: quoted, cut after 60 characters when longer than 80, and
     * its control characters escaped ({@code \r}, {@code \n}, {@code \t}, {@code \0}, else
     * {@code \\u} and four hex digits) so no key can break or forge a log line.
     */
    private static String named(String key) {
        String shown = key.length() <= 80 ? key : key.substring(0, 60);
        StringBuilder sb = new StringBuilder("'");
        for (char c : shown.toCharArray()) {
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case 0 -> sb.append("\\0");
                default -> sb.append(c < ' ' || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
            }
        }
        return key.length() <= 80 ? sb.append("'").toString() : sb.toString();
    }

    // =====================================================================================
    // Keys: prefix, key function, key policy
    // =====================================================================================

    @Test
    void prefixesIsolateCaches() {
        requireStorage();
        Cache other = open(prefix + "-other", b -> { });
        cache.set("key", "mine");
        other.set("key", "theirs");
        cache.set("a key with spaces", "mine");
        other.set("a key with spaces", "theirs");
        assertThat(cache.get("key")).isEqualTo("mine");
        assertThat(other.get("key")).isEqualTo("theirs");
        assertThat(cache.get("a key with spaces")).isEqualTo("mine");
        assertThat(other.get("a key with spaces")).isEqualTo("theirs");
        other.delete("key");
        assertThat(cache.get("key")).isEqualTo("mine");
    }

    /**
     * A failure's message names the user's key, escaped, and identically on every backend:
     * never the stored key ({@code prefix:1:n}, a hashed form), never a raw control character.
     */
    @Test
    void failureMessagesNameTheUsersKeyAlikeOnEveryBackend() {
        requireStorage();
        String head = "cache '" + cache.name() + "': ";
        cache.set("n", Long.MAX_VALUE);
        assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(ArithmeticException.class)
                .hasMessage(head + "incr of key 'n' by 1 overflows a long");
        for (String real : List.of("text", "forged\r\n[main] WARN x", "tab\there\0")) {
            cache.set(real, "12 apples");
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> cache.incr(real));
            assertThat(t).isInstanceOf(dev.cachet.NotAnIntegerException.class);
            assertThat(t.getMessage()).startsWith(head + "cannot incr key " + named(real) + ": ")
                    .doesNotContain("\r").doesNotContain("\n").doesNotContain("\0").doesNotContain(prefix + ":")
                    .doesNotContain(":1:").doesNotContain(":~");
        }
        String unknown = "gone\nkey";
        assertThatThrownBy(() -> cache.incr(unknown)).isInstanceOf(java.util.NoSuchElementException.class)
                .hasMessage(head + "key 'gone\\nkey' not found (incr needs an existing integer)");
        Cache strict = open(b -> b.option("strict_keys", true));
        String tooLong = "k".repeat(300);
        assertThatThrownBy(() -> strict.set(tooLong, "v")).isInstanceOf(InvalidKeyException.class)
                .hasMessageStartingWith(head + "key '" + "k".repeat(60) + "...(300 chars)' cannot be stored verbatim");
    }

    @Test
    void theSamePrefixSharesEntriesAcrossInstances() {
        requireStorage();
        assumeTrue(sharesStorage(), "needs caches that share storage");
        Cache twin = open(prefix, b -> { });
        cache.set("key", "shared");
        cache.set("a key with spaces", "hashed");
        assertThat(twin.get("key")).isEqualTo("shared");
        assertThat(twin.get("a key with spaces")).isEqualTo("hashed");
        assertThat(twin.incrVersion("key")).isEqualTo(2);
        assertThat(cache.withVersion(2).get("key")).isEqualTo("shared");
    }

    @Test
    void aKeyFunctionInCodeMakesTheStoredKey() {
        requireStorage();
        KeyFunction versionless = (key, p, version) -> p + "/" + key.toLowerCase(Locale.ROOT);
        Cache c = open(b -> b.keyFunction(versionless));
        c.set("Key", "value");
        assertThat(c.get("KEY")).isEqualTo("value");
        assertThat(c.withVersion(9).get("key")).isEqualTo("value");
    }

    /** A {@link KeyFunction} for the {@code key_function} option: keys are case-insensitive. */
    public static final class LowerCaseKeys implements KeyFunction {
        @Override
        public String makeKey(String key, String prefix, int version) {
            return prefix + ":" + version + ":" + key.toLowerCase(Locale.ROOT);
        }
    }

    @Test
    void theKeyFunctionOptionNamesAClass() {
        requireStorage();
        Cache c = open(b -> b.option("key_function", LowerCaseKeys.class.getName()));
        c.set("MiXeD", "value");
        assertThat(c.get("mixed")).isEqualTo("value");
        assertThat(c.withVersion(2).get("mixed")).isNull();
    }

    @Test
    void theKeyFunctionsOutputPassesTheKeyPolicy() {
        KeyFunction spaced = (key, p, version) -> p + " " + version + " " + key;
        Cache hashed = open(b -> b.keyFunction(spaced));
        assertThat(hashed.set("key", "value")).isTrue();
        if (storesValues()) {
            assertThat(hashed.get("key")).isEqualTo("value");
        }
        Cache strict = open(b -> b.keyFunction(spaced).option("strict_keys", true));
        assertThatThrownBy(() -> strict.set("key", "value")).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("'key'");
    }

    static Stream<Arguments> unsafeKeys() {
        return Stream.of(
                Arguments.of(Named.of("space", "a key with spaces")),
                Arguments.of(Named.of("tab", "tab\tkey")),
                Arguments.of(Named.of("newline", "line\nbreak")),
                Arguments.of(Named.of("carriage return", "cr\r\nlf")),
                Arguments.of(Named.of("NUL", "nul\u0000key")),
                Arguments.of(Named.of("bell", "bell\u0007")),
                Arguments.of(Named.of("DEL", "del\u007fkey")),
                Arguments.of(Named.of("251 ASCII bytes", "k".repeat(251))),
                Arguments.of(Named.of("1000 ASCII bytes", "x".repeat(1000))),
                Arguments.of(Named.of("long unicode (300 bytes)", "日".repeat(100))),
                Arguments.of(Named.of("long emoji (256 bytes)", "🔑".repeat(64))),
                Arguments.of(Named.of("unpaired surrogate", "half\uD83Dkey")));
    }

    static Stream<Arguments> safeUnusualKeys() {
        return Stream.of(
                Arguments.of(Named.of("empty", "")),
                Arguments.of(Named.of("unicode", "clé-日本語-кириллица")),
                Arguments.of(Named.of("emoji", "🔑🗝️🎉")),
                Arguments.of(Named.of("punctuation", "a:b/c?d=e&f#g%20'\"\\")),
                Arguments.of(Named.of("looks like a hash", "~abc")),
                Arguments.of(Named.of("memcached words", "get\u00a0set")));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.KeyContract#unsafeKeys")
    void unsafeKeysAreHashedAndRoundTrip(String key) {
        requireStorage();
        assertThat(cache.set(key, "value")).isTrue();
        assertThat(cache.get(key)).isEqualTo("value");
        assertThat(cache.hasKey(key)).isTrue();
        assertThat(cache.add(key, "other")).isFalse();
        assertThat(cache.getMany(List.of(key))).containsExactly(entry(key, "value"));
        assertThat(cache.delete(key)).isTrue();
        assertThat(cache.hasKey(key)).isFalse();
    }

    @Test
    void hashedKeysDoNotCollide() {
        requireStorage();
        List<String> keys = unsafeKeys().map(a -> (String) ((Named<?>) a.get()[0]).getPayload())
                .collect(Collectors.toCollection(ArrayList::new));
        keys.add("k".repeat(300) + "1");
        keys.add("k".repeat(300) + "2");
        keys.add("a key with spaces ");
        keys.add(" a key with spaces");
        for (int i = 0; i < keys.size(); i++) {
            cache.set(keys.get(i), i);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(cache.get(keys.get(i))).as("key #%d", i).isEqualTo((long) i);
        }
        assertThat(cache.withVersion(2).get(keys.get(0))).isNull();
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.KeyContract#safeUnusualKeys")
    void unusualButSafeKeysRoundTrip(String key) {
        requireStorage();
        cache.set(key, "value");
        cache.set(key + "-neighbour", "other");
        assertThat(cache.get(key)).isEqualTo("value");
        assertThat(cache.getMany(List.of(key))).containsExactly(entry(key, "value"));
        assertThat(cache.incrVersion(key)).isEqualTo(2);
        assertThat(cache.withVersion(2).get(key)).isEqualTo("value");
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.KeyContract#unsafeKeys")
    void strictKeysRefuseUnsafeKeysNamingThem(String key) {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> strict.set(key, "value")).isInstanceOf(InvalidKeyException.class)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named(key));
        assertThatThrownBy(() -> strict.get(key)).isInstanceOf(InvalidKeyException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.KeyContract#safeUnusualKeys")
    void strictKeysAcceptSafeKeys(String key) {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThat(strict.set(key, "value")).isTrue();
        if (storesValues()) {
            assertThat(strict.get(key)).isEqualTo("value");
        }
    }

    @Test
    void strictKeysAllow250BytesAfterThePrefix() {
        Cache strict = open(b -> b.option("strict_keys", true));
        String head = prefix + ":1:";
        String longest = "k".repeat(250 - head.length());
        assertThat(strict.set(longest, "value")).isTrue();
        if (storesValues()) {
            assertThat(strict.get(longest)).isEqualTo("value");
        }
        assertThatThrownBy(() -> strict.set(longest + "k", "value")).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("250");
        String longestUnicode = "é".repeat((250 - head.length()) / 2);
        assertThat(strict.set(longestUnicode, "value")).isTrue();
        assertThatThrownBy(() -> strict.set(longestUnicode + "éé", "value")).isInstanceOf(InvalidKeyException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.ContractFixture#keyOperations")
    void aNullKeyIsRefused(KeyOp op) {
        assertThatThrownBy(() -> op.action().accept(cache, null)).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("null");
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.ContractFixture#keyOperations")
    void strictKeysApplyToEveryOperation(KeyOp op) {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> op.action().accept(strict, "bad key")).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("'bad key'");
        assertThat(strict.get("ok")).isNull();
    }
}
