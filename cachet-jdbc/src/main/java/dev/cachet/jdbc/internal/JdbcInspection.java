package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.StoreStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The SQL of {@link JdbcStore}'s inspection ({@code cachet stats}, {@code keys}, {@code ttl}):
 * reads of the cache table, page by page in key order over the scope's key ranges (each page
 * one index range scan, as {@code clear} reads them), so a large table is never held in memory
 * at once. Statements are prepared per call, not kept: these are rare.
 */
final class JdbcInspection {
    /** Rows per page. */
    static final int PAGE = 1000;

    private final Sql sql;
    private final String length;

    JdbcInspection(Sql sql) {
        this.sql = sql;
        this.length = (sql.dialect == Dialect.SQLITE ? "LENGTH(" : "OCTET_LENGTH(") + sql.value + ")";
    }

    /** A row seen by a page: its key, and its value's length. */
    record Row(String key, long valueBytes) {
    }

    /**
     * Up to {@value #PAGE} readable rows of {@code range} after {@code after} (from the range's
     * start when null), in key order, with the last key read (readable or not) to go on from.
     *
     * @param rows the readable rows of the page
     * @param last the last key the page read; null when the range is done
     */
    record Page(List<Row> rows, String last) {
    }

    Page page(Connection c, KeyScope.Range range, String after, long now) throws SQLException {
        StringBuilder q = new StringBuilder("SELECT cache_key, expires, ").append(length).append(" FROM ").append(sql.table)
                .append(" WHERE 1 = 1");
        List<String> bounds = new ArrayList<>(2);
        String from = after != null ? after : range.from();
        if (from != null) {
            q.append(after != null ? " AND cache_key > ?" : " AND cache_key >= ?");
            bounds.add(from);
        }
        if (range.to() != null) {
            q.append(" AND cache_key < ?");
            bounds.add(range.to());
        }
        q.append(" ORDER BY cache_key LIMIT ").append(PAGE);
        try (PreparedStatement ps = c.prepareStatement(q.toString())) {
            for (int i = 0; i < bounds.size(); i++) {
                ps.setString(i + 1, bounds.get(i));
            }
            List<Row> rows = new ArrayList<>();
            String last = null;
            int read = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    last = rs.getString(1);
                    if (rs.getLong(2) > now) {
                        rows.add(new Row(last, rs.getLong(3)));
                    }
                }
            }
            return new Page(rows, read < PAGE ? null : last);
        }
    }

    /** The deadline of {@code key}'s readable row, or {@code NO_ENTRY}. */
    long expiresAt(Connection c, String key, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT expires FROM " + sql.table + " WHERE cache_key = ? AND expires > ?")) {
            ps.setString(1, key);
            ps.setLong(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : dev.cachet.spi.Store.NO_ENTRY;
            }
        }
    }

    /** The table's own figures: every row (any cache's, expired ones too) and its size where the database says it. */
    List<StoreStats.Detail> tableDetails(Connection c) throws SQLException {
        List<StoreStats.Detail> out = new ArrayList<>();
        out.add(new StoreStats.Detail("table", sql.table + " (" + sql.dialect.displayName() + ")"));
        out.add(new StoreStats.Detail("table rows", Long.toString(sql.count(c)) + " (every cache's, expired rows too)"));
        switch (sql.dialect) {
            case POSTGRESQL -> out.add(new StoreStats.Detail("table bytes",
                    scalar(c, "SELECT pg_total_relation_size(to_regclass(?))", sql.table) + " (pg_total_relation_size: rows, TOAST and indexes)"));
            case MARIADB -> out.add(new StoreStats.Detail("table bytes", scalar(c, "SELECT DATA_LENGTH + INDEX_LENGTH FROM"
                    + " information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", unquoted(sql.table))
                    + " (information_schema: the engine's own estimate)"));
            case SQLITE -> out.add(new StoreStats.Detail("database bytes",
                    (scalar(c, "PRAGMA page_count", null) * scalar(c, "PRAGMA page_size", null)) + " (the whole database file)"));
            default -> { }
        }
        return out;
    }

    /** Reads one page of a range (each page its own statement, on a connection of the pool's). */
    interface PageReader {
        Page read(KeyScope.Range range, String after);
    }

    /** Feeds every readable owned row to {@code sink} until it returns false. */
    static void walk(KeyScope scope, PageReader reader, Predicate<Row> sink) {
        for (KeyScope.Range range : scope.ranges()) {
            String after = null;
            do {
                Page p = reader.read(range, after);
                for (Row r : p.rows()) {
                    if (scope.owns(r.key()) && !sink.test(r)) {
                        return;
                    }
                }
                after = p.last();
            } while (after != null);
        }
    }

    private static long scalar(Connection c, String query, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static String unquoted(String table) {
        String t = table.substring(table.lastIndexOf('.') + 1);
        return t.replace("`", "").replace("\"", "");
    }
}
