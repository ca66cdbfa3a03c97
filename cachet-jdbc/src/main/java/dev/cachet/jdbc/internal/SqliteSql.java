package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.DecimalValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * SQLite (3.35+ for {@code RETURNING}): {@code INSERT ... ON CONFLICT} upserts and adds (as
 * PostgreSQL), incr by {@code UPDATE ... RETURNING}. SQLite's integer arithmetic does not fail:
 * {@code CAST} reads any text as some number and an overflowing sum silently becomes a REAL, so
 * the incr's {@code WHERE} only lets through a value whose text is exactly its canonical
 * integer, and whose sum stays within a long (the bounds are computed in Java and bound); any
 * other row is left alone and the slow path explains it. One writer at a time (SQLite's
 * database lock), so adds and incrs are atomic across threads and processes.
 */
final class SqliteSql extends Sql {
    private final String incrSql;

    SqliteSql(String table) {
        super(Dialect.SQLITE, table, "value", onConflictUpsert(table), onConflictAdd(table));
        String text = "CAST(value AS TEXT)";
        String n = "CAST(" + text + " AS INTEGER)";
        this.incrSql = "UPDATE " + table + " SET value = CAST(CAST(" + n + " + ? AS TEXT) AS BLOB)"
                + " WHERE cache_key = ? AND expires > ? AND CAST(" + n + " AS TEXT) = " + text
                + " AND " + n + " BETWEEN ? AND ? RETURNING value";
    }

    /** SQLite 3.32+ allows 32766 parameters; one is the time. */

    @Override
    int maxKeysPerStatement() {
        return 16_384;
    }

    @Override
    String setManyText(int rows) {
        return "INSERT INTO " + table + " (cache_key, value, expires) VALUES " + valuesRows(rows)
                + " ON CONFLICT (cache_key) DO UPDATE SET value = excluded.value, expires = excluded.expires";
    }

    @Override
    Long incr(Connection c, String key, long delta, long now) throws SQLException {
        long low = delta >= 0 ? Long.MIN_VALUE : Long.MIN_VALUE - delta;
        long high = delta >= 0 ? Long.MAX_VALUE - delta : Long.MAX_VALUE;
        try (Prepared p = prepare(c, incrSql)) {
            PreparedStatement ps = p.ps;
            ps.setLong(1, delta);
            ps.setString(2, key);
            ps.setLong(3, now);
            ps.setLong(4, low);
            ps.setLong(5, high);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return DecimalValues.parse(rs.getBytes(1));
                }
            }
        }
        return IncrPaths.slowPath(this, c, key, delta, now);
    }
}
