package dev.cachet.jdbc.internal;

import static dev.cachet.jdbc.internal.JdbcFixture.b;
import static dev.cachet.jdbc.internal.JdbcFixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the contract suite cannot see: the SQL side of the jdbc store, on each dialect. */
class JdbcStoreTest {
    private static final long HOUR = 3_600_000;

    // ---- keys and values ----

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void awkwardKeysAreBoundParametersNeverSqlText(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "keys")) {
            Cache cache = f.cache(o -> o.option("key_prefix", "p"));
            List<String> keys = List.of("it's", "quo\"te", "back\\slash", "semi;colon--", "nul\u0000inside",
                    "x".repeat(10_000), "'; DROP TABLE " + f.table + "; --", "percent%_under", "ünïcödé-日本-😀",
                    "UPPER", "upper");
            for (String k : keys) {
                assertThat(cache.set(k, "value of " + k)).as(k).isTrue();
            }
            for (String k : keys) {
                assertThat(cache.get(k)).as(k).isEqualTo("value of " + k);
                assertThat(cache.hasKey(k)).as(k).isTrue();
            }
            assertThat(cache.getMany(keys)).hasSize(keys.size());
            List<String> stored = f.keys();
            assertThat(stored).hasSize(keys.size());
            assertThat(stored).allSatisfy(k -> assertThat(k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isLessThanOrEqualTo(250));
            // safe keys are stored verbatim (so quotes reached the database as data), unsafe ones hashed
            assertThat(stored).contains("p:1:it's", "p:1:quo\"te", "p:1:back\\slash", "p:1:semi;colon--",
                    "p:1:percent%_under", "p:1:ünïcödé-日本-😀", "p:1:UPPER", "p:1:upper");
            assertThat(stored.stream().filter(k -> k.startsWith("p:~"))).as("hashed: NUL, 10 KB, spaces").hasSize(3);
            assertThat(cache.delete("'; DROP TABLE " + f.table + "; --")).isTrue();
            assertThat(cache.deleteMany(keys)).isEqualTo(keys.size() - 1);
            assertThat(f.rows()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aTwentyMegabyteValueRoundTrips(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "big")) {
            Cache cache = f.cache(o -> o.option("compression", "none"));
            byte[] big = new byte[20 << 20];
            new Random(20).nextBytes(big);
            assertThat(cache.set("big", big)).isTrue();
            assertThat(cache.get("big", byte[].class)).isEqualTo(big);
            // MariaDB's max_allowed_packet (16 MiB here) cuts it into pieces; the others hold it in one row
            assertThat(f.rows()).isEqualTo(dialect == Dialect.MARIADB ? 3 : 1);
            assertThat(cache.delete("big")).isTrue();
            assertThat(cache.get("big")).isNull();
        }
    }

    @Test
    void onMariaDbAValueOverThePacketFailsClearlyAndLeavesNoRow() throws Exception {
        try (JdbcFixture f = new JdbcFixture(Dialect.MARIADB, "packet")) {
            JdbcStore store = f.store();
            long limit = store.capabilities().maxItemBytes();
            assertThat(limit).isBetween(1L << 20, 16L << 20);
            byte[] tooBig = new byte[17 << 20];
            // the store alone (no chunking above it): the server refuses the statement
            assertThatThrownBy(() -> store.put("big", tooBig, Store.NEVER, PutMode.SET)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("set failed").hasMessageContaining("MariaDB").hasMessageContaining(f.table);
            assertThat(f.rows()).isZero();
            // and the pool recovers from the connection the server dropped
            assertThat(store.put("small", b("1"), Store.NEVER, PutMode.SET)).isTrue();
            assertThat(store.incr("small", 1)).isEqualTo(2L);
            // asking for pieces larger than a packet is refused at open, naming the limit
            assertThatThrownBy(() -> f.store(o -> o.option("max_item_bytes", "32m"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max_allowed_packet").hasMessageContaining(Long.toString(limit));
        }
    }

    // ---- incr ----

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void incrHandlesEveryValueExactly(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "incr")) {
            JdbcStore store = f.store();
            long deadline = f.clock.millis() + HOUR;
            store.put("n", b("5"), deadline, PutMode.SET);
            assertThat(store.incr("n", -5)).isEqualTo(0L);
            assertThat(store.incr("n", 0)).isEqualTo(0L);
            assertThat(store.incr("n", -1)).isEqualTo(-1L);
            assertThat(store.incr("n", -9_000_000_000_000L)).isEqualTo(-9_000_000_000_001L);
            assertThat(s(store.get("n"))).isEqualTo("-9000000000001");
            store.put("n", b("0"), deadline, PutMode.SET);
            assertThat(store.incr("n", Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
            assertThatThrownBy(() -> store.incr("n", -1)).isInstanceOf(ArithmeticException.class);
            assertThat(store.incr("n", Long.MAX_VALUE)).isEqualTo(-1L);
            assertThat(store.incr("n", Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE - 1);
            assertThat(store.incr("n", 1)).isEqualTo(Long.MAX_VALUE);
            assertThatThrownBy(() -> store.incr("n", 1)).isInstanceOf(ArithmeticException.class);
            assertThat(s(store.get("n"))).isEqualTo(Long.toString(Long.MAX_VALUE));
            // the deadline is kept
            try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement("SELECT expires FROM " + f.table
                    + " WHERE cache_key = 'n'"); ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(deadline);
            }
            // decimals in unusual spellings (written by someone else) still count
            f.insert("zeros", b("007"), deadline);
            assertThat(store.incr("zeros", 1)).isEqualTo(8L);
            assertThat(s(store.get("zeros"))).isEqualTo("8");
            f.insert("minus-zero", b("-0"), deadline);
            assertThat(store.incr("minus-zero", 1)).isEqualTo(1L);
            // not integers: the value is left alone
            for (String v : List.of("abc", "12abc", "1.5", "99999999999999999999", "9999999999999999999",
                    "9223372036854775808", "-", "", " 41 ", "41 ", "+7", "5\n", "5\r\n", "\n5", "0x10", "1e3")) {
                f.insert("bad-" + v, b(v), deadline);
                assertThatThrownBy(() -> store.incr("bad-" + v, 1)).as("'%s'", v).isInstanceOf(NotAnIntegerException.class);
                assertThat(s(store.get("bad-" + v))).isEqualTo(v);
            }
            f.insert("binary", new byte[] {(byte) 0xC1, 0, 1, (byte) 0xFF}, deadline);
            assertThatThrownBy(() -> store.incr("binary", 1)).isInstanceOf(NotAnIntegerException.class);
            // missing and expired keys hold nothing to increment
            assertThat(store.incr("missing", 1)).isNull();
            f.insert("expired", b("1"), f.clock.millis());
            assertThat(store.incr("expired", 1)).isNull();
            assertThat(f.count("cache_key = 'expired'")).isEqualTo(1);
        }
    }

    // ---- conditional writes ----

    /**
     * touchAndLength (a length, -1 when missing or expired, the same deadline again) is the Store
     * contract's; here, an empty value, which memcached cannot hold: 0, not -1.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void touchAndLengthOfAnEmptyValueIsZero(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "tal")) {
            JdbcStore store = f.store();
            long deadline = f.clock.millis() + HOUR;
            store.put("empty", new byte[0], deadline, PutMode.SET);
            assertThat(store.touchAndLength("empty", deadline + HOUR)).isZero();
            f.clock.advance(Duration.ofMillis(HOUR + 1));
            assertThat(store.get("empty")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void touchOfAChunkedValueKeepsEveryPiece(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "chunktouch")) {
            Cache cache = f.cache(o -> o.option("max_item_bytes", 16_384));
            byte[] big = new byte[100_000];
            new java.util.Random(7).nextBytes(big);
            cache.set("big", big, Duration.ofSeconds(10));
            cache.set("small", "v", Duration.ofSeconds(10));
            assertThat(f.rows()).as("a manifest, at least 7 pieces, and the small value").isGreaterThanOrEqualTo(9);
            assertThat(cache.touch("big", Timeout.of(Duration.ofHours(1)))).isTrue();
            assertThat(cache.touch("small", Timeout.of(Duration.ofHours(1)))).isTrue();
            f.clock.advance(Duration.ofMinutes(30));
            assertThat(cache.get("big", byte[].class)).isEqualTo(big);
            assertThat(cache.get("small")).isEqualTo("v");
        }
    }

    // ---- bulk ----

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void manyKeysAreCutOnlyWhereAStatementMustEnd(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "many")) {
            JdbcStore store = f.store();
            int n = 25_000;
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                entries.put("k" + i, b("v" + i));
            }
            assertThat(store.putMany(entries, Store.NEVER)).isEmpty();
            assertThat(f.rows()).isEqualTo(n);
            List<String> keys = new ArrayList<>(entries.keySet());
            keys.add("missing");
            keys.add("k7"); // repeated
            Map<String, byte[]> found = store.getMany(keys);
            assertThat(found).hasSize(n);
            assertThat(s(found.get("k24999"))).isEqualTo("v24999");
            // every bucketed list size: the padding repeats a key and never reads or deletes another
            for (int size : new int[] {1, 2, 7, 8, 9, 15, 16, 17, 100, 1000}) {
                List<String> some = IntStream.range(0, size).mapToObj(i -> "k" + (i * 3)).toList();
                assertThat(store.getMany(some).keySet()).as("size %d", size).containsExactlyInAnyOrderElementsOf(some);
            }
            assertThat(store.deleteMany(List.of("k0", "k3", "k0", "missing"))).isEqualTo(2);
            assertThat(store.deleteMany(keys)).isEqualTo(n - 2);
            assertThat(f.rows()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void clearRemovesExactlyThisPrefixsRows(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "clear")) {
            // LIKE 'a_b%:%' would also match the others: the key range does not
            Cache mine = f.cache(o -> o.option("key_prefix", "a_b%"));
            Cache lookalike = f.cache(o -> o.option("key_prefix", "aXbY"));
            Cache longer = f.cache(o -> o.option("key_prefix", "a_b%x"));
            Cache upper = f.cache(o -> o.option("key_prefix", "A_B%"));
            for (Cache c : List.of(mine, lookalike, longer, upper)) {
                c.set("k", "v");
                c.set("a key with spaces", "hashed");
                c.withVersion(2).set("k", "v2");
            }
            mine.set("big", new byte[300_000], Timeout.FOREVER);
            mine.clear();
            assertThat(f.keys()).noneMatch(k -> k.startsWith("a_b%:"));
            for (Cache c : List.of(lookalike, longer, upper)) {
                assertThat(c.get("k")).isEqualTo("v");
                assertThat(c.get("a key with spaces")).isEqualTo("hashed");
                assertThat(c.withVersion(2).get("k")).isEqualTo("v2");
            }
            // an empty prefix owns the keys of its shape only (":1:k", "~<hash>"): the other caches' rows stay
            Cache unprefixed = f.cache(o -> { });
            unprefixed.set("k", "v");
            unprefixed.set("a key with spaces", "hashed");
            unprefixed.clear();
            assertThat(unprefixed.get("k")).isNull();
            assertThat(unprefixed.get("a key with spaces")).isNull();
            assertThat(f.keys()).hasSize(9).allMatch(k -> k.startsWith("aXbY:") || k.startsWith("a_b%x:") || k.startsWith("A_B%:"));
            // a custom key function makes the shape unknown: its clear empties the table, as Django's does
            Cache custom = f.cache(o -> o.keyFunction((key, prefix, version) -> "custom/" + key));
            custom.set("k", "v");
            custom.clear();
            assertThat(f.rows()).isZero();
        }
    }

    // ---- opening and options ----

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aMissingTableIsAClearErrorAtOpen(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "missing")) {
            Databases.drop(f.url, f.table);
            assertThatThrownBy(() -> f.store()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cache table " + f.table + " does not exist")
                    .hasMessageContaining("cachet createcachetable --cache").hasMessageContaining("--table " + f.table)
                    .hasMessageContaining("CacheTable.create").hasMessageContaining("create_table=true")
                    .hasMessageContaining(dialect.displayName());
            JdbcStore created = f.store(o -> o.option("create_table", true));
            created.put("k", b("v"), Store.NEVER, PutMode.SET);
            assertThat(f.rows()).isEqualTo(1);
        }
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        String url = Databases.sqliteUrl("options");
        Databases.recreate(url, CacheTable.DEFAULT_NAME);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("cull_probability", "2");
        bad.put("purge_interval", "-1");
        bad.put("pool_size", "0");
        bad.put("connect_timeout", "10ms");
        bad.put("unlogged", "true");
        bad.put("synchronous_commit", "off");
        bad.put("create_table", "perhaps");
        bad.put("table", "1st");
        bad.put("tabel", "x");
        bad.forEach((option, value) -> assertThatThrownBy(() -> Caches.open(CacheConfig.builder(url).name("opts")
                .option(option, value).build())).as(option).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache 'opts'").hasMessageContaining(option));
        assertThatThrownBy(() -> Caches.open(CacheConfig.builder(url).option("unlogged", true).build()))
                .hasMessageContaining("PostgreSQL only");
        assertThatThrownBy(() -> Caches.open(CacheConfig.of("jdbc:"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a JDBC URL");
        assertThatThrownBy(() -> Caches.open(CacheConfig.of("jdbc:oracle:thin:@h:1521:x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported database");
        try (Cache ok = Caches.open(CacheConfig.builder(url).option("cull_probability", "0.5").option("purge_interval", "250ms")
                .option("pool_size", 2).option("connect_timeout", "1s").option("socket_timeout", 0).build())) {
            assertThat(ok.set("k", "v")).isTrue();
        }
    }

    @Test
    void aPropertiesFileConfiguresJdbcCachesAndTheUrlsQueryStaysTheDrivers() throws Exception {
        try (JdbcFixture f = new JdbcFixture(Dialect.POSTGRESQL, "props")) {
            java.util.Properties p = new java.util.Properties();
            // the URL's query is the driver's (ApplicationName); a cachet option written there would
            // never reach cachet, so it is refused, naming where it belongs
            p.setProperty("cachet.db.location", f.url + "&ApplicationName=props-test&table=nope");
            assertThatThrownBy(() -> Caches.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("option table is written in the JDBC URL");
            p.setProperty("cachet.db.location", f.url + "&ApplicationName=props-test");
            p.setProperty("cachet.db.table", f.table);
            p.setProperty("cachet.db.pool_size", "2");
            p.setProperty("cachet.db.key_prefix", "props");
            try (dev.cachet.Caches caches = Caches.fromProperties(p)) {
                Cache db = caches.get("db");
                assertThat(db.set("k", "v")).isTrue();
                assertThat(db.get("k")).isEqualTo("v");
            }
            assertThat(f.keys()).containsExactly("props:1:k");
        }
    }

    /**
     * MariaDB Connector/J refuses jdbc:mysql: URLs, and DriverManager then says "No suitable
     * driver found for" the whole URL: neither the message nor any cause in the chain may show
     * the password, and the advice names MySQL's driver.
     */
    @Test
    void aUrlNoDriverTakesNeverShowsItsPasswordAnywhere() {
        String url = "jdbc:mysql://127.0.0.1:" + Servers.freePort() + "/db?user=u&password=s3cret";
        CacheConfig config = CacheConfig.builder(url).build();
        Throwable open = catchThrowable(() -> Caches.open(config));
        assertThat(open).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no JDBC driver")
                .hasMessageContaining("mysql-connector-j").hasMessageContaining("password=***");
        Throwable create = catchThrowable(() -> dev.cachet.jdbc.CacheTable.create(config));
        // the driver is handed the URL without its password (a property instead), so it cannot repeat it
        assertThat(create).isInstanceOf(java.sql.SQLException.class).hasMessageContaining("No suitable driver")
                .hasMessageNotContaining("password=");
        for (Throwable t : List.of(open, create)) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain("s3cret");
                for (Throwable s : c.getSuppressed()) {
                    assertThat(String.valueOf(s.getMessage())).doesNotContain("s3cret");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void backendFailuresNameTheOperationAndDialectButNeverTheValue(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "failures")) {
            Cache raising = f.cache(o -> o.name("raising"));
            Cache degrading = f.cache(o -> o.name("degrading").option("on_error", "degrade"));
            assertThat(raising.set("k", "secret-value")).isTrue();
            Databases.drop(f.url, f.table);
            assertThatThrownBy(() -> raising.set("k", "secret-value")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("set").hasMessageContaining(dialect.displayName()).hasMessageContaining(f.table)
                    .hasCauseInstanceOf(StoreException.class).message().doesNotContain("secret-value");
            assertThatThrownBy(() -> raising.get("k")).isInstanceOf(CacheException.class).hasMessageContaining("get");
            assertThatThrownBy(() -> raising.incr("k")).isInstanceOf(CacheException.class).hasMessageContaining("incr");
            assertThat(degrading.get("k")).isNull();
            assertThat(degrading.set("k", "v")).isFalse();
            assertThat(degrading.add("k", "v")).isFalse();
            assertThat(degrading.setMany(Map.of("a", 1, "b", 2))).containsExactlyInAnyOrder("a", "b");
        }
    }

    @Test
    void closingStopsThePurgeThreadAndReleasesThePool() throws Exception {
        try (JdbcFixture f = new JdbcFixture(Dialect.H2, "close")) {
            JdbcStore store = f.store(o -> o.option("purge_interval", "50ms"));
            assertThat(purgeThreads()).isNotEmpty();
            store.close();
            store.close();
            assertThat(purgeThreads()).isEmpty();
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
    }

    private static List<String> purgeThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("cachet-fixture-background")).collect(Collectors.toList());
    }

    @Test
    void inMemoryDatabasesAreOneDatabaseForTheWholePool() {
        for (String url : List.of("jdbc:sqlite::memory:", "jdbc:h2:mem:cachet-mem-test")) {
            try (Cache c = Caches.open(CacheConfig.builder(url).option("create_table", true).build())) {
                // several threads, several pooled connections (one for SQLite): all see one table
                List<Integer> ns = IntStream.range(0, 50).boxed().parallel().map(i -> {
                    c.set("k" + i, i);
                    return i;
                }).toList();
                assertThat(c.getMany(ns.stream().map(i -> "k" + i).toList())).as(url).hasSize(50);
                c.set("n", 0);
                assertThat(c.incr("n")).isEqualTo(1);
            }
        }
    }
}
