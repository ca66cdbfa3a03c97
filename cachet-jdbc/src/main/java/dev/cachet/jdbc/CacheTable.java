package dev.cachet.jdbc;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.internal.JdbcSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The cache table: its DDL per dialect, and its creation (Django's {@code createcachetable}).
 *
 * <p>One table per cache location: {@code cache_key VARCHAR(255)} primary key (case-sensitive:
 * {@code COLLATE "C"} on PostgreSQL, {@code utf8mb4_bin} on MariaDB), {@code value} bytes
 * ({@code BYTEA}, {@code LONGBLOB}, {@code BLOB}, {@code VARBINARY}), and {@code expires BIGINT}
 * (epoch milliseconds of the cache's clock, {@link Long#MAX_VALUE} for never) with an index
 * named {@code <table>_expires}. The statements ship as plain SQL resources,
 * {@code dev/cachet/jdbc/ddl/<dialect>.sql} (plus {@code postgresql-unlogged.sql}), with the
 * table name as the placeholder {@code ${table}}, so Flyway or Liquibase users can copy them.
 *
 * <p>Table names are plain SQL identifiers, never quoted: a letter or {@code _}, then letters,
 * digits or {@code _}, at most {@value #MAX_NAME_LENGTH} characters (so that
 * {@code <table>_expires} fits the 63-character identifiers of PostgreSQL). Creation is
 * idempotent ({@code CREATE TABLE IF NOT EXISTS}, {@code CREATE INDEX IF NOT EXISTS}).
 */
public final class CacheTable {
    /** The table name when the {@code table} option is not given. */
    public static final String DEFAULT_NAME = "cachet_cache";

    /** The longest table name, so that the index name {@code <table>_expires} has at most 63 characters. */
    public static final int MAX_NAME_LENGTH = 55;

    /** The placeholder for the table name in the DDL resources. */
    public static final String PLACEHOLDER = "${table}";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0," + (MAX_NAME_LENGTH - 1) + "}");

    private CacheTable() {
    }

    /**
     * Returns {@code table} if it is a plain SQL identifier.
     *
     * @throws IllegalArgumentException naming it, otherwise
     */
    public static String checkName(String table) {
        Objects.requireNonNull(table, "table name must not be null");
        if (!NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("table name '" + table + "' is not a plain SQL identifier: it must be a"
                    + " letter or _, then letters, digits or _ ([A-Za-z_][A-Za-z0-9_]*), at most " + MAX_NAME_LENGTH
                    + " characters (so that the index name <table>_expires fits 63)");
        }
        return table;
    }

    /** The statements that create table {@code table} for {@code dialect} (a logged table). */
    public static List<String> ddl(Dialect dialect, String table) {
        return ddl(dialect, table, false);
    }

    /**
     * The statements that create table {@code table} for {@code dialect}; {@code unlogged}
     * makes a PostgreSQL {@code UNLOGGED} table (faster writes; emptied after a crash, not
     * replicated).
     *
     * @throws IllegalArgumentException for a bad name, or {@code unlogged} on another database
     */
    public static List<String> ddl(Dialect dialect, String table, boolean unlogged) {
        Objects.requireNonNull(dialect, "dialect must not be null");
        checkName(table);
        if (unlogged && dialect != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("unlogged tables are a PostgreSQL feature, not available on "
                    + dialect.displayName());
        }
        List<String> out = new ArrayList<>();
        for (String statement : statements(resource(dialect, unlogged))) {
            out.add(statement.replace(PLACEHOLDER, table));
        }
        return List.copyOf(out);
    }

    /** The statements that create table {@code table} for the database of {@code jdbcUrl}. */
    public static List<String> ddl(String jdbcUrl, String table) {
        return ddl(Dialect.ofUrl(jdbcUrl), table, false);
    }

    /** The DDL resource's text, with the {@code ${table}} placeholder, as shipped. */
    public static String resource(Dialect dialect, boolean unlogged) {
        String name = "ddl/" + dialect.resourceName() + (unlogged ? "-unlogged" : "") + ".sql";
        try (InputStream in = CacheTable.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource dev/cachet/jdbc/" + name + " is missing from cachet-jdbc");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/cachet/jdbc/" + name, e);
        }
    }

    /** The statements of a DDL script: {@code --} comment lines dropped, split at {@code ;}. */
    static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                sb.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : sb.toString().split(";")) {
            String t = s.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * True when table {@code table} exists in the connection's current database or schema (a
     * catalog query; the table is not read).
     */
    public static boolean exists(Connection connection, String table) throws SQLException {
        return exists(connection, Dialect.of(connection), checkName(table));
    }

    static boolean exists(Connection c, Dialect dialect, String table) throws SQLException {
        String sql = switch (dialect) {
            case POSTGRESQL -> "SELECT to_regclass(?) IS NOT NULL";
            case MARIADB -> "SELECT COUNT(*) > 0 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?";
            case SQLITE -> "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE";
            case H2 -> "SELECT COUNT(*) > 0 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
                    + " AND UPPER(TABLE_NAME) = UPPER(?)";
        };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Creates table {@code table} (and its index) over {@code connection} unless it exists.
     * Commits when the connection is not in auto-commit mode.
     *
     * @return true when it was created, false when it existed
     */
    public static boolean create(Connection connection, String table, boolean unlogged) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        checkName(table);
        if (exists(connection, dialect, table)) {
            return false;
        }
        List<String> statements = ddl(dialect, table, unlogged);
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return true;
    }

    /** {@link #create(Connection, String, boolean)} over a connection of {@code dataSource}. */
    public static boolean create(DataSource dataSource, String table, boolean unlogged) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return create(c, table, unlogged);
        }
    }

    /**
     * Creates the table of the cache {@code config} describes ({@code jdbc:} location; its
     * {@code table} and {@code unlogged} options), over one connection from
     * {@link DriverManager}, unless it exists.
     *
     * @return true when it was created, false when it existed
     * @throws IllegalArgumentException for a location that is not {@code jdbc:} or a bad option
     * @throws SQLException when the database cannot be reached or refuses the DDL
     */
    public static boolean create(CacheConfig config) throws SQLException {
        String url = JdbcSettings.jdbcUrl(config);
        JdbcSettings settings = JdbcSettings.of(config);
        Dialect dialect = Dialect.ofUrl(url);
        settings.checkDialect(config, dialect);
        try (Connection c = dev.cachet.jdbc.internal.JdbcSettings.connect(url, dialect)) {
            return create(c, settings.table, settings.unlogged);
        } catch (SQLException e) {
            throw dev.cachet.jdbc.internal.JdbcSettings.scrub(e, url);
        }
    }

    /** The statements that create the table of the cache {@code config} describes. */
    public static List<String> ddl(CacheConfig config) {
        String url = JdbcSettings.jdbcUrl(config);
        JdbcSettings settings = JdbcSettings.of(config);
        Dialect dialect = Dialect.ofUrl(url);
        settings.checkDialect(config, dialect);
        return ddl(dialect, settings.table, settings.unlogged);
    }
}
