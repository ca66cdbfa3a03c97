package dev.cachet.jdbc.internal;

import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.DecimalValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * What the dialects' in-database incrs ({@link Sql#incr}) share: the run of a statement that
 * returns the new value, the slow path for what a guarded statement left alone, and the
 * failures (not an integer, overflow) with their messages. Stateless.
 */
final class IncrPaths {
    private IncrPaths() {
    }

    /**
     * An incr that is one statement of {@code sql}'s returning the new value ({@code UPDATE ...
     * RETURNING}, or H2's {@code FINAL TABLE}) with parameters delta, key, now: a value the
     * statement's cast refuses fails with one of {@code notIntegerStates}, an overflow with
     * 22003 (told apart from a non-integer by one read).
     *
     * @return the new value, or null when the key holds nothing readable
     * @throws NotAnIntegerException when the value is not a plain decimal integer
     * @throws ArithmeticException on overflow
     */
    static Long returning(Sql sql, Connection c, String incrSql, String key, long delta, long now,
            String... notIntegerStates) throws SQLException {
        try (Prepared p = sql.prepare(c, incrSql)) {
            PreparedStatement ps = p.ps;
            ps.setLong(1, delta);
            ps.setString(2, key);
            ps.setLong(3, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? DecimalValues.parse(rs.getBytes(1)) : null;
            }
        } catch (SQLException e) {
            for (String state : notIntegerStates) {
                if (Sql.hasState(e, state)) {
                    throw notAnInteger(key);
                }
            }
            if (Sql.hasState(e, "22003")) {
                throw overflowOrNotAnInteger(sql, c, key, delta, now);
            }
            throw e;
        }
    }

    /**
     * The rare path of an incr whose guarded statement changed no row: reads the value, and
     * either explains why (missing, not an integer, overflow) or, for a decimal the guard did
     * not take (leading zeros, a concurrent change), applies the increment with a
     * compare-and-set on the exact old bytes, retried while other writers change the value.
     *
     * @return the new value, or null when the key holds nothing readable
     * @throws NotAnIntegerException when the value is not a plain decimal integer
     * @throws ArithmeticException on overflow
     */
    static Long slowPath(Sql sql, Connection c, String key, long delta, long now) throws SQLException {
        String casSql = "UPDATE " + sql.table + " SET " + sql.value + " = ? WHERE cache_key = ? AND " + sql.value
                + " = ? AND expires > ?";
        for (int attempt = 0; attempt < 100; attempt++) {
            byte[] current = sql.get(c, key, now);
            if (current == null) {
                return null;
            }
            long n = DecimalValues.parse(current);
            long next = Math.addExact(n, delta);
            byte[] nextBytes = DecimalValues.bytes(next);
            if (Arrays.equals(current, nextBytes)) {
                return next;
            }
            try (Prepared p = sql.prepare(c, casSql)) {
                PreparedStatement ps = p.ps;
                ps.setBytes(1, nextBytes);
                ps.setString(2, key);
                ps.setBytes(3, current);
                ps.setLong(4, now);
                if (ps.executeUpdate() > 0) {
                    return next;
                }
            }
        }
        // the core names the user's key; the stored key is never shown
        throw new SQLException("incr lost 100 compare-and-set races in a row", "40001");
    }

    /**
     * An out-of-range error from an incr: the sum overflowed, or the stored digits themselves do
     * not fit a long (then the value is not an integer, as {@link DecimalValues} defines it).
     * Tells them apart with one read, on this failure path only; when the read fails too (a
     * transaction the error aborted), it is reported as an overflow.
     */
    private static RuntimeException overflowOrNotAnInteger(Sql sql, Connection c, String key, long delta, long now) {
        try {
            byte[] current = sql.get(c, key, now);
            if (current != null && !DecimalValues.isDecimal(current)) {
                return notAnInteger(key);
            }
        } catch (SQLException ignored) {
            // the failed statement aborted the caller's transaction: no second look
        }
        return overflow(key, delta);
    }

    /**
     * The failure of an incr of {@code key}, whose value is not a plain decimal integer. The
     * message names no key: the core adds the user's key, as on every backend.
     */
    static NotAnIntegerException notAnInteger(String key) {
        return new NotAnIntegerException("value is not a plain decimal integer");
    }

    /** The failure of an incr of {@code key} by {@code delta} that would overflow a long. */
    static ArithmeticException overflow(String key, long delta) {
        return new ArithmeticException("incr by " + delta + " overflows a long");
    }
}
