package dev.cachet.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A statement for one use, as {@link Sql#prepare} and {@link Sql#prepareWithValues} hand it
 * out: closing it closes a statement prepared for this use, or clears a kept one's parameters
 * (values) when asked to, and leaves a kept one open for its next use. Not thread-safe: one
 * use, on the thread that holds its connection.
 */
final class Prepared implements AutoCloseable {
    /** The statement to bind and run. */
    final PreparedStatement ps;
    private final boolean kept;
    private final boolean clear;

    Prepared(PreparedStatement ps, boolean kept, boolean clear) {
        this.ps = ps;
        this.kept = kept;
        this.clear = clear;
    }

    @Override
    public void close() throws SQLException {
        if (!kept) {
            ps.close();
        } else if (clear) {
            ps.clearParameters();
        }
    }
}
