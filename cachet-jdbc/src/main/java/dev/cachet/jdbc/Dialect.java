package dev.cachet.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

/** The SQL databases the cache table lives in, each with its own upsert, add and incr. */
public enum Dialect {
    /** PostgreSQL (pgjdbc): {@code jdbc:postgresql:}. */
    POSTGRESQL("PostgreSQL", "postgresql"),
    /** MariaDB or MySQL (MariaDB Connector/J or MySQL Connector/J): {@code jdbc:mariadb:}, {@code jdbc:mysql:}. */
    MARIADB("MariaDB", "mariadb"),
    /** SQLite (xerial sqlite-jdbc): {@code jdbc:sqlite:}. */
    SQLITE("SQLite", "sqlite"),
    /** H2 2.x: {@code jdbc:h2:}. */
    H2("H2", "h2");

    private final String displayName;
    private final String resourceName;

    Dialect(String displayName, String resourceName) {
        this.displayName = displayName;
        this.resourceName = resourceName;
    }

    /** The database's name as people write it ({@code PostgreSQL}, {@code MariaDB}, ...). */
    public String displayName() {
        return displayName;
    }

    /** The base name of this dialect's DDL resource ({@code dev/cachet/jdbc/ddl/<name>.sql}). */
    public String resourceName() {
        return resourceName;
    }

    /**
     * The dialect of a JDBC URL ({@code jdbc:postgresql://...}; the {@code jdbc:} may be left
     * out, as in a location's target).
     *
     * @throws IllegalArgumentException naming the URL's scheme and the supported ones
     */
    public static Dialect ofUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "JDBC URL must not be null");
        String u = jdbcUrl.trim().toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:")) {
            u = u.substring(5);
        }
        if (u.startsWith("postgresql:")) {
            return POSTGRESQL;
        }
        if (u.startsWith("mariadb:") || u.startsWith("mysql:")) {
            return MARIADB;
        }
        if (u.startsWith("sqlite:")) {
            return SQLITE;
        }
        if (u.startsWith("h2:")) {
            return H2;
        }
        int colon = u.indexOf(':');
        String scheme = colon < 0 ? u : u.substring(0, colon);
        throw new IllegalArgumentException("unsupported database 'jdbc:" + scheme + ":' in JDBC URL; cachet-jdbc supports "
                + "jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql:, jdbc:sqlite: and jdbc:h2:");
    }

    /**
     * The dialect of an open connection, from its database product name.
     *
     * @throws IllegalArgumentException for a database cachet-jdbc does not support
     */
    public static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (p.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (p.contains("mariadb") || p.contains("mysql")) {
            return MARIADB;
        }
        if (p.contains("sqlite")) {
            return SQLITE;
        }
        if (p.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("unsupported database '" + product
                + "'; cachet-jdbc supports PostgreSQL, MariaDB/MySQL, SQLite and H2");
    }
}
