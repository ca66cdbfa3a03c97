package dev.cachet.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.internal.Databases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The cache table's DDL, its shipped resources, creation, and name checks. */
class CacheTableTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theDdlIsTheShippedResourceWithTheTableNameSubstituted(Dialect dialect) {
        String resource = CacheTable.resource(dialect, false);
        assertThat(resource).contains("${table}").contains("CREATE TABLE IF NOT EXISTS ${table}");
        List<String> ddl = CacheTable.ddl(dialect, "my_cache");
        List<String> expected = CacheTable.statements(resource).stream().map(s -> s.replace("${table}", "my_cache")).toList();
        assertThat(ddl).isEqualTo(expected);
        assertThat(String.join("\n", ddl)).doesNotContain("${table}").doesNotContain("--")
                .contains("CREATE TABLE IF NOT EXISTS my_cache (").contains("cache_key VARCHAR(255)")
                .contains("expires BIGINT NOT NULL").contains("my_cache_expires");
        // every dialect: one CREATE TABLE and the expires index (inline on MariaDB)
        assertThat(ddl).hasSize(dialect == Dialect.MARIADB ? 1 : 2);
        assertThat(CacheTable.ddl("jdbc:" + urlScheme(dialect) + "//x/y", "my_cache")).isEqualTo(ddl);
    }

    private static String urlScheme(Dialect d) {
        return switch (d) {
            case POSTGRESQL -> "postgresql:";
            case MARIADB -> "mariadb:";
            case SQLITE -> "sqlite:";
            case H2 -> "h2:";
        };
    }

    @Test
    void eachDialectHasItsColumnTypes() {
        assertThat(String.join(" ", CacheTable.ddl(Dialect.POSTGRESQL, "t"))).contains("COLLATE \"C\"").contains("BYTEA");
        assertThat(String.join(" ", CacheTable.ddl(Dialect.MARIADB, "t"))).contains("utf8mb4_bin").contains("LONGBLOB")
                .contains("ENGINE = InnoDB");
        assertThat(String.join(" ", CacheTable.ddl(Dialect.SQLITE, "t"))).contains("value BLOB");
        assertThat(String.join(" ", CacheTable.ddl(Dialect.H2, "t"))).contains("\"VALUE\" VARBINARY");
    }

    @Test
    void unloggedIsAPostgresTableOnly() {
        assertThat(CacheTable.ddl(Dialect.POSTGRESQL, "t", true).get(0)).startsWith("CREATE UNLOGGED TABLE IF NOT EXISTS t (");
        assertThat(CacheTable.resource(Dialect.POSTGRESQL, true)).contains("CREATE UNLOGGED TABLE IF NOT EXISTS ${table}");
        assertThatThrownBy(() -> CacheTable.ddl(Dialect.SQLITE, "t", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PostgreSQL").hasMessageContaining("SQLite");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1cache", "my-cache", "my cache", "cache;drop", "a.b", "\"quoted\"", "caché", "tab\tle",
        "x'y", "a_very_long_table_name_that_is_longer_than_fifty_five_chars"})
    void badTableNamesAreRefusedNamingThem(String name) {
        assertThatThrownBy(() -> CacheTable.checkName(name)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "'").hasMessageContaining("identifier");
        assertThatThrownBy(() -> CacheTable.ddl(Dialect.POSTGRESQL, name)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "_", "cachet_cache", "Cache2", "_x_1", "a234567890123456789012345678901234567890123456789012345"})
    void plainIdentifiersAreAccepted(String name) {
        assertThat(CacheTable.checkName(name)).isEqualTo(name);
        assertThat(name.length()).isLessThanOrEqualTo(CacheTable.MAX_NAME_LENGTH);
    }

    @Test
    void theTableOptionIsCheckedWhenACacheOpens() {
        CacheConfig config = CacheConfig.builder("jdbc:" + Databases.sqliteUrl("names").substring(5)).name("bad")
                .option("table", "x; drop table y").build();
        assertThatThrownBy(() -> dev.cachet.Caches.open(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache 'bad'").hasMessageContaining("option table")
                .hasMessageContaining("'x; drop table y'");
    }

    @Test
    void theDialectComesFromTheUrl() {
        assertThat(Dialect.ofUrl("jdbc:postgresql://h/db")).isEqualTo(Dialect.POSTGRESQL);
        assertThat(Dialect.ofUrl("jdbc:mariadb://h/db")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.ofUrl("jdbc:mysql://h/db")).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.ofUrl("jdbc:sqlite:/tmp/x.db")).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.ofUrl("JDBC:H2:mem:x")).isEqualTo(Dialect.H2);
        assertThat(Dialect.ofUrl("postgresql://h/db")).isEqualTo(Dialect.POSTGRESQL);
        assertThatThrownBy(() -> Dialect.ofUrl("jdbc:oracle:thin:@h:1521:x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:oracle:").hasMessageContaining("jdbc:postgresql:");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void createIsIdempotentAndMakesAUsableTable(Dialect dialect) throws Exception {
        String url = Databases.url(dialect, "create");
        String table = "tbl_create";
        Databases.drop(url, table);
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(CacheTable.exists(c, table)).isFalse();
            assertThat(CacheTable.create(c, table, false)).as("created").isTrue();
            assertThat(CacheTable.exists(c, table)).isTrue();
            assertThat(CacheTable.create(c, table, false)).as("second create finds it").isFalse();
            // the raw DDL is idempotent too (IF NOT EXISTS), as a migration tool would run it
            try (Statement s = c.createStatement()) {
                for (String sql : CacheTable.ddl(dialect, table)) {
                    s.execute(sql);
                }
            }
            // the columns are the ones the store uses
            String value = dialect == Dialect.H2 ? "\"VALUE\"" : "value";
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (cache_key, " + value
                    + ", expires) VALUES (?, ?, ?)")) {
                ps.setString(1, "Key");
                ps.setBytes(2, new byte[] {0, 1, 2, (byte) 255});
                ps.setLong(3, Long.MAX_VALUE);
                ps.executeUpdate();
                ps.setString(1, "key");
                ps.executeUpdate(); // keys are case-sensitive: a second row, not a duplicate
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(expires) FROM " + table)) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
                assertThat(rs.getLong(2)).isEqualTo(Long.MAX_VALUE);
            }
        } finally {
            Databases.drop(url, table);
        }
    }

    @Test
    void createFromAConfigUsesItsTableOption() throws Exception {
        String url = Databases.sqliteUrl("fromconfig");
        CacheConfig config = CacheConfig.builder(url).option("table", "from_config").build();
        assertThat(CacheTable.ddl(config)).isEqualTo(CacheTable.ddl(Dialect.SQLITE, "from_config"));
        assertThat(CacheTable.create(config)).isTrue();
        assertThat(CacheTable.create(config)).isFalse();
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(CacheTable.exists(c, "from_config")).isTrue();
        }
        assertThatThrownBy(() -> CacheTable.create(CacheConfig.of("file:/tmp/x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a jdbc: location");
    }

    @Test
    void anUnloggedPostgresTableIsUnlogged() throws Exception {
        String url = Databases.postgresUrl();
        String table = "tbl_unlogged";
        Databases.drop(url, table);
        try (Connection c = DriverManager.getConnection(url)) {
            assertThat(CacheTable.create(c, table, true)).isTrue();
            try (PreparedStatement ps = c.prepareStatement("SELECT relpersistence FROM pg_class WHERE oid = to_regclass(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("u");
                }
            }
        } finally {
            Databases.drop(url, table);
        }
    }
}
