package dev.cachet.jdbc.internal;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.jdbc.Dialect;
import dev.cachet.testkit.TestClock;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One test's table on one dialect: created afresh, with helpers to open stores and caches on
 * it (closed by {@link #close()}) and to look at the rows directly.
 */
final class JdbcFixture implements AutoCloseable {
    final Dialect dialect;
    final String url;
    final String table;
    final TestClock clock = new TestClock();
    private final List<AutoCloseable> opened = new ArrayList<>();

    JdbcFixture(Dialect dialect, String name) {
        this.dialect = dialect;
        this.table = ("t_" + name + "_" + dialect.name()).toLowerCase(Locale.ROOT);
        this.url = Databases.url(dialect, name);
        Databases.recreate(url, table);
    }

    /** A config on this table with the test clock, no culling and no purge unless {@code options} say otherwise. */
    CacheConfig.Builder config(Consumer<CacheConfig.Builder> options) {
        CacheConfig.Builder b = CacheConfig.builder(url).name("fixture").clock(clock).option("table", table)
                .option("cull_probability", 0).option("purge_interval", 0);
        options.accept(b);
        return b;
    }

    JdbcStore store() {
        return store(b -> { });
    }

    JdbcStore store(Consumer<CacheConfig.Builder> options) {
        JdbcStore s = JdbcStore.open(config(options).build());
        opened.add(s);
        return s;
    }

    Cache cache(Consumer<CacheConfig.Builder> options) {
        Cache c = Caches.open(config(options).build());
        opened.add(c);
        return c;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    /** The value column as written in SQL on this dialect. */
    String valueColumn() {
        return dialect == Dialect.H2 ? "\"VALUE\"" : "value";
    }

    long rows() throws SQLException {
        return count("");
    }

    long count(String where) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table
                + (where.isEmpty() ? "" : " WHERE " + where)); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> keys() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT cache_key FROM " + table
                + " ORDER BY cache_key"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Writes a row directly, bypassing the store. */
    void insert(String key, byte[] value, long expires) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (cache_key, "
                + valueColumn() + ", expires) VALUES (?, ?, ?)")) {
            ps.setString(1, key);
            ps.setBytes(2, value);
            ps.setLong(3, expires);
            ps.executeUpdate();
        }
    }

    /** Writes a row of value {@code x} for each of {@code keys} directly, in one transaction, bypassing the store. */
    void insertAll(java.util.Collection<String> keys, long expires) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (cache_key, " + valueColumn()
                    + ", expires) VALUES (?, ?, ?)")) {
                for (String k : keys) {
                    ps.setString(1, k);
                    ps.setBytes(2, b("x"));
                    ps.setLong(3, expires);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        opened.clear();
        try {
            Databases.drop(url, table);
        } catch (RuntimeException e) {
            if (first == null) {
                first = e;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
