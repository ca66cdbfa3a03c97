package dev.cachet.cli.bench;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The raw JDBC baseline of a {@code jdbc:} cache: what a developer would write by hand with
 * plain JDBC over the same cache table, without the framework. It is measured interleaved
 * with the cache ({@code cachet bench --baseline raw}), so the two compare.
 *
 * <ul>
 *   <li>ONE {@link Connection} from {@link DriverManager}, auto-commit on, set up as the pool
 *       of cachet-jdbc sets up its own connections, so driver and session settings are not what
 *       is measured: PostgreSQL {@code synchronous_commit = off} (cachet's default); MariaDB
 *       {@code useAffectedRows=true} (the add needs it), server-side prepared statements and
 *       READ COMMITTED; SQLite WAL, {@code synchronous=NORMAL} and a busy timeout; H2 as is.</li>
 *   <li>Every statement is prepared once and reused (multi-row ones once per row count); each
 *       operation is one execution of one statement. The SQL text is the dialect's own (copied
 *       here on purpose: the baseline runs no framework code), except that {@code delete} is a
 *       plain {@code DELETE ... WHERE cache_key = ?} and {@code clear} a plain
 *       {@code DELETE FROM table}.</li>
 *   <li>Values in the simplest honest encoding: a String as its UTF-8 bytes, an Integer or a
 *       Long as decimal text, anything else with a plain {@link ObjectOutputStream}. Reading
 *       tells them apart by their first bytes (the serialization magic {@code AC ED}, which
 *       UTF-8 text never starts with; decimal digits), which is all the workload's values need
 *       (a String of digits would read back as a Long).</li>
 *   <li>Writes set {@code expires} to now + 3600 s (epoch milliseconds, as the cache does) and
 *       reads check {@code expires > now}.</li>
 *   <li>Keys are stored under {@value #KEY_PREFIX} + the key, in the same table as the cache's
 *       {@code :1:} + key: the same table, index and key length, but rows of their own, since
 *       the two encode values differently and each must read back what it wrote while they
 *       run interleaved. {@link #clear()} empties the whole table (the cache's own clear, with
 *       the empty key prefix, removes only keys of its shape).</li>
 * </ul>
 * Not thread-safe (the runner uses a target from one thread).
 */
public final class RawJdbcBenchTarget implements BenchTarget {
    /** The prefix of the baseline's stored keys (as long as the cache's {@code :1:}). */
    public static final String KEY_PREFIX = ":r:";

    private static final long TIMEOUT_MILLIS = BenchWorkload.TIMEOUT_SECONDS * 1000;

    private final String label;
    private final Dialect dialect;
    private final String table;
    private final String value;
    private final Connection c;
    private final PreparedStatement set;
    private final PreparedStatement get;
    private final PreparedStatement has;
    private final PreparedStatement add;
    private final PreparedStatement delete;
    private final PreparedStatement incr;
    private final PreparedStatement clear;
    /** PostgreSQL: the array forms, one statement whatever the batch size. */
    private final PreparedStatement pgGetMany;
    private final PreparedStatement pgSetMany;
    /** Other dialects: the multi-row upsert and the IN list, by row or key count. */
    private final Map<Integer, PreparedStatement> setManyByRows = new HashMap<>();
    private final Map<Integer, PreparedStatement> getManyByKeys = new HashMap<>();

    private RawJdbcBenchTarget(String label, Dialect dialect, String table, Connection c) throws SQLException {
        this.label = label;
        this.dialect = dialect;
        this.table = CacheTable.checkName(table);
        this.c = c;
        this.value = dialect == Dialect.H2 ? "\"VALUE\"" : "value";
        String t = table;
        String v = value;
        this.get = c.prepareStatement("SELECT " + v + " FROM " + t + " WHERE cache_key = ? AND expires > ?");
        this.has = c.prepareStatement("SELECT 1 FROM " + t + " WHERE cache_key = ? AND expires > ?");
        this.delete = c.prepareStatement("DELETE FROM " + t + " WHERE cache_key = ?");
        this.clear = c.prepareStatement("DELETE FROM " + t);
        switch (dialect) {
            case POSTGRESQL -> {
                String insert = "INSERT INTO " + t + " (cache_key, value, expires) VALUES (?, ?, ?) ON CONFLICT (cache_key)"
                        + " DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires";
                this.set = c.prepareStatement(insert);
                this.add = c.prepareStatement(insert + " WHERE " + t + ".expires <= ?");
                this.incr = c.prepareStatement("UPDATE " + t + " SET value = convert_to((convert_from(value, 'UTF8')::bigint"
                        + " + ?)::text, 'UTF8') WHERE cache_key = ? AND expires > ? RETURNING value");
                this.pgGetMany = c.prepareStatement("SELECT cache_key, value FROM " + t
                        + " WHERE cache_key = ANY(?) AND expires > ?");
                this.pgSetMany = c.prepareStatement("INSERT INTO " + t + " (cache_key, value, expires) SELECT k, v, ?"
                        + " FROM unnest(?::varchar[], ?::bytea[]) AS u(k, v) ON CONFLICT (cache_key) DO UPDATE"
                        + " SET value = EXCLUDED.value, expires = EXCLUDED.expires");
            }
            case MARIADB -> {
                String insert = "INSERT INTO " + t + " (cache_key, value, expires) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ";
                this.set = c.prepareStatement(insert + "value = VALUES(value), expires = VALUES(expires)");
                this.add = c.prepareStatement(insert + "value = IF(expires <= ?, VALUES(value), value),"
                        + " expires = IF(expires <= ?, VALUES(expires), expires)");
                this.incr = c.prepareStatement("UPDATE " + t + " SET value = CAST(LAST_INSERT_ID(CAST(value AS SIGNED) + ?)"
                        + " AS SIGNED) WHERE cache_key = ? AND expires > ? AND value REGEXP '^-{0,1}[0-9]{1,19}$'",
                        Statement.RETURN_GENERATED_KEYS);
                this.pgGetMany = null;
                this.pgSetMany = null;
            }
            case SQLITE -> {
                String insert = "INSERT INTO " + t + " (cache_key, value, expires) VALUES (?, ?, ?) ON CONFLICT (cache_key)"
                        + " DO UPDATE SET value = excluded.value, expires = excluded.expires";
                this.set = c.prepareStatement(insert);
                this.add = c.prepareStatement(insert + " WHERE " + t + ".expires <= ?");
                String text = "CAST(value AS TEXT)";
                String n = "CAST(" + text + " AS INTEGER)";
                this.incr = c.prepareStatement("UPDATE " + t + " SET value = CAST(CAST(" + n + " + ? AS TEXT) AS BLOB)"
                        + " WHERE cache_key = ? AND expires > ? AND CAST(" + n + " AS TEXT) = " + text
                        + " AND " + n + " BETWEEN ? AND ? RETURNING value");
                this.pgGetMany = null;
                this.pgSetMany = null;
            }
            case H2 -> {
                this.set = c.prepareStatement("MERGE INTO " + t + " (cache_key, " + v + ", expires) KEY (cache_key)"
                        + " VALUES (?, ?, ?)");
                this.add = c.prepareStatement("MERGE INTO " + t + " t USING (VALUES (CAST(? AS VARCHAR(255)),"
                        + " CAST(? AS VARBINARY), CAST(? AS BIGINT))) AS s (cache_key, " + v + ", expires)"
                        + " ON t.cache_key = s.cache_key"
                        + " WHEN MATCHED AND t.expires <= ? THEN UPDATE SET " + v + " = s." + v + ", expires = s.expires"
                        + " WHEN NOT MATCHED THEN INSERT (cache_key, " + v + ", expires) VALUES (s.cache_key, s." + v
                        + ", s.expires)");
                this.incr = c.prepareStatement("SELECT " + v + " FROM FINAL TABLE (UPDATE " + t + " SET " + v
                        + " = STRINGTOUTF8(CAST(CAST(UTF8TOSTRING(" + v + ") AS BIGINT) + ? AS VARCHAR))"
                        + " WHERE cache_key = ? AND expires > ?)");
                this.pgGetMany = null;
                this.pgSetMany = null;
            }
            default -> throw new IllegalArgumentException("no raw baseline for " + dialect);
        }
    }

    /**
     * The baseline over the cache table of the {@code jdbc:} location {@code location} (whose
     * JDBC URL is the location itself), reported as {@code raw <location>}.
     *
     * @throws IllegalArgumentException when the location is not a supported {@code jdbc:} URL
     * @throws IllegalStateException when the database cannot be reached or the statements
     *     cannot be prepared (e.g. the table is missing)
     */
    public static RawJdbcBenchTarget open(String location) {
        return open(location, CacheTable.DEFAULT_NAME);
    }

    /** The baseline over table {@code table} of the {@code jdbc:} location {@code location}. */
    public static RawJdbcBenchTarget open(String location, String table) {
        Objects.requireNonNull(location, "location");
        if (!isJdbc(location)) {
            throw new IllegalArgumentException("the raw JDBC baseline needs a jdbc: location, not '" + location + "'");
        }
        Dialect dialect = Dialect.ofUrl(location);
        Properties p = new Properties();
        switch (dialect) {
            case MARIADB -> {
                p.setProperty("useAffectedRows", "true");
                p.setProperty("useServerPrepStmts", "true");
            }
            case SQLITE -> {
                p.setProperty("journal_mode", "WAL");
                p.setProperty("synchronous", "NORMAL");
                p.setProperty("busy_timeout", "10000");
            }
            default -> {
            }
        }
        Connection c = null;
        try {
            c = DriverManager.getConnection(location, p);
            c.setAutoCommit(true);
            if (dialect == Dialect.POSTGRESQL) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET synchronous_commit = off");
                }
            }
            if (dialect == Dialect.MARIADB) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            return new RawJdbcBenchTarget("raw " + CacheConfig.redact(location), dialect, table, c);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            // the driver's message may repeat the URL, password and all: then neither it nor its stack trace goes out
            String redacted = CacheConfig.redact(location);
            throw new IllegalStateException("raw JDBC baseline: cannot open " + redacted + ": "
                    + String.valueOf(e.getMessage()).replace(location, redacted), redacted.equals(location) ? e : null);
        }
    }

    /** True when {@code location} is a {@code jdbc:} location, which has a raw baseline. */
    public static boolean isJdbc(String location) {
        return location.regionMatches(true, 0, "jdbc:", 0, 5);
    }

    /** The database the baseline talks to. */
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void clear() {
        try {
            clear.executeUpdate();
        } catch (SQLException e) {
            throw failed("clear", e);
        }
    }

    @Override
    public boolean set(String key, Object v) {
        try {
            set.setString(1, KEY_PREFIX + key);
            set.setBytes(2, RawValues.encode(v));
            set.setLong(3, System.currentTimeMillis() + TIMEOUT_MILLIS);
            set.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw failed("set", e);
        }
    }

    @Override
    public Object get(String key) {
        try {
            get.setString(1, KEY_PREFIX + key);
            get.setLong(2, System.currentTimeMillis());
            try (ResultSet rs = get.executeQuery()) {
                return rs.next() ? RawValues.decode(rs.getBytes(1)) : null;
            }
        } catch (SQLException e) {
            throw failed("get", e);
        }
    }

    @Override
    public boolean hasKey(String key) {
        try {
            has.setString(1, KEY_PREFIX + key);
            has.setLong(2, System.currentTimeMillis());
            try (ResultSet rs = has.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failed("has_key", e);
        }
    }

    @Override
    public boolean setMany(Map<String, Object> values) {
        long expires = System.currentTimeMillis() + TIMEOUT_MILLIS;
        try {
            if (dialect == Dialect.POSTGRESQL) {
                String[] keys = new String[values.size()];
                byte[][] bytes = new byte[values.size()][];
                int i = 0;
                for (Map.Entry<String, Object> e : values.entrySet()) {
                    keys[i] = KEY_PREFIX + e.getKey();
                    bytes[i++] = RawValues.encode(e.getValue());
                }
                Array k = c.createArrayOf("varchar", keys);
                Array b = c.createArrayOf("bytea", bytes);
                try {
                    pgSetMany.setLong(1, expires);
                    pgSetMany.setArray(2, k);
                    pgSetMany.setArray(3, b);
                    pgSetMany.executeUpdate();
                } finally {
                    k.free();
                    b.free();
                }
                return true;
            }
            PreparedStatement ps = setManyByRows.get(values.size());
            if (ps == null) {
                ps = c.prepareStatement(setManySql(values.size()));
                setManyByRows.put(values.size(), ps);
            }
            int i = 1;
            for (Map.Entry<String, Object> e : values.entrySet()) {
                ps.setString(i++, KEY_PREFIX + e.getKey());
                ps.setBytes(i++, RawValues.encode(e.getValue()));
                ps.setLong(i++, expires);
            }
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            throw failed("set_many", e);
        }
    }

    private String setManySql(int rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        return switch (dialect) {
            case MARIADB -> "INSERT INTO " + table + " (cache_key, value, expires) VALUES " + sb
                    + " ON DUPLICATE KEY UPDATE value = VALUES(value), expires = VALUES(expires)";
            case SQLITE -> "INSERT INTO " + table + " (cache_key, value, expires) VALUES " + sb
                    + " ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires";
            case H2 -> "MERGE INTO " + table + " (cache_key, " + value + ", expires) KEY (cache_key) VALUES " + sb;
            default -> throw new IllegalStateException(dialect + " uses its array form");
        };
    }

    @Override
    public Map<String, Object> getMany(List<String> keys) {
        long now = System.currentTimeMillis();
        Map<String, Object> out = new LinkedHashMap<>(keys.size() * 2);
        try {
            PreparedStatement ps;
            Array array = null;
            if (dialect == Dialect.POSTGRESQL) {
                List<String> stored = new ArrayList<>(keys.size());
                for (String k : keys) {
                    stored.add(KEY_PREFIX + k);
                }
                array = c.createArrayOf("varchar", stored.toArray());
                ps = pgGetMany;
                ps.setArray(1, array);
                ps.setLong(2, now);
            } else {
                ps = getManyByKeys.get(keys.size());
                if (ps == null) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < keys.size(); i++) {
                        sb.append(i == 0 ? "?" : ", ?");
                    }
                    ps = c.prepareStatement("SELECT cache_key, " + value + " FROM " + table + " WHERE cache_key IN ("
                            + sb + ") AND expires > ?");
                    getManyByKeys.put(keys.size(), ps);
                }
                int i = 1;
                for (String k : keys) {
                    ps.setString(i++, KEY_PREFIX + k);
                }
                ps.setLong(i, now);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1).substring(KEY_PREFIX.length()), RawValues.decode(rs.getBytes(2)));
                }
            } finally {
                if (array != null) {
                    array.free();
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed("get_many", e);
        }
    }

    @Override
    public boolean add(String key, Object v) {
        long now = System.currentTimeMillis();
        try {
            add.setString(1, KEY_PREFIX + key);
            add.setBytes(2, RawValues.encode(v));
            add.setLong(3, now + TIMEOUT_MILLIS);
            add.setLong(4, now);
            if (dialect == Dialect.MARIADB) {
                add.setLong(5, now);
            }
            return add.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("add", e);
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            delete.setString(1, KEY_PREFIX + key);
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed("delete", e);
        }
    }

    @Override
    public long incr(String key, long delta) {
        try {
            incr.setLong(1, delta);
            incr.setString(2, KEY_PREFIX + key);
            incr.setLong(3, System.currentTimeMillis());
            if (dialect == Dialect.SQLITE) {
                incr.setLong(4, delta >= 0 ? Long.MIN_VALUE : Long.MIN_VALUE - delta);
                incr.setLong(5, delta >= 0 ? Long.MAX_VALUE - delta : Long.MAX_VALUE);
            }
            if (dialect == Dialect.MARIADB) {
                if (incr.executeUpdate() == 0) {
                    throw new IllegalStateException("incr of " + key + " changed no row");
                }
                try (ResultSet rs = incr.getGeneratedKeys()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
            try (ResultSet rs = incr.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("incr of " + key + " changed no row");
                }
                return Long.parseLong(new String(rs.getBytes(1), StandardCharsets.US_ASCII));
            }
        } catch (SQLException e) {
            throw failed("incr", e);
        }
    }

    @Override
    public void close() {
        List<PreparedStatement> all = new ArrayList<>(List.of(set, get, has, add, delete, incr, clear));
        if (pgGetMany != null) {
            all.add(pgGetMany);
            all.add(pgSetMany);
        }
        all.addAll(setManyByRows.values());
        all.addAll(getManyByKeys.values());
        try {
            for (PreparedStatement ps : all) {
                ps.close();
            }
            c.close();
        } catch (SQLException e) {
            throw failed("close", e);
        }
    }

    private IllegalStateException failed(String op, SQLException e) {
        return new IllegalStateException(label + ": " + op + " failed: " + e.getMessage()
                + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]"), e);
    }
}
