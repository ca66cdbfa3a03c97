package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.jdbc.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * SQLite settings written in the location's URL win over cachet's defaults (WAL journal,
 * {@code synchronous=NORMAL}, a 10 s busy timeout, waited out by cachet's busy handler), which apply only to what the URL leaves
 * out: checked with {@code PRAGMA} on the pool's connections, on a fresh connection (the
 * journal mode persists in the file), and in the file's header (bytes 18 and 19 are 2 for WAL,
 * 1 for a rollback journal).
 */
class SqlitePragmaTest {

    @Test
    void theUrlsPragmasWin() throws Exception {
        Path file = Databases.scratch().resolve("pragmas-user.db");
        String url = "jdbc:sqlite:" + file + "?journal_mode=DELETE&synchronous=FULL&busy_timeout=1234";
        try (Cache cache = Caches.open(CacheConfig.builder(url).name("user").option("create_table", "true").build())) {
            assertThat(cache.set("k", "v")).isTrue();
            assertThat(cache.get("k")).isEqualTo("v");
        }
        CacheConfig config = CacheConfig.builder(url).name("user").build();
        try (HikariDataSource pool = ConnectionPools.create("user", url, Dialect.SQLITE, JdbcSettings.of(config));
                Connection c = pool.getConnection()) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("delete");
            assertThat(pragma(c, "synchronous")).as("FULL").isEqualTo("2");
            assertThat(busyTimeout(pool)).isEqualTo(1234);
        }
        try (Connection fresh = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            assertThat(pragma(fresh, "journal_mode")).as("the file's journal mode").isEqualTo("delete");
        }
        assertThat(headerVersions(file)).as("file header: rollback journal").containsExactly(1, 1);
    }

    @Test
    void pragmasNamedInAnotherCaseWinToo() throws Exception {
        Path file = Databases.scratch().resolve("pragmas-case.db");
        String url = "jdbc:sqlite:" + file + "?Journal_Mode=truncate&SYNCHRONOUS=off";
        CacheConfig config = CacheConfig.builder(url).name("case").build();
        try (HikariDataSource pool = ConnectionPools.create("case", url, Dialect.SQLITE, JdbcSettings.of(config));
                Connection c = pool.getConnection()) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("truncate");
            assertThat(pragma(c, "synchronous")).as("OFF").isEqualTo("0");
            assertThat(busyTimeout(pool)).as("cachet's default where the URL says nothing").isEqualTo(10_000);
        }
    }

    @Test
    void withoutPragmasCachetsDefaultsApply() throws Exception {
        Path file = Databases.scratch().resolve("pragmas-default.db");
        String url = "jdbc:sqlite:" + file;
        try (Cache cache = Caches.open(CacheConfig.builder(url).name("default").option("create_table", "true").build())) {
            assertThat(cache.set("k", "v")).isTrue();
        }
        CacheConfig config = CacheConfig.builder(url).name("default").build();
        try (HikariDataSource pool = ConnectionPools.create("default", url, Dialect.SQLITE, JdbcSettings.of(config));
                Connection c = pool.getConnection()) {
            assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(c, "synchronous")).as("NORMAL").isEqualTo("1");
            assertThat(busyTimeout(pool)).isEqualTo(10_000);
        }
        try (Connection fresh = DriverManager.getConnection(url)) {
            assertThat(pragma(fresh, "journal_mode")).as("the file's journal mode").isEqualTo("wal");
        }
        assertThat(headerVersions(file)).as("file header: WAL").containsExactly(2, 2);
    }

    /** The busy timeout the pool's connections wait by (their busy handler's; SQLite's own pragma then reads 0). */
    private static long busyTimeout(HikariDataSource pool) {
        return ((SqliteConnections) pool.getDataSource()).busyTimeoutMillis();
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Bytes 18 and 19 of the database header: the file format's write and read versions. */
    private static int[] headerVersions(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(20);
            return new int[] {header[18], header[19]};
        }
    }
}
