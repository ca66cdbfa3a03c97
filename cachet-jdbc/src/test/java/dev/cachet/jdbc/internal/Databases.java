package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases the jdbc tests run on: the real PostgreSQL and MariaDB servers (found through
 * {@link Servers}: the test skips when one is absent, or fails when servers are required), and
 * SQLite and H2 files in a temporary directory. Each test class uses its own table.
 */
public final class Databases {
    private static Path scratch;

    private Databases() {
    }

    /** The JDBC URL of the PostgreSQL test database (skips or fails the test when the server is absent). */
    public static String postgresUrl() {
        Servers.Server s = Servers.requirePostgres();
        return "jdbc:postgresql://" + s.address() + "/" + s.database() + "?user=" + s.user();
    }

    /** The JDBC URL of the MariaDB test database (skips or fails the test when the server is absent). */
    public static String mariaDbUrl() {
        Servers.Server s = Servers.requireMariaDb();
        return "jdbc:mariadb://" + s.address() + "/" + s.database() + "?user=" + s.user();
    }

    /** A SQLite database file named {@code name} in this JVM's scratch directory. */
    public static String sqliteUrl(String name) {
        return "jdbc:sqlite:" + scratch().resolve(name + ".db");
    }

    /** An H2 database file named {@code name} in this JVM's scratch directory. */
    public static String h2Url(String name) {
        return "jdbc:h2:" + scratch().resolve(name).toAbsolutePath();
    }

    /** The URL of {@code dialect}'s test database ({@code name} names the file for SQLite and H2). */
    public static String url(Dialect dialect, String name) {
        return switch (dialect) {
            case POSTGRESQL -> postgresUrl();
            case MARIADB -> mariaDbUrl();
            case SQLITE -> sqliteUrl(name);
            case H2 -> h2Url(name);
        };
    }

    public static synchronized Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("cachet-jdbc-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "delete " + dir));
        }
        return scratch;
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: it is a temporary directory
        }
    }

    private static final java.util.Set<String> RECREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code url}, with {@code table} recreated the first time this JVM asks for it (a suite's table, afresh per run). */
    public static String withFreshTable(String url, String table) {
        if (RECREATED.add(url + " " + table)) {
            recreate(url, table);
        }
        return url;
    }

    /** Drops table {@code table} if it exists, then creates it afresh. */
    public static void recreate(String url, String table) {
        try (Connection c = DriverManager.getConnection(url)) {
            drop(c, table);
            CacheTable.create(c, table, false);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate table " + table + " at " + url + ": " + e, e);
        }
    }

    /** Drops table {@code table} if it exists. */
    public static void drop(String url, String table) {
        try (Connection c = DriverManager.getConnection(url)) {
            drop(c, table);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop table " + table + " at " + url + ": " + e, e);
        }
    }

    private static void drop(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }
}
