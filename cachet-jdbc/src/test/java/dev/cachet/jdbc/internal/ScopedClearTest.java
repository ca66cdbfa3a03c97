package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.Sha256;
import dev.cachet.spi.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link JdbcStore#clear(KeyScope)}: a key prefix's scope removes exactly the rows whose key it
 * {@linkplain KeyScope#owns owns}, the rule every backend shares; {@link KeyScope#everything()}
 * empties the table. On every dialect, since the scoped clear reads key ranges in the key
 * column's order.
 */
class ScopedClearTest {
    /** A hashed key's hash: 43 base64url characters, as the core makes them. */
    private static final String HASH = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(Sha256.digest("some key".getBytes(StandardCharsets.UTF_8)));

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aPrefixsScopeRemovesExactlyTheKeysOfItsShapeAndEverythingEmptiesTheTable(Dialect dialect) throws Exception {
        assertThat(HASH).hasSize(KeyScope.HASH_CHARS);
        try (JdbcFixture f = new JdbcFixture(dialect, "scope")) {
            JdbcStore store = f.store();
            List<String> owned = new ArrayList<>(List.of("p:1:k", "p:2:k", "p:-3:k", "p:0:", "p:123456789:k:with:colons",
                    "p:1:ünïcödé-日本-😀", "p:~" + HASH, "p:~" + "-_".repeat(21) + "z"));
            List<String> kept = new ArrayList<>(List.of("q:1:k", "pp:1:k", "P:1:k", "p;1:k", "p", "p:", "p:1", "p:x:1:k",
                    "p:1x:k", "p:-:k", "p::1:k", "p:+1:k", "p:~short", "p:~" + HASH + "x", "p:~" + HASH.substring(1),
                    "custom/k", ":1:k", "~" + HASH));
            // more than a page of each, the kept ones sorting first in the same key range ("p:1-" < "p:1:")
            for (int i = 0; i < Sql.DELETE_BATCH + 200; i++) {
                owned.add(String.format("p:1:k%04d", i));
                kept.add(String.format("p:1-k%04d", i));
            }
            f.insertAll(owned, Store.NEVER);
            f.insertAll(kept, Store.NEVER);
            f.insert("p:7:expired", JdbcFixture.b("x"), f.clock.millis() - 1);

            store.clear(KeyScope.ofPrefix("p"));
            assertThat(f.keys()).as("every version, hashed keys and expired rows of p go; nothing else")
                    .containsExactlyInAnyOrderElementsOf(kept);

            // the empty prefix owns ":<version>:..." and "~<hash>" only
            store.clear(KeyScope.ofPrefix(""));
            kept.removeAll(List.of(":1:k", "~" + HASH));
            assertThat(f.keys()).containsExactlyInAnyOrderElementsOf(kept);

            store.clear(KeyScope.everything());
            assertThat(f.rows()).as("more rows than one DELETE takes, all gone").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aCachesClearLeavesOtherPrefixesAndShapesAndACustomKeyFunctionsClearEmptiesTheTable(Dialect dialect)
            throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "cacheclear")) {
            Cache p = f.cache(o -> o.option("key_prefix", "p").option("max_item_bytes", 16_384));
            Cache px = f.cache(o -> o.option("key_prefix", "p:x")); // stores p:x:1:k, not of p's shape
            Cache q = f.cache(o -> o.option("key_prefix", "q"));
            Cache custom = f.cache(o -> o.keyFunction((key, prefix, version) -> "custom/" + key));
            p.set("k", "v1");
            p.withVersion(2).set("k", "v2");
            p.withVersion(-1).set("k", "v-1");
            p.set("a key with spaces", "hashed");
            byte[] big = new byte[100_000];
            new Random(3).nextBytes(big);
            p.set("big", big, Timeout.FOREVER); // a manifest and its pieces, under p:~<hash>
            for (Cache c : List.of(px, q, custom)) {
                c.set("k", "v");
            }
            assertThat(f.keys()).filteredOn(k -> k.startsWith("p:~")).as("hashed keys and pieces")
                    .hasSizeGreaterThanOrEqualTo(8).allMatch(k -> k.length() == 3 + KeyScope.HASH_CHARS);

            p.clear();
            assertThat(f.keys()).containsExactlyInAnyOrder("custom/k", "p:x:1:k", "q:1:k");
            assertThat(p.get("k")).isNull();
            assertThat(p.withVersion(2).get("k")).isNull();
            for (Cache c : List.of(px, q, custom)) {
                assertThat(c.get("k")).isEqualTo("v");
            }

            custom.clear();
            assertThat(f.rows()).as("a custom key function's clear empties the table, as Django's does").isZero();
        }
    }

    /**
     * The key column's order, on which the scoped clear's ranges rely: PostgreSQL's
     * {@code COLLATE "C"}, SQLite's {@code BINARY} and MariaDB's {@code utf8mb4_bin} compare as
     * UTF-8 bytes (code points), H2 as Java strings (UTF-16 code units). They differ only
     * between a character above U+FFFF and one from U+E000 to U+FFFF, which no range bound is
     * (the bounds are ASCII): both orders are case-sensitive and put every key that starts with a
     * range's ASCII start inside it.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theKeyColumnSortsAsBytesOrUtf16(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "keyorder")) {
            List<String> keys = List.of("p:-1:k", "p:-", "p:.", "p:0:k", "p:9:k", "p::k", "p:;k", "p:A", "p:Z", "p:_", "p:a",
                    "p:z", "p:~a", "p:é", "p:\uE000", "p:\uFFFD", "p:😀", "P:1:k", "p;1:k", "p", "p:", "pA", "p:1:k", "p:10:k");
            f.insertAll(keys, Store.NEVER);
            Comparator<String> order = dialect == Dialect.H2 ? Comparator.naturalOrder()
                    : (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            assertThat(f.keys()).containsExactlyElementsOf(keys.stream().sorted(order).toList());
        }
    }
}
