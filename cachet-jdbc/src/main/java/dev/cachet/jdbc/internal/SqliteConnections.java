package dev.cachet.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The connections of the pool cachet creates for a SQLite file, each with a busy handler that
 * retries a locked database at short intervals. SQLite's own (what {@code busy_timeout} sets)
 * sleeps 1, 2, 5, 10, 15, 20, 25, 25... ms between tries, whatever holds the lock: a writer
 * that found the write lock held by a 4 ms DELETE of the background upkeep slept past the gap
 * the upkeep leaves after it, and past the next DELETE, and waited 50 ms or more. This one
 * waits 50 µs, doubling to at most 1 ms, so a writer gets in within a millisecond of the lock's
 * release; it gives up (SQLite's "database is locked") after the same {@code busy_timeout}.
 * Only loaded for SQLite (sqlite-jdbc is an optional dependency).
 */
final class SqliteConnections extends SQLiteDataSource {
    private final long timeoutNanos;

    /**
     * Connections to {@code url} with {@code pragmas} (the driver's properties: journal mode,
     * synchronous, busy_timeout), retrying a locked database for {@code busyTimeoutMillis}.
     */
    SqliteConnections(String url, Properties pragmas, long busyTimeoutMillis) {
        super(new SQLiteConfig(pragmas));
        setUrl(url);
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, busyTimeoutMillis));
    }

    /** How long a writer waits for a locked database before it fails. */
    long busyTimeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    @Override
    public org.sqlite.SQLiteConnection getConnection(String username, String password) throws SQLException {
        org.sqlite.SQLiteConnection c = super.getConnection(username, password);
        try {
            BusyHandler.setHandler(c, new ShortWaits(timeoutNanos));
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the handler could not be set: the connection is not used
        }
    }

    /** Retries at 50 µs doubling to 1 ms, until {@code timeoutNanos} have passed since the first try. */
    static final class ShortWaits extends BusyHandler {
        private static final long FIRST_NANOS = 50_000;
        private static final long MOST_NANOS = 1_000_000;
        private final long timeoutNanos;
        /** When this wait began; a connection is used by one thread at a time. */
        private long start;

        ShortWaits(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        @Override
        protected int callback(int previousCalls) {
            long now = System.nanoTime();
            if (previousCalls == 0) {
                start = now;
            }
            long left = timeoutNanos - (now - start);
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return 0; // SQLITE_BUSY: "database is locked"
            }
            LockSupport.parkNanos(Math.min(left, waitNanos(previousCalls)));
            return 1;
        }

        /** The wait after {@code previousCalls} tries. */
        static long waitNanos(int previousCalls) {
            return previousCalls >= 5 ? MOST_NANOS : Math.min(MOST_NANOS, FIRST_NANOS << previousCalls);
        }
    }
}
