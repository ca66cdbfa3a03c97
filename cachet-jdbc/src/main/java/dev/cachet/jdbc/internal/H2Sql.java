package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * H2 2.x: {@code MERGE INTO ... KEY} upserts, an add by {@code MERGE ... USING} whose
 * {@code WHEN MATCHED} branch fires only for an expired row, and incr by
 * {@code SELECT ... FROM FINAL TABLE (UPDATE ...)}. {@code VALUE} is a keyword in H2, so the
 * column is quoted.
 */
final class H2Sql extends Sql {
    /** The value column: {@code VALUE} is a keyword in H2. */
    private static final String VALUE = "\"VALUE\"";
    private final String incrSql;

    H2Sql(String table) {
        super(Dialect.H2, table, VALUE, "MERGE INTO " + table + " (cache_key, " + VALUE + ", expires) KEY (cache_key)"
                + " VALUES (?, ?, ?)", "MERGE INTO " + table + " t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS VARBINARY),"
                + " CAST(? AS BIGINT))) AS s (cache_key, " + VALUE + ", expires) ON t.cache_key = s.cache_key"
                + " WHEN MATCHED AND t.expires <= ? THEN UPDATE SET " + VALUE + " = s." + VALUE + ", expires = s.expires"
                + " WHEN NOT MATCHED THEN INSERT (cache_key, " + VALUE + ", expires) VALUES (s.cache_key, s." + VALUE
                + ", s.expires)");
        // CAST alone would also take ' 41 ', '+7' and '5\n': text that is not a plain decimal gets an 'x'
        // appended, so its cast fails (22018, not an integer) and the row is left alone (\z: Java's $
        // also matches before a final newline)
        this.incrSql = "SELECT " + value + " FROM FINAL TABLE (UPDATE " + table + " SET " + value
                + " = STRINGTOUTF8(CAST(CAST(CASE WHEN REGEXP_LIKE(UTF8TOSTRING(" + value + "), '^-?[0-9]+\\z')"
                + " THEN UTF8TOSTRING(" + value + ") ELSE UTF8TOSTRING(" + value + ") || 'x' END AS BIGINT) + ? AS VARCHAR))"
                + " WHERE cache_key = ? AND expires > ?)";
    }

    @Override
    String touchAndLengthSql() {
        return "SELECT OCTET_LENGTH(" + value + ") FROM FINAL TABLE (" + touchSql + ")";
    }

    /** Two racing inserts of an absent key: the loser fails on the primary key (23505), which is a lost add. */
    @Override
    boolean add(Connection c, String key, byte[] v, long expires, long now) throws SQLException {
        try {
            return super.add(c, key, v, expires, now);
        } catch (SQLException e) {
            if (hasState(e, "23505")) {
                return false;
            }
            throw e;
        }
    }

    @Override
    String setManyText(int rows) {
        return "MERGE INTO " + table + " (cache_key, " + value + ", expires) KEY (cache_key) VALUES " + valuesRows(rows);
    }

    /** A non-integer fails the cast (22018), an overflow the addition (22003). */
    @Override
    Long incr(Connection c, String key, long delta, long now) throws SQLException {
        return IncrPaths.returning(this, c, incrSql, key, delta, now, "22018");
    }

    @Override
    int deleteExpired(Connection c, long now, int limit, DeleteRun run) throws SQLException {
        return run.removed(limited(c, "DELETE FROM " + table + " WHERE expires <= ? FETCH FIRST ? ROWS ONLY", now, limit),
                limit);
    }

    @Override
    int deleteAny(Connection c, int limit, DeleteRun run) throws SQLException {
        return run.removed(limited(c, "DELETE FROM " + table + " FETCH FIRST ? ROWS ONLY", null, limit), limit);
    }
}
