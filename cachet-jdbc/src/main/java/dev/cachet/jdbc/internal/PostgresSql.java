package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: {@code INSERT ... ON CONFLICT} upserts and adds, incr by an {@code UPDATE ...
 * RETURNING} that does the arithmetic in SQL, and key lists as array parameters
 * ({@code = ANY(?)}, {@code unnest(?, ?)}), so getMany, deleteMany and setMany are each one
 * statement text whatever their size (prepared once per connection by pgjdbc) and never meet
 * the 65535-parameter limit.
 */
final class PostgresSql extends Sql {
    private final String incrSql;
    private final String getManySql;
    private final String deleteManySql;
    private final String setManySql;

    PostgresSql(String table) {
        super(Dialect.POSTGRESQL, table, "value", onConflictUpsert(table), onConflictAdd(table));
        // ::bigint alone would also take ' 41 ', '+7' and '5\n': text that is not a plain decimal gets an 'x'
        // appended, so its cast fails (22P02, not an integer) and the row is left alone
        this.incrSql = "UPDATE " + table + " SET value = convert_to(((CASE WHEN convert_from(value, 'UTF8') ~ '^-?[0-9]+$'"
                + " THEN convert_from(value, 'UTF8') ELSE convert_from(value, 'UTF8') || 'x' END)::bigint + ?)::text, 'UTF8')"
                + " WHERE cache_key = ? AND expires > ? RETURNING value";
        this.getManySql = "SELECT cache_key, value FROM " + table + " WHERE cache_key = ANY(?) AND expires > ?";
        this.deleteManySql = "DELETE FROM " + table + " WHERE cache_key = ANY(?) AND expires > ?";
        this.setManySql = "INSERT INTO " + table + " (cache_key, value, expires) SELECT k, v, ? FROM unnest(?::varchar[], ?::bytea[])"
                + " AS u(k, v) ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires";
    }

    @Override
    int maxKeysPerStatement() {
        return Integer.MAX_VALUE;
    }

    @Override
    int maxRowsPerStatement() {
        return Integer.MAX_VALUE;
    }

    @Override
    void getMany(Connection c, List<String> keys, long now, Map<String, byte[]> into) throws SQLException {
        Array array = c.createArrayOf("varchar", keys.toArray());
        try (PreparedStatement ps = c.prepareStatement(getManySql)) {
            ps.setArray(1, array);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.put(rs.getString(1), rs.getBytes(2));
                }
            }
        } finally {
            array.free();
        }
    }

    @Override
    int deleteMany(Connection c, List<String> keys, long now) throws SQLException {
        Array array = c.createArrayOf("varchar", keys.toArray());
        try (PreparedStatement ps = c.prepareStatement(deleteManySql)) {
            ps.setArray(1, array);
            ps.setLong(2, now);
            return ps.executeUpdate();
        } finally {
            array.free();
        }
    }

    @Override
    void setMany(Connection c, List<Map.Entry<String, byte[]>> rows, long expires) throws SQLException {
        String[] keys = new String[rows.size()];
        byte[][] values = new byte[rows.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = rows.get(i).getKey();
            values[i] = rows.get(i).getValue();
        }
        Array k = c.createArrayOf("varchar", keys);
        Array v = c.createArrayOf("bytea", values);
        try (PreparedStatement ps = c.prepareStatement(setManySql)) {
            ps.setLong(1, expires);
            ps.setArray(2, k);
            ps.setArray(3, v);
            ps.executeUpdate();
        } finally {
            k.free();
            v.free();
        }
    }

    /**
     * {@code UPDATE ... RETURNING}: the row lock makes it atomic; a value that is not an integer
     * fails the cast (22P02, or 22021 for bytes that are not UTF-8), an overflow fails the
     * addition (22003).
     */
    @Override
    Long incr(Connection c, String key, long delta, long now) throws SQLException {
        return IncrPaths.returning(this, c, incrSql, key, delta, now, "22P02", "22021");
    }
}
