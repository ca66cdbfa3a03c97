package dev.cachet.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.CacheConfig;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.Secrets;
import dev.cachet.spi.DeferredStore;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import dev.cachet.spi.StoreUnreachableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link JdbcStore}: checks the options, creates the pool for a URL (or takes the
 * caller's DataSource), finds the dialect, checks (or creates) the table, works out the item
 * limit, and picks the dialect's statements. Every problem the caller can fix (a bad option, a
 * missing table or driver, a MariaDB packet too small) is an {@link IllegalArgumentException}
 * saying what to do; an unreachable database is a {@link StoreUnreachableException} (and
 * {@link #openOrDefer} opens a {@link DeferredStore} then), another failure a
 * {@link StoreException}. A pool it created is closed again when opening fails.
 */
final class StoreOpener {
    private static final Logger LOG = LoggerFactory.getLogger(StoreOpener.class);
    /** A MariaDB statement's bytes beyond its values (SQL text, packet headers), kept free of max_allowed_packet. */
    static final long MARIADB_PACKET_OVERHEAD = 64 * 1024;
    /** The most bytes of one MariaDB multi-row upsert (smaller when max_allowed_packet is). */
    static final long MARIADB_STATEMENT_BUDGET = 8L << 20;
    /** Where the other dialects chunk a value by default: well inside bytea's, SQLite's and H2's 1 GB. */
    static final long DEFAULT_MAX_ITEM_BYTES = 256L << 20;
    private static final String PROBE_KEY = "cachet affected-rows probe";

    private final CacheConfig config;
    private final String cacheName;
    private final JdbcSettings settings;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    /** The source as messages name it: the redacted URL, or the caller's DataSource. */
    private final String describedSource;

    private StoreOpener(CacheConfig config, JdbcSettings settings, DataSource dataSource, HikariDataSource ownedPool,
            String describedSource) {
        this.config = config;
        this.cacheName = config.name();
        this.settings = settings;
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.describedSource = describedSource;
    }

    /**
     * What an SQL store's item limit is taken to be while the database cannot be asked: MariaDB's
     * {@code max_allowed_packet} when the cache opens while the server is down (1 MiB, the
     * smallest value servers are normally given; a larger value only means fewer pieces).
     */
    static final long ASSUMED_MARIADB_PACKET = 1L << 20;

    /**
     * Opens the store of a {@code jdbc:<url>} location, or, when the database does not answer,
     * a {@link DeferredStore} that opens it (pool, dialect checks, table, item limit) in the
     * background once it does.
     */
    static Store openOrDefer(CacheConfig config) {
        String url = JdbcSettings.jdbcUrl(config);
        JdbcSettings settings = JdbcSettings.of(config);
        Dialect dialect = Dialect.ofUrl(url);
        settings.checkDialect(config, dialect);
        long maxItemBytes = dialect == Dialect.MARIADB
                ? config.maxItemBytes(Math.max(4096, ASSUMED_MARIADB_PACKET - MARIADB_PACKET_OVERHEAD))
                : config.maxItemBytes(DEFAULT_MAX_ITEM_BYTES);
        String where = "jdbc cache '" + config.name() + "' (" + dialect.displayName() + ", table " + settings.table
                + ", " + ConnectionPools.redact(url) + ")";
        return DeferredStore.open(where, JdbcStore.capabilities(maxItemBytes), () -> open(config));
    }

    /**
     * Opens the store of a {@code jdbc:<url>} location over a pool of its own.
     *
     * @throws StoreUnreachableException when the database does not answer
     */
    static JdbcStore open(CacheConfig config) {
        String url = JdbcSettings.jdbcUrl(config);
        JdbcSettings settings = JdbcSettings.of(config);
        Dialect dialect = Dialect.ofUrl(url);
        settings.checkDialect(config, dialect);
        HikariDataSource pool = createPool(config.name(), url, dialect, settings);
        try {
            return new StoreOpener(config, settings, pool, pool, ConnectionPools.redact(url)).openTable(dialect);
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /** Opens the store of {@code config} over the caller's {@code dataSource} (which the store never closes). */
    static JdbcStore open(CacheConfig config, DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        if (!config.scheme().equals("jdbc")) {
            throw new IllegalArgumentException("cache '" + config.name() + "': location '" + config.redactedLocation()
                    + "' must be jdbc: for a cache over a DataSource (e.g. just \"jdbc:\")");
        }
        JdbcSettings settings = JdbcSettings.of(config);
        settings.checkNoPoolOptions(config);
        return new StoreOpener(config, settings, dataSource, null, "DataSource " + dataSource).openTable(null);
    }

    private static HikariDataSource createPool(String cacheName, String url, Dialect dialect, JdbcSettings settings) {
        try {
            return ConnectionPools.create(cacheName, url, dialect, settings);
        } catch (RuntimeException e) {
            String redacted = ConnectionPools.redact(url);
            // the driver's and the pool's messages may repeat the URL, or a piece of it
            Secrets secrets = Secrets.ofLocation(url);
            Throwable cause = secrets.scrub(e);
            if (missingDriver(e)) {
                throw new IllegalArgumentException("cache '" + cacheName + "': no JDBC driver for " + redacted + " on the"
                        + " class path; add " + driverArtifact(dialect, url), cause);
            }
            String message = "jdbc cache '" + cacheName + "' (" + dialect.displayName() + "): cannot connect to "
                    + redacted + ": " + secrets.scrub(rootMessage(e).replace(url, redacted));
            throw StoreUnreachableException.isUnreachable(e) ? new StoreUnreachableException(message, cause)
                    : new StoreException(message, cause);
        }
    }

    /**
     * Prepares the table over one connection and builds the store.
     *
     * @param knownDialect the URL's dialect, or null to read it from the connection
     */
    private JdbcStore openTable(Dialect knownDialect) {
        Dialect dialect = knownDialect;
        long packet = 0;
        try (Connection c = dataSource.getConnection()) {
            if (dialect == null) {
                dialect = Dialect.of(c);
                settings.checkDialect(config, dialect);
            }
            prepareTable(c, dialect);
            if (dialect == Dialect.MARIADB) {
                packet = maxAllowedPacket(c);
                if (ownedPool == null) {
                    checkAffectedRows(c, settings.table);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            String d = dialect == null ? "" : " (" + dialect.displayName() + ")";
            throw new StoreException("jdbc cache '" + cacheName + "'" + d + ": cannot open table " + settings.table
                    + " through " + describedSource + ": " + SqlRunner.describe(e), e);
        }
        Sql sql = Sql.of(dialect, settings.table);
        long maxItemBytes;
        if (dialect == Dialect.MARIADB) {
            long limit = mariaDbItemLimit(packet);
            maxItemBytes = config.maxItemBytes(limit);
            if (maxItemBytes > limit) {
                throw new IllegalArgumentException("cache '" + cacheName + "': option max_item_bytes=" + maxItemBytes
                        + " is more than one MariaDB statement can carry: max_allowed_packet is " + packet + " bytes, so"
                        + " max_item_bytes can be at most " + limit + " (larger values are chunked); raise"
                        + " max_allowed_packet on the server to store larger pieces");
            }
            sql = ((MariaDbSql) sql).withMaxBytesPerStatement(Math.min(MARIADB_STATEMENT_BUDGET, limit));
        } else {
            maxItemBytes = config.maxItemBytes(DEFAULT_MAX_ITEM_BYTES);
        }
        if (ownedPool != null && (dialect == Dialect.SQLITE || dialect == Dialect.H2)) {
            // their drivers parse and plan the SQL again at every prepareStatement; see StatementCache
            sql.cacheStatements();
        }
        String where = "jdbc cache '" + cacheName + "' (" + dialect.displayName() + ", table " + settings.table + ")";
        SqlRunner runner = new SqlRunner(cacheName, where, dataSource, ownedPool != null, sql.statementCache());
        return new JdbcStore(config, settings, runner, sql, maxItemBytes, ownedPool);
    }

    /**
     * The largest piece one MariaDB statement carries under {@code max_allowed_packet}. The pool
     * cachet creates sends values as raw bytes (server-side prepared statements); a caller's
     * DataSource may use the text protocol, which can escape every byte into two.
     */
    private long mariaDbItemLimit(long packet) {
        long limit = Math.max(4096, packet - MARIADB_PACKET_OVERHEAD);
        return ownedPool == null ? Math.max(4096, limit / 2) : limit;
    }

    /** Checks that the table exists (one catalog query), creating it when {@code create_table} says so. */
    private void prepareTable(Connection c, Dialect dialect) throws SQLException {
        String table = settings.table;
        if (!CacheTable.exists(c, table)) {
            if (settings.createTable) {
                CacheTable.create(c, table, settings.unlogged);
                return;
            }
            String how = ownedPool != null
                    ? "create it with: cachet createcachetable --cache '" + ConnectionPools.redact(config.location()) + "'"
                        + (table.equals(CacheTable.DEFAULT_NAME) ? "" : " --table " + table)
                        + ", or CacheTable.create(config) in code, or set the option create_table=true"
                    : "create it with CacheTable.create(dataSource, \"" + table + "\", false), or set the option"
                        + " create_table=true";
            throw new IllegalArgumentException("cache '" + cacheName + "': the cache table " + table + " does not exist in "
                    + describedSource + " (" + dialect.displayName() + "); " + how
                    + ". The DDL is in cachet-jdbc's dev/cachet/jdbc/ddl/" + dialect.resourceName() + ".sql");
        }
        if (dialect == Dialect.POSTGRESQL && settings.unlogged) {
            try (PreparedStatement ps = c.prepareStatement("SELECT relpersistence FROM pg_class WHERE oid = to_regclass(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !"u".equals(rs.getString(1))) {
                        LOG.warn("cache '{}': option unlogged=true, but table {} exists as a logged table; the option only"
                                + " shapes the table cachet creates (ALTER TABLE {} SET UNLOGGED converts it)", cacheName,
                                table, table);
                    }
                }
            }
        }
    }

    private static long maxAllowedPacket(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * MariaDB's add tells a won add from a lost one by the affected-row count, which needs
     * connections that report affected rows ({@code useAffectedRows=true}), not found rows.
     * This probes a DataSource that cachet did not configure: an update that changes nothing
     * reports 0 in the right mode, 1 in the other, inside a transaction that is rolled back.
     */
    private void checkAffectedRows(Connection c, String table) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (cache_key, value, expires)"
                    + " VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE expires = 0")) {
                ps.setString(1, PROBE_KEY);
                ps.setBytes(2, new byte[0]);
                ps.executeUpdate();
            }
            int reported;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET expires = 0 WHERE cache_key = ?")) {
                ps.setString(1, PROBE_KEY);
                reported = ps.executeUpdate();
            }
            if (reported != 0) {
                throw new IllegalArgumentException("cache '" + cacheName + "': the DataSource's MariaDB/MySQL connections"
                        + " report found rows, not affected rows; cachet's atomic add needs useAffectedRows=true in the"
                        + " JDBC URL or data source properties");
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }

    private static boolean missingDriver(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Failed to get driver instance") || m.contains("No suitable driver"))) {
                return true;
            }
        }
        return false;
    }

    /** The Maven coordinates of {@code dialect}'s driver, for the message of a missing one. */
    static String driverArtifact(Dialect dialect, String url) {
        return switch (dialect) {
            case POSTGRESQL -> "org.postgresql:postgresql";
            case MARIADB -> url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)
                    ? "com.mysql:mysql-connector-j (MariaDB Connector/J takes jdbc:mariadb: URLs, which reach MySQL too)"
                    : "org.mariadb.jdbc:mariadb-java-client";
            case SQLITE -> "org.xerial:sqlite-jdbc";
            case H2 -> "com.h2database:h2";
        };
    }
}
