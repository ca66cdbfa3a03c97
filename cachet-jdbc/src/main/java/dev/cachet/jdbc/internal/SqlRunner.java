package dev.cachet.jdbc.internal;

import dev.cachet.spi.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a store's work on connections of its {@link DataSource}: one connection per call, the
 * call's own transaction on a caller's DataSource in manual-commit mode, the retries, and the
 * classification of failures that decides them. A {@link SQLException} leaves as a
 * {@link StoreException} naming the cache, the operation, the dialect and the driver's message
 * (values never appear in it).
 *
 * <p>A deadlock or serialization failure (the database rolled the statement back) is retried
 * up to twice. A lost connection is retried once only for work whose repetition can never land
 * over a newer write (reads, and the deletes of clear and purge): a write may have been applied
 * before the connection went, and sent again it could overwrite a write acknowledged meanwhile
 * with an older value, so set, replace, set_many, touch, add, delete, deleteIfEquals and incr
 * fail instead, per the error policy. Nothing is retried after the client's socket timeout (the
 * statement was sent: see {@link #isConnectionLoss}). The pool replaces broken connections by
 * itself, so the store recovers when the database does. It also holds the store's closed
 * state: work on a closed store fails with {@link IllegalStateException}. Thread-safe.
 */
final class SqlRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SqlRunner.class);

    private final String cacheName;
    /** The store's description in messages: cache, dialect and table. */
    private final String where;
    private final DataSource dataSource;
    /** True when cachet created the pool: its connections are in auto-commit mode. */
    private final boolean ownPool;
    /** The statements kept per connection, or null. */
    private final StatementCache statementCache;
    private volatile boolean closed;

    SqlRunner(String cacheName, String where, DataSource dataSource, boolean ownPool, StatementCache statementCache) {
        this.cacheName = cacheName;
        this.where = where;
        this.dataSource = dataSource;
        this.ownPool = ownPool;
        this.statementCache = statementCache;
    }

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work inside a transaction. */
    @FunctionalInterface
    interface TransactionBody {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} on a connection, retried as the class comment says.
     *
     * @param op the operation's name in messages
     * @param idempotent true when running it twice can do no harm, even after a write by another
     *     caller in between (reads, clear's and purge's deletes): a lost connection is then retried once
     * @throws StoreException when it fails
     * @throws IllegalStateException when the store is closed
     */
    <T> T run(String op, boolean idempotent, Work<T> work) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work);
            } catch (SQLException e) {
                boolean again = isRolledBackConflict(e) ? attempt < 3 : idempotent && attempt < 2 && isConnectionLoss(e);
                if (again && !closed) {
                    LOG.debug("{}: {} failed, retrying: {}", where, op, e.toString());
                    continue;
                }
                throw new StoreException(where + ": " + op + " failed: " + describe(e), e);
            }
        }
    }

    /**
     * Runs a read of one row by its key ({@code get}, {@code hasKey}) as {@link #run} does, a
     * read being idempotent; its replies are the quick ones a caller polls for on a connection
     * over {@link PollingSocketFactory}'s sockets.
     */
    <T> T runKeyRead(String op, Work<T> work) {
        PollingSocketFactory.expectQuickReplies(true);
        try {
            return run(op, true, work);
        } finally {
            PollingSocketFactory.expectQuickReplies(false);
        }
    }

    private <T> T attempt(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (ownPool || c.getAutoCommit()) {
                if (statementCache == null) {
                    return work.run(c);
                }
                try {
                    return work.run(c);
                } catch (SQLException | RuntimeException | Error e) {
                    statementCache.discard(c);
                    throw e;
                }
            }
            // a caller's DataSource in manual-commit mode: each operation is its own transaction
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    /** Runs {@code body} in one transaction on {@code c}, committed, or rolled back when it fails. */
    static void inTransaction(Connection c, TransactionBody body) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (auto) {
            c.setAutoCommit(false);
        }
        try {
            body.run();
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            if (auto) {
                c.setAutoCommit(true);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    /** @throws IllegalStateException when the store is closed */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("jdbc cache '" + cacheName + "' is closed");
        }
    }

    /** True once the store is closed. */
    boolean isClosed() {
        return closed;
    }

    /** Marks the store closed; true the first time, false when it already was. */
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    /** The store's description in messages: cache, dialect and table. */
    String where() {
        return where;
    }

    // ---- classifying failures ----

    /** A deadlock or serialization failure: the database rolled the statement back, so it can run again. */
    static boolean isRolledBackConflict(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || s.getErrorCode() == 1213) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The connection broke (database restarted or unreachable), as opposed to the pool timing
     * out, and not by the client's own socket timeout: a statement that timed out was sent and
     * may still be applied (its server-side bound, see {@link ConnectionPools}, normally ends it
     * first), so it is never sent again, and a call never waits twice its timeout.
     */
    static boolean isConnectionLoss(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return false; // HikariCP: no connection became available in time; trying again only doubles the wait
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return false;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == 1153) {
                return false; // MariaDB closed the connection because the statement exceeds max_allowed_packet: it would again
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The driver's message and SQLState, abbreviated; never a value (none is ever in SQL text). */
    static String describe(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (m.length() > 400) {
            m = m.substring(0, 400) + "...";
        }
        return m + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]");
    }
}
