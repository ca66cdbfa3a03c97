package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * MariaDB and MySQL: {@code INSERT ... ON DUPLICATE KEY UPDATE} upserts and adds, incr through
 * {@code LAST_INSERT_ID(expr)} (the new value comes back in the OK packet, no second query),
 * and bounded deletes that each start where the previous one of their run ended.
 *
 * <p>Needs connections that report <em>affected</em> rows, not found rows
 * ({@code useAffectedRows=true} on MariaDB Connector/J and MySQL Connector/J; the pool cachet
 * creates sets it, and a cache over a caller's DataSource checks it at open): the add's
 * {@code ON DUPLICATE KEY UPDATE} then reports 1 for an insert, 2 for a changed row and 0 for
 * an unchanged one. In that mode an UPDATE that writes identical bytes reports 0 too, so
 * replace and touch tell a matched row by {@code LAST_INSERT_ID(expr)} on a column of the row
 * (evaluated only for a row the WHERE matched, changed or not; it arrives in the OK packet as
 * the generated key, and no key means no row): one statement, hit or miss.
 *
 * <p>setMany is one multi-row {@code INSERT ... VALUES (...), (...) ON DUPLICATE KEY UPDATE}
 * built here, not a JDBC batch, so it is one statement and one round trip whatever the
 * driver's {@code rewriteBatchedStatements} / {@code useBulkStmts} settings; it is cut where
 * the values would pass a byte budget (8 MiB, or less under a small {@code max_allowed_packet}).
 */
final class MariaDbSql extends Sql {
    private final String incrSql;
    private final String touchAndLengthSql;
    private final String replaceSql;
    private final long maxBytesPerStatement;

    MariaDbSql(String table) {
        this(table, 8L << 20);
    }

    MariaDbSql(String table, long maxBytesPerStatement) {
        // add: assignments run left to right and see the new values, so value is decided on the old expires
        super(Dialect.MARIADB, table, "value", insert(table) + "value = VALUES(value), expires = VALUES(expires)",
                insert(table) + "value = IF(expires <= ?, VALUES(value), value), expires = IF(expires <= ?, VALUES(expires), expires)");
        this.maxBytesPerStatement = maxBytesPerStatement;
        // the guard takes only what surely fits a signed 64-bit integer: up to 18 digits, the last byte a
        // digit (REGEXP's $ also matches before a final newline); anything else goes to the slow path
        this.incrSql = "UPDATE " + table + " SET value = CAST(LAST_INSERT_ID(CAST(value AS SIGNED) + ?) AS SIGNED)"
                + " WHERE cache_key = ? AND expires > ? AND value REGEXP '^-{0,1}[0-9]{1,18}$'"
                + " AND RIGHT(value, 1) BETWEEN '0' AND '9'";
        // the length + 1 rides in the OK packet as LAST_INSERT_ID (a row always gives a key, even unchanged)
        this.touchAndLengthSql = "UPDATE " + table + " SET expires = IF(LAST_INSERT_ID(LENGTH(value) + 1) IS NULL, expires, ?)"
                + " WHERE cache_key = ? AND expires > ?";
        this.replaceSql = "UPDATE " + table + " SET value = IF(LAST_INSERT_ID(1 + LENGTH(cache_key)) IS NULL, value, ?),"
                + " expires = ? WHERE cache_key = ? AND expires > ?";
    }

    private static String insert(String table) {
        return "INSERT INTO " + table + " (cache_key, value, expires) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ";
    }

    /** The same statements with another byte budget per multi-row upsert (from max_allowed_packet). */
    MariaDbSql withMaxBytesPerStatement(long bytes) {
        return new MariaDbSql(table, bytes);
    }

    /**
     * Affected rows: 1 inserted, 2 took over an expired row, 0 left a live row alone. InnoDB
     * locks the duplicate row, so a racing add waits and then sees the winner's deadline.
     */
    @Override
    int addNowParameters() {
        return 2;
    }

    @Override
    long maxBytesPerStatement() {
        return maxBytesPerStatement;
    }

    /** One UPDATE; a matched row, rewritten with the same bytes or not, leaves a key in the OK packet. */
    @Override
    boolean replace(Connection c, String key, byte[] v, long expires, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(replaceSql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setBytes(1, v);
            ps.setLong(2, expires);
            ps.setString(3, key);
            ps.setLong(4, now);
            ps.executeUpdate();
            return generatedKey(ps) != null;
        }
    }

    @Override
    boolean touch(Connection c, String key, long expires, long now) throws SQLException {
        return touchAndLength(c, key, expires, now) >= 0;
    }

    /**
     * One UPDATE whose OK packet carries the value's length + 1 as {@code LAST_INSERT_ID}, also
     * when the deadline was already the same (0 affected rows); no key when no row matched.
     */
    @Override
    long touchAndLength(Connection c, String key, long expires, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(touchAndLengthSql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, expires);
            ps.setString(2, key);
            ps.setLong(3, now);
            ps.executeUpdate();
            String id = generatedKey(ps);
            return id == null ? -1 : Long.parseLong(id.trim()) - 1;
        }
    }

    /** The OK packet's {@code LAST_INSERT_ID} as text, or null when the statement set none (or set 0). */
    private static String generatedKey(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.getGeneratedKeys()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Override
    String setManyText(int rows) {
        return "INSERT INTO " + table + " (cache_key, value, expires) VALUES " + valuesRows(rows)
                + " ON DUPLICATE KEY UPDATE value = VALUES(value), expires = VALUES(expires)";
    }

    /**
     * One UPDATE under the row lock; {@code LAST_INSERT_ID(expr)} hands the new value to the
     * OK packet, read as the generated key (unsigned on the wire: a negative n arrives as
     * 2^64 + n from some drivers, so it is read as text and wrapped to a long; a result of 0
     * arrives as no key at all). The guard takes plain decimals of up to 18 digits and leaves
     * anything else untouched; an overflow fails the addition (1690, SQLState 22003). An
     * increment by zero changes nothing (0 affected rows) but still leaves its key. No key
     * (missing, expired, not such a decimal, or a result of 0 by adding 0) goes to the slow
     * path, which tells them apart.
     */
    @Override
    Long incr(Connection c, String key, long delta, long now) throws SQLException {
        int updated;
        try (PreparedStatement ps = c.prepareStatement(incrSql, Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, delta);
            ps.setString(2, key);
            ps.setLong(3, now);
            updated = ps.executeUpdate();
            String id = generatedKey(ps);
            if (id != null) {
                return new BigInteger(id.trim()).longValue();
            }
            if (updated > 0) {
                return 0L;
            }
        } catch (SQLException e) {
            if (hasState(e, "22003")) {
                throw IncrPaths.overflow(key, delta);
            }
            if (hasState(e, "22007")) {
                throw IncrPaths.notAnInteger(key);
            }
            throw e;
        }
        return IncrPaths.slowPath(this, c, key, delta, now);
    }

    @Override
    int deleteExpired(Connection c, long now, int limit, DeleteRun run) throws SQLException {
        return walk(c, now, limit, run);
    }

    @Override
    int deleteSoonestExpiring(Connection c, int limit, DeleteRun run) throws SQLException {
        return walk(c, null, limit, run);
    }

    /** The soonest-expiring rows too: the expires index is smaller to walk than the table. */
    @Override
    int deleteAny(Connection c, int limit, DeleteRun run) throws SQLException {
        return walk(c, null, limit, run);
    }

    /**
     * The next DELETE of {@code run} through the expires index in {@code (expires, cache_key)}
     * order, only rows expired at {@code now} when it is not null: the {@code limit}-th row after
     * where the run got to is looked up first (a plain read), then every row up to it is deleted
     * by range, and the run goes on from there; when there is no such row, every row left after
     * the run's position is deleted and the run ends.
     *
     * <p>Why not {@code DELETE ... ORDER BY expires LIMIT n} from the start each time: InnoDB
     * leaves the rows a DELETE removed in the index, delete-marked, until its purge threads catch
     * up, and each later DELETE walks past them all again (a 200-row DELETE on a 1,000,000-row
     * table took 5-18 ms that way, against about 2 ms started after the previous one, in one
     * session's measurement), holding its locks and latches meanwhile. The range has no
     * {@code LIMIT}: a row written inside it between the look-up and the DELETE goes too, so no
     * row that was there before the run is passed over.
     */
    private int walk(Connection c, Long now, int limit, DeleteRun run) throws SQLException {
        if (limit <= 0) {
            return 0;
        }
        boolean after = run.key != null;
        String where = (now != null ? "expires <= ?" : "")
                + (now != null && after ? " AND " : "")
                + (after ? "(expires > ? OR (expires = ? AND cache_key > ?))" : "");
        String from = where.isEmpty() ? "" : " WHERE " + where;
        long lastExpires = 0;
        String lastKey = null;
        try (Prepared p = prepare(c, "SELECT expires, cache_key FROM " + table + from
                + " ORDER BY expires, cache_key LIMIT 1 OFFSET ?")) {
            int i = bindWalk(p.ps, now, run);
            p.ps.setInt(i, limit - 1);
            try (ResultSet rs = p.ps.executeQuery()) {
                if (rs.next()) {
                    lastExpires = rs.getLong(1);
                    lastKey = rs.getString(2);
                }
            }
        }
        if (lastKey == null) {
            try (Prepared rest = prepare(c, "DELETE FROM " + table + from)) {
                bindWalk(rest.ps, now, run);
                int n = rest.ps.executeUpdate();
                run.ended = true;
                return n;
            }
        }
        try (Prepared p = prepare(c, "DELETE FROM " + table + " WHERE " + (where.isEmpty() ? "" : where + " AND ")
                + "(expires < ? OR (expires = ? AND cache_key <= ?))")) {
            int i = bindWalk(p.ps, now, run);
            p.ps.setLong(i++, lastExpires);
            p.ps.setLong(i++, lastExpires);
            p.ps.setString(i, lastKey);
            int n = p.ps.executeUpdate();
            run.expires = lastExpires;
            run.key = lastKey;
            return n;
        }
    }

    /** Binds {@link #walk}'s {@code now} and position parameters; returns the next parameter's index. */
    private static int bindWalk(PreparedStatement ps, Long now, DeleteRun run) throws SQLException {
        int i = 1;
        if (now != null) {
            ps.setLong(i++, now);
        }
        if (run.key != null) {
            ps.setLong(i++, run.expires);
            ps.setLong(i++, run.expires);
            ps.setString(i++, run.key);
        }
        return i;
    }
}
