package dev.cachet.jdbc.internal;

import dev.cachet.NotAnIntegerException;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.KeyScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The statements of one dialect over one table, and how their parameters are bound and their
 * results read. Each method is one statement, one round trip, unless its comment says
 * otherwise (a follow-up query that runs only on a rare failure path). Keys and values are
 * always bound parameters; the only identifiers in SQL text are the checked table name and the
 * fixed column names. Thread-safe: apart from the SQL strings, the only state is the
 * {@link StatementCache} of the dialects whose drivers prepare anew at every
 * {@code prepareStatement} (off unless {@link #cacheStatements()} turned it on), and the memo
 * of SQL texts built for a number of keys or rows.
 *
 * <p>The common forms live here; each dialect overrides what it does natively: the upsert,
 * the atomic add, the in-database incr (with {@link IncrPaths}), and the bounded deletes.
 */
abstract class Sql {
    /** Rows one culling, purging or clearing DELETE removes at most, so no statement holds locks for long. */
    static final int DELETE_BATCH = 1000;
    /** A "now" before every deadline: statements that skip expired rows ({@link #deleteMany}) then take all. */
    static final long BEFORE_EVERY_DEADLINE = Long.MIN_VALUE;

    final Dialect dialect;
    final String table;
    /** The value column as written in SQL ({@code value}, quoted where it is a keyword). */
    final String value;

    /** The dialect's upsert, with parameters key, value, expires. */
    final String setSql;
    /** The dialect's one-statement add: parameters key, value, expires, then "now" {@link #addNowParameters()} times. */
    final String addSql;
    final String getSql;
    final String hasSql;
    final String replaceSql;
    final String touchSql;
    final String deleteSql;
    /** Deletes the row only when it is readable and its value is the one bound: parameters key, value, now. */
    final String deleteIfEqualsSql;
    final String countSql;
    /** A page of keys from a range's start: parameters from, to, limit. */
    final String keysFromSql;
    /** A page of keys after the previous page's last: parameters after, to, limit. */
    final String keysAfterSql;

    /** Statements kept per connection, or null: each statement is prepared and closed per use. */
    private StatementCache statementCache;
    private final Map<Integer, String> getManyTexts = new ConcurrentHashMap<>();
    private final Map<Integer, String> deleteManyTexts = new ConcurrentHashMap<>();
    private final Map<Integer, String> setManyTexts = new ConcurrentHashMap<>();

    Sql(Dialect dialect, String table, String valueColumn, String setSql, String addSql) {
        this.dialect = dialect;
        this.table = table;
        this.value = valueColumn;
        this.setSql = setSql;
        this.addSql = addSql;
        this.getSql = "SELECT " + value + " FROM " + table + " WHERE cache_key = ? AND expires > ?";
        this.hasSql = "SELECT 1 FROM " + table + " WHERE cache_key = ? AND expires > ?";
        this.replaceSql = "UPDATE " + table + " SET " + value + " = ?, expires = ? WHERE cache_key = ? AND expires > ?";
        this.touchSql = "UPDATE " + table + " SET expires = ? WHERE cache_key = ? AND expires > ?";
        this.deleteSql = "DELETE FROM " + table + " WHERE cache_key = ? AND expires > ?";
        this.deleteIfEqualsSql = "DELETE FROM " + table + " WHERE cache_key = ? AND " + value + " = ? AND expires > ?";
        this.countSql = "SELECT COUNT(*) FROM " + table;
        this.keysFromSql = "SELECT cache_key FROM " + table + " WHERE cache_key >= ? AND cache_key < ? ORDER BY cache_key LIMIT ?";
        this.keysAfterSql = "SELECT cache_key FROM " + table + " WHERE cache_key > ? AND cache_key < ? ORDER BY cache_key LIMIT ?";
    }

    /** PostgreSQL's and SQLite's upsert: {@code INSERT ... ON CONFLICT (cache_key) DO UPDATE}. */
    static String onConflictUpsert(String table) {
        return "INSERT INTO " + table + " (cache_key, value, expires) VALUES (?, ?, ?) ON CONFLICT (cache_key) DO UPDATE"
                + " SET value = excluded.value, expires = excluded.expires";
    }

    /** Their add: the same upsert, whose update only takes over an expired row. */
    static String onConflictAdd(String table) {
        return onConflictUpsert(table) + " WHERE " + table + ".expires <= ?";
    }

    /** The statements of {@code dialect} over {@code table}. */
    static Sql of(Dialect dialect, String table) {
        return switch (dialect) {
            case POSTGRESQL -> new PostgresSql(table);
            case MARIADB -> new MariaDbSql(table);
            case SQLITE -> new SqliteSql(table);
            case H2 -> new H2Sql(table);
        };
    }

    // ---- statements ----

    /**
     * Keeps prepared statements per connection from now on (call before the first statement;
     * only for connections of a pool whose proxies unwrap to the physical connection).
     */
    void cacheStatements() {
        this.statementCache = new StatementCache();
    }

    /** The statement cache, or null when statements are prepared per use. */
    StatementCache statementCache() {
        return statementCache;
    }

    /**
     * A statement of {@code sql} for one use on {@code c}: kept per connection when statements
     * are cached, otherwise prepared now and closed by {@link Prepared#close()}. For statements
     * that bind only keys and numbers: a kept one keeps its parameters until the next use sets
     * them all again.
     */
    Prepared prepare(Connection c, String sql) throws SQLException {
        return prepare(c, sql, false);
    }

    /**
     * {@link #prepare} for a statement that binds values: a kept one has its parameters cleared
     * after use, so it does not hold on to a large value until its next use.
     */
    Prepared prepareWithValues(Connection c, String sql) throws SQLException {
        return prepare(c, sql, true);
    }

    private Prepared prepare(Connection c, String sql, boolean clear) throws SQLException {
        StatementCache cache = statementCache;
        if (cache == null) {
            return new Prepared(c.prepareStatement(sql), false, false);
        }
        return new Prepared(cache.of(c).get(sql), true, clear);
    }

    /** {@code build(n)}, remembered in {@code memo} for {@code n} up to 1024 (each is one statement text). */
    static String memo(Map<Integer, String> memo, int n, IntFunction<String> build) {
        if (n > 1024) {
            return build.apply(n);
        }
        String s = memo.get(n);
        if (s == null) {
            s = build.apply(n);
            memo.put(n, s);
        }
        return s;
    }

    /** The text of a multi-row upsert of {@code rows} rows, remembered ({@code build} makes it). */
    String setManySql(int rows, IntFunction<String> build) {
        return memo(setManyTexts, rows, build);
    }

    // ---- limits ----

    /** Most keys one {@code IN (...)} list holds; more are split across statements. */
    int maxKeysPerStatement() {
        return 16_384;
    }

    /** Most rows one multi-row upsert holds (3 parameters each). */
    int maxRowsPerStatement() {
        return 10_000;
    }

    /** Most value bytes one multi-row upsert carries, unless a single row is larger. */
    long maxBytesPerStatement() {
        return 64L << 20;
    }

    // ---- reads ----

    byte[] get(Connection c, String key, long now) throws SQLException {
        try (Prepared p = prepare(c, getSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, key);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    boolean has(Connection c, String key, long now) throws SQLException {
        try (Prepared p = prepare(c, hasSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, key);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The readable values of {@code keys} (distinct, at most {@link #maxKeysPerStatement()}). */
    void getMany(Connection c, List<String> keys, long now, Map<String, byte[]> into) throws SQLException {
        int slots = inListSize(keys.size());
        String sql = memo(getManyTexts, slots, n -> "SELECT cache_key, " + value + " FROM " + table
                + " WHERE cache_key IN (" + placeholders(n) + ") AND expires > ?");
        try (Prepared p = prepare(c, sql)) {
            PreparedStatement ps = p.ps;
            int i = bindKeys(ps, 1, keys, slots);
            ps.setLong(i, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.put(rs.getString(1), rs.getBytes(2));
                }
            }
        }
    }

    // ---- writes ----

    /** How many times {@link #addSql} binds the current time. */
    int addNowParameters() {
        return 1;
    }

    /** Stores the entry, replacing any (an upsert). */
    void set(Connection c, String key, byte[] v, long expires) throws SQLException {
        try (Prepared p = prepareWithValues(c, setSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, key);
            ps.setBytes(2, v);
            ps.setLong(3, expires);
            ps.executeUpdate();
        }
    }

    /**
     * Stores the entry only when the key holds nothing readable (absent or expired), in one
     * atomic statement: among racing adds exactly one sees true.
     */
    boolean add(Connection c, String key, byte[] v, long expires, long now) throws SQLException {
        try (Prepared p = prepareWithValues(c, addSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, key);
            ps.setBytes(2, v);
            ps.setLong(3, expires);
            for (int i = 0; i < addNowParameters(); i++) {
                ps.setLong(4 + i, now);
            }
            return ps.executeUpdate() > 0;
        }
    }

    /** Stores the entry only when the key holds a readable one. */
    boolean replace(Connection c, String key, byte[] v, long expires, long now) throws SQLException {
        try (Prepared p = prepareWithValues(c, replaceSql)) {
            PreparedStatement ps = p.ps;
            ps.setBytes(1, v);
            ps.setLong(2, expires);
            ps.setString(3, key);
            ps.setLong(4, now);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Upserts {@code rows} (distinct keys) with one deadline in one statement; the caller has
     * cut the batch to {@link #maxRowsPerStatement()} and {@link #maxBytesPerStatement()}. By
     * default the multi-row statement {@link #setManyText} gives, its text remembered per size.
     */
    void setMany(Connection c, List<Map.Entry<String, byte[]>> rows, long expires) throws SQLException {
        String sql = setManySql(rows.size(), this::setManyText);
        try (Prepared p = prepareWithValues(c, sql)) {
            bindRows(p.ps, rows, expires);
            p.ps.executeUpdate();
        }
    }

    /**
     * The dialect's multi-row upsert of {@code rows} rows, parameters as {@link #bindRows} binds
     * them; a dialect that overrides {@link #setMany} need not give one.
     */
    String setManyText(int rows) {
        throw new UnsupportedOperationException(dialect.displayName() + " builds its own set_many statement");
    }

    boolean touch(Connection c, String key, long expires, long now) throws SQLException {
        try (Prepared p = prepare(c, touchSql)) {
            PreparedStatement ps = p.ps;
            ps.setLong(1, expires);
            ps.setString(2, key);
            ps.setLong(3, now);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * {@link #touch}, returning the value's length, or -1 when nothing readable: one statement
     * ({@code UPDATE ... RETURNING}, or the dialect's equivalent).
     */
    long touchAndLength(Connection c, String key, long expires, long now) throws SQLException {
        try (Prepared p = prepare(c, touchAndLengthSql())) {
            PreparedStatement ps = p.ps;
            ps.setLong(1, expires);
            ps.setString(2, key);
            ps.setLong(3, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** The text of {@link #touchAndLength}: its parameters are those of {@link #touchSql}. */
    String touchAndLengthSql() {
        return touchSql + " RETURNING length(" + value + ")";
    }

    boolean delete(Connection c, String key, long now) throws SQLException {
        try (Prepared p = prepare(c, deleteSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, key);
            ps.setLong(2, now);
            return ps.executeUpdate() > 0;
        }
    }

    /**
     * Deletes the row of {@code key} only when it is readable and holds exactly {@code expected}
     * (a byte comparison of the value column on every dialect): one statement, so no write lands
     * between the compare and the delete.
     */
    boolean deleteIfEquals(Connection c, String key, byte[] expected, long now) throws SQLException {
        try (Prepared p = prepareWithValues(c, deleteIfEqualsSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, key);
            ps.setBytes(2, expected);
            ps.setLong(3, now);
            return ps.executeUpdate() > 0;
        }
    }

    /** Deletes the readable entries of {@code keys} (distinct, at most {@link #maxKeysPerStatement()}). */
    int deleteMany(Connection c, List<String> keys, long now) throws SQLException {
        int slots = inListSize(keys.size());
        String sql = memo(deleteManyTexts, slots, n -> "DELETE FROM " + table + " WHERE cache_key IN ("
                + placeholders(n) + ") AND expires > ?");
        try (Prepared p = prepare(c, sql)) {
            PreparedStatement ps = p.ps;
            int i = bindKeys(ps, 1, keys, slots);
            ps.setLong(i, now);
            return ps.executeUpdate();
        }
    }

    /**
     * Adds {@code delta} to the integer under {@code key} in the database, keeping its deadline
     * (the steps the dialects share are in {@link IncrPaths}).
     *
     * @return the new value, or null when the key holds nothing readable
     * @throws NotAnIntegerException when the value is not a plain decimal integer
     * @throws ArithmeticException on overflow
     */
    abstract Long incr(Connection c, String key, long delta, long now) throws SQLException;

    // ---- maintenance ----

    long count(Connection c) throws SQLException {
        try (Prepared p = prepare(c, countSql); ResultSet rs = p.ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Deletes at most {@code limit} expired rows as the next DELETE of {@code run} (see
     * {@link DeleteRun}) and returns how many; {@code run} ends when fewer were left. (A dialect
     * that deletes by range, {@link MariaDbSql}, also takes rows written into the range
     * meanwhile, so this and the two below may return a little more than {@code limit}.)
     */
    int deleteExpired(Connection c, long now, int limit, DeleteRun run) throws SQLException {
        return run.removed(limited(c, "DELETE FROM " + table + " WHERE cache_key IN (SELECT cache_key FROM " + table
                + " WHERE expires <= ? LIMIT ?)", now, limit), limit);
    }

    /**
     * Deletes at most {@code limit} rows, the soonest to expire first (ties in key order), and
     * returns how many; {@code run} ends when fewer were left.
     */
    int deleteSoonestExpiring(Connection c, int limit, DeleteRun run) throws SQLException {
        return run.removed(limited(c, "DELETE FROM " + table + " WHERE cache_key IN (SELECT cache_key FROM " + table
                + " ORDER BY expires, cache_key LIMIT ?)", null, limit), limit);
    }

    /** Deletes at most {@code limit} rows, any, and returns how many; {@code run} ends when fewer were left. */
    int deleteAny(Connection c, int limit, DeleteRun run) throws SQLException {
        return run.removed(limited(c, "DELETE FROM " + table + " WHERE cache_key IN (SELECT cache_key FROM " + table
                + " LIMIT ?)", null, limit), limit);
    }

    int limited(Connection c, String sql, Long now, int limit) throws SQLException {
        try (Prepared p = prepare(c, sql)) {
            PreparedStatement ps = p.ps;
            int i = 1;
            if (now != null) {
                ps.setLong(i++, now);
            }
            ps.setInt(i, limit);
            return ps.executeUpdate();
        }
    }

    /**
     * Up to {@code limit} keys of {@code range} in key order (the column's order), expired rows
     * included: from the range's start when {@code after} is null, otherwise those after
     * {@code after}, the last key of the previous page (keyset pagination: each page is one
     * index range scan, however many pages came before). A prefix scope's ranges have both
     * bounds.
     */
    List<String> keysInRange(Connection c, KeyScope.Range range, String after, int limit) throws SQLException {
        Objects.requireNonNull(range.from(), "a range to read by key needs a lower bound");
        Objects.requireNonNull(range.to(), "a range to read by key needs an upper bound");
        try (Prepared p = prepare(c, after == null ? keysFromSql : keysAfterSql)) {
            PreparedStatement ps = p.ps;
            ps.setString(1, after == null ? range.from() : after);
            ps.setString(2, range.to());
            ps.setInt(3, limit);
            List<String> keys = new ArrayList<>(Math.min(limit, 1024));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        }
    }

    // ---- helpers ----

    /**
     * The number of {@code ?} in an IN list for {@code n} keys: {@code n} up to 8, then the next
     * power of two (the last key repeated), so a database that prepares statements server-side
     * sees a handful of distinct statements instead of one per list length.
     */
    int inListSize(int n) {
        if (n <= 8) {
            return n;
        }
        int p = Integer.highestOneBit(n - 1) << 1;
        return Math.min(p, Math.max(n, maxKeysPerStatement()));
    }

    static String placeholders(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.toString();
    }

    /** Binds {@code keys} to {@code slots} parameters from {@code index}, repeating the last; returns the next index. */
    static int bindKeys(PreparedStatement ps, int index, List<String> keys, int slots) throws SQLException {
        for (int k = 0; k < slots; k++) {
            ps.setString(index++, keys.get(Math.min(k, keys.size() - 1)));
        }
        return index;
    }

    /** A multi-row {@code VALUES (?, ?, ?), ...} list of {@code rows} rows. */
    static String valuesRows(int rows) {
        StringBuilder sb = new StringBuilder(rows * 11);
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        return sb.toString();
    }

    static void bindRows(PreparedStatement ps, List<Map.Entry<String, byte[]>> rows, long expires) throws SQLException {
        int i = 1;
        for (Map.Entry<String, byte[]> e : rows) {
            ps.setString(i++, e.getKey());
            ps.setBytes(i++, e.getValue());
            ps.setLong(i++, expires);
        }
    }

    static Map<String, byte[]> newResultMap(int n) {
        return new LinkedHashMap<>(Math.max(4, n * 2));
    }

    /** True when {@code e} (or a cause) carries SQLState {@code state}. */
    static boolean hasState(SQLException e, String state) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && state.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
