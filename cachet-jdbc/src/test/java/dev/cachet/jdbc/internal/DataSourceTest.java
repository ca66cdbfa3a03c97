package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.jdbc.Dialect;
import dev.cachet.jdbc.JdbcCaches;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link JdbcCaches#open}: a cache over the application's own DataSource. */
class DataSourceTest {

    private static HikariDataSource pool(String url, boolean autoCommit) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(4);
        hc.setAutoCommit(autoCommit);
        hc.setPoolName("app-pool");
        return new HikariDataSource(hc);
    }

    private static String appUrl(JdbcFixture f) {
        return f.dialect == Dialect.MARIADB ? f.url + "&useAffectedRows=true" : f.url;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aCacheWorksOverTheApplicationsDataSourceAndLeavesItOpen(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "appds"); HikariDataSource app = pool(appUrl(f), true)) {
            CacheConfig config = CacheConfig.builder("jdbc:").name("app").option("table", f.table).option("key_prefix", "app")
                    .build();
            try (Cache cache = JdbcCaches.open(config, app)) {
                assertThat(cache.set("k", "v")).isTrue();
                assertThat(cache.add("k", "other")).isFalse();
                assertThat(cache.add("fresh", "yes")).isTrue();
                cache.set("n", 41);
                assertThat(cache.incr("n")).isEqualTo(42);
                assertThat(cache.getMany(List.of("k", "fresh", "missing"))).containsOnlyKeys("k", "fresh");
                byte[] big = new byte[1 << 20];
                new Random(1).nextBytes(big);
                cache.set("big", big);
                assertThat(cache.get("big", byte[].class)).isEqualTo(big);
                cache.clear();
                assertThat(f.rows()).isZero();
            }
            assertThat(app.isClosed()).as("the application's pool stays open").isFalse();
            try (Connection c = app.getConnection()) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "H2", "MARIADB"})
    void eachOperationCommitsOnAManualCommitDataSource(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "manual"); HikariDataSource app = pool(appUrl(f), false)) {
            CacheConfig config = CacheConfig.builder("jdbc:").option("table", f.table).build();
            try (Cache cache = JdbcCaches.open(config, app)) {
                cache.set("k", "v");
                cache.setMany(Map.of("a", 1, "b", 2));
                cache.set("n", 1);
                assertThat(cache.incr("n")).isEqualTo(2);
                // another connection sees every write: each was committed
                assertThat(f.rows()).isEqualTo(4);
                try (Connection c = f.connect(); PreparedStatement ps = c.prepareStatement("SELECT " + f.valueColumn()
                        + " FROM " + f.table + " WHERE cache_key = ':1:n'"); ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(JdbcFixture.s(rs.getBytes(1))).isEqualTo("2");
                }
                cache.set("text", "x");
                // a failed incr rolls its transaction back and leaves the connection usable
                assertThatThrownBy(() -> cache.incr("text")).isInstanceOf(dev.cachet.NotAnIntegerException.class);
                assertThat(cache.get("text")).isEqualTo("x");
            }
        }
    }

    @Test
    void poolOptionsAreRefusedForTheApplicationsDataSource() throws Exception {
        try (JdbcFixture f = new JdbcFixture(Dialect.H2, "dsopts"); HikariDataSource app = pool(f.url, true)) {
            for (String option : List.of("pool_size", "connect_timeout", "socket_timeout")) {
                CacheConfig config = CacheConfig.builder("jdbc:").option("table", f.table).option(option, 5).build();
                assertThatThrownBy(() -> JdbcCaches.open(config, app)).as(option).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(option).hasMessageContaining("own DataSource");
            }
            assertThatThrownBy(() -> JdbcCaches.open(CacheConfig.of("file:/tmp/x"), app))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be jdbc:");
            assertThatThrownBy(() -> JdbcCaches.open(CacheConfig.builder("jdbc:").option("tabel", "x").build(), app))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tabel");
            assertThatThrownBy(() -> JdbcCaches.open(CacheConfig.builder("jdbc:").option("table", "nope").build(), app))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope does not exist")
                    .hasMessageContaining("CacheTable.create(dataSource");
        }
    }

    @Test
    void aMariaDbDataSourceMustReportAffectedRows() throws Exception {
        try (JdbcFixture f = new JdbcFixture(Dialect.MARIADB, "affected"); HikariDataSource foundRows = pool(f.url, true);
                HikariDataSource affectedRows = pool(f.url + "&useAffectedRows=true", true)) {
            CacheConfig config = CacheConfig.builder("jdbc:").option("table", f.table).build();
            assertThatThrownBy(() -> JdbcCaches.open(config, foundRows)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("useAffectedRows=true");
            try (JdbcStore store = JdbcStore.open(config, affectedRows)) {
                // the text protocol may escape every byte: pieces are at most half a packet
                assertThat(store.capabilities().maxItemBytes()).isLessThan(8L << 20);
            }
            assertThat(f.rows()).as("the probe left nothing behind").isZero();
        }
    }
}
