package dev.cachet.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link CpuPerCall}'s baselines for local memory, PostgreSQL and MariaDB: raw Caffeine (what
 * cachet's memory backend is built on), and raw JDBC with a connection and prepared statements
 * per thread against the same table cachet uses (the SQL cachet's dialect sends: a primary-key
 * read, and an upsert), with the session settings of cachet's own connections
 * ({@code synchronous_commit} off on PostgreSQL; server-side prepared statements and READ
 * COMMITTED on MariaDB).
 */
final class ScalingTargets {
    private ScalingTargets() {
    }

    /**
     * A database the benchmark measures: its location (the cache's JDBC URL: database
     * {@code test} on loopback, no password), what the raw JDBC baseline adds to that URL to have
     * the driver settings cachet's own connections have, the statement each raw connection runs
     * first, and the raw upsert.
     */
    record Database(String name, String location, String driverSettings, String session, String upsert) {
        static final Database POSTGRESQL = new Database("postgresql", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
                "", "SET synchronous_commit = off",
                "INSERT INTO " + TABLE + " (cache_key, value, expires) VALUES (?, ?, ?) ON CONFLICT (cache_key)"
                        + " DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires");
        static final Database MARIADB = new Database("mariadb", "jdbc:mariadb://127.0.0.1:3306/test?user=root",
                "&useServerPrepStmts=true&cachePrepStmts=true&useAffectedRows=true",
                "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "INSERT INTO " + TABLE + " (cache_key, value, expires) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE"
                        + " value = VALUES(value), expires = VALUES(expires)");

        /** The raw baseline's URL. */
        String url() {
            return location + driverSettings;
        }
    }

    /** The table cachet and the raw baseline share (different keys). */
    static final String TABLE = "cpu_per_call";

    static CpuPerCall.Target caffeine(String[] keys, String value) {
        com.github.benmanes.caffeine.cache.Cache<String, Object> cache = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(Duration.ofHours(1)).build();
        for (String k : keys) {
            cache.put(k, value);
        }
        return new CpuPerCall.Target() {
            @Override
            public String name() {
                return "memory caffeine";
            }

            @Override
            public Runnable op(String op) {
                CpuPerCall.Cursor c = new CpuPerCall.Cursor();
                return op.equals("get") ? () -> cache.getIfPresent(keys[c.next()]) : () -> cache.put(keys[c.next()], value);
            }

            @Override
            public void close() {
                cache.invalidateAll();
            }
        };
    }

    static CpuPerCall.Target rawJdbc(Database db, String[] keys, byte[] value) {
        List<Connection> opened = Collections.synchronizedList(new ArrayList<>());
        java.util.Queue<Connection> idle = new java.util.concurrent.ConcurrentLinkedQueue<>();
        String[] raw = java.util.Arrays.stream(keys).map(k -> "raw:" + k).toArray(String[]::new);
        try (Connection setup = DriverManager.getConnection(db.url()); PreparedStatement up = setup.prepareStatement(db.upsert())) {
            for (String k : raw) {
                bind(up, k, value);
                up.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("raw JDBC set-up on " + db.url() + ": " + e.getMessage(), e);
        }
        return new CpuPerCall.Target() {
            @Override
            public String name() {
                return db.name() + " jdbc";
            }

            @Override
            public Runnable op(String op) {
                try {
                    Connection c = idle.poll();
                    if (c == null) {
                        c = DriverManager.getConnection(db.url());
                        try (Statement s = c.createStatement()) {
                            s.execute(db.session()); // as cachet's own connections (its default)
                        }
                    }
                    opened.add(c);
                    CpuPerCall.Cursor cursor = new CpuPerCall.Cursor();
                    if (op.equals("get")) {
                        PreparedStatement get = c.prepareStatement("SELECT value, expires FROM " + TABLE + " WHERE cache_key = ?");
                        return () -> {
                            try {
                                get.setString(1, raw[cursor.next()]);
                                try (ResultSet rs = get.executeQuery()) {
                                    if (rs.next() && rs.getLong(2) > System.currentTimeMillis()) {
                                        rs.getBytes(1);
                                    }
                                }
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        };
                    }
                    PreparedStatement up = c.prepareStatement(db.upsert());
                    return () -> {
                        try {
                            bind(up, raw[cursor.next()], value);
                            up.executeUpdate();
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    };
                } catch (SQLException e) {
                    throw new IllegalStateException("raw JDBC connection to " + db.url() + ": " + e.getMessage(), e);
                }
            }

            /** A connection per thread, reused by the next measurement's threads (not 150 of them for PostgreSQL's 100). */
            @Override
            public void measured() {
                synchronized (opened) {
                    idle.addAll(opened);
                    opened.clear();
                }
            }

            @Override
            public void close() {
                measured();
                try (Connection c = DriverManager.getConnection(db.url()); Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM " + TABLE + " WHERE cache_key LIKE 'raw:%'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                for (Connection c : idle) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // closing a benchmark's connection
                    }
                }
            }
        };
    }

    private static void bind(PreparedStatement ps, String key, byte[] value) throws SQLException {
        ps.setString(1, key);
        ps.setBytes(2, value);
        ps.setLong(3, System.currentTimeMillis() + 3_600_000);
    }
}
