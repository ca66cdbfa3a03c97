package dev.cachet.jdbc;

import dev.cachet.Cache;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache invalidations that follow the application's own PostgreSQL transactions: recorded in
 * an outbox table inside the transaction, applied to the cache only after it commits, never for
 * one rolled back, and never lost once committed.
 * <pre>
 * PostgresOutbox outbox = PostgresOutbox.start(dataSource, cache, PostgresOutbox.DEFAULT_TABLE, Duration.ofMillis(100));
 * try (Connection tx = dataSource.getConnection()) {
 *     tx.setAutoCommit(false);
 *     // ... UPDATE users SET ... WHERE id = 7
 *     outbox.deleteAfterCommit(tx, "user:7");
 *     tx.commit();                       // the cache drops user:7 within the poll interval
 * }
 * </pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #deleteAfterCommit} inserts one row (cache name, key) in the caller's
 *       transaction: it becomes visible at commit and vanishes at rollback.</li>
 *   <li>A relay thread takes committed rows every poll interval, oldest first, a batch at a
 *       time under {@code FOR UPDATE SKIP LOCKED} (so the instances of an application share the
 *       work and none waits for another), calls {@code cache.deleteMany} with their keys (on a
 *       {@link dev.cachet.TwoLevel} cache: the shared level, every local copy, the
 *       announcement), and deletes the rows in the same transaction. A relay that dies before
 *       that commit leaves its rows for the next one: delivery is at least once, and a delete
 *       applied twice is harmless.</li>
 *   <li>So a key is deleted at most one poll interval (plus the delete itself) after the
 *       transaction commits, as long as one relay runs; a two-level cache's staleness bound
 *       then applies from that delete.</li>
 * </ul>
 * The table is {@code (id bigserial primary key, cache_name text, cache_key text, created_at
 * timestamptz)}; {@link #createTable} makes it. Thread-safe; {@link #close()} stops the relay
 * (the cache and the DataSource stay open).
 */
public final class PostgresOutbox implements AutoCloseable {
    /** The table name when none is given. */
    public static final String DEFAULT_TABLE = "cachet_outbox";
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet.twolevel");
    private static final int BATCH = 500;

    private final DataSource dataSource;
    private final Cache cache;
    private final String table;
    private final long pollMillis;
    private final Thread relay;
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();
    private volatile boolean closed;

    private PostgresOutbox(DataSource dataSource, Cache cache, String table, Duration poll) {
        this.dataSource = dataSource;
        this.cache = cache;
        this.table = table;
        this.pollMillis = poll.toMillis();
        this.relay = new Thread(this::relayLoop, "cachet-outbox-" + cache.name());
        relay.setDaemon(true);
    }

    /**
     * Starts the relay of {@code cache}'s rows of {@code table} in {@code dataSource}, every {@code poll}.
     *
     * @throws IllegalArgumentException for a table name that is not a plain identifier, or a poll under 1 ms
     */
    public static PostgresOutbox start(DataSource dataSource, Cache cache, String table, Duration poll) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        Objects.requireNonNull(cache, "cache must not be null");
        checkTable(table);
        if (poll.toMillis() < 1) {
            throw new IllegalArgumentException("outbox poll interval must be at least 1 ms: " + poll);
        }
        PostgresOutbox o = new PostgresOutbox(dataSource, cache, table, poll);
        o.relay.start();
        return o;
    }

    /** Creates {@code table} (and its index) if it does not exist, on {@code connection}. */
    public static void createTable(Connection connection, String table) throws SQLException {
        checkTable(table);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + table + " (id bigserial PRIMARY KEY, cache_name text NOT NULL,"
                    + " cache_key text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            s.execute("CREATE INDEX IF NOT EXISTS " + table + "_cache ON " + table + " (cache_name, id)");
        }
    }

    private static void checkTable(String table) {
        if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("outbox table '" + table + "' must be a plain SQL identifier");
        }
    }

    /**
     * Records that {@code key} must be deleted from the cache once {@code transaction} commits.
     * Runs in the caller's transaction; nothing happens if it rolls back.
     */
    public void deleteAfterCommit(Connection transaction, String key) throws SQLException {
        Objects.requireNonNull(key, "key must not be null");
        try (PreparedStatement ps = transaction.prepareStatement("INSERT INTO " + table + " (cache_name, cache_key) VALUES (?, ?)")) {
            ps.setString(1, cache.name());
            ps.setString(2, key);
            ps.executeUpdate();
        }
    }

    /** Relay cycles run so far (each took whatever rows were committed). */
    public long cycles() {
        return cycles.get();
    }

    /** Keys deleted from the cache so far by this relay. */
    public long relayed() {
        return relayed.get();
    }

    private void relayLoop() {
        while (!closed) {
            try {
                while (relayBatch() == BATCH) {
                    // more waiting: take the next batch at once
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("cache '{}': outbox {} relay failed (its rows stay for the next cycle): {}", cache.name(), table,
                            e.toString());
                }
            }
            cycles.incrementAndGet();
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int relayBatch() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, cache_key FROM " + table
                        + " WHERE cache_name = ? ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, cache.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getLong(1));
                            keys.add(rs.getString(2));
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    cache.deleteMany(keys);
                    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE id = ANY (?)")) {
                        del.setArray(1, c.createArrayOf("bigint", ids.toArray()));
                        del.executeUpdate();
                    }
                }
                c.commit();
                relayed.addAndGet(keys.size());
                return ids.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        relay.interrupt();
        try {
            relay.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
