package dev.cachet.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepared statements kept open per physical connection of the pool cachet creates, for the
 * embedded databases whose drivers parse and plan the SQL again at every
 * {@code prepareStatement}: SQLite ({@code sqlite3_prepare} each time; a get spent more time
 * preparing than running) and H2 (its per-session query cache skips {@code MERGE}, the
 * upsert). PostgreSQL and MariaDB need none: pgjdbc and the MariaDB pool cachet configures
 * cache prepared statements themselves.
 *
 * <p>Statements are prepared on the physical connection (unwrapped from the pool's proxy, which
 * would close them when the connection goes back to the pool), at most
 * {@value #PER_CONNECTION} per connection, least recently used closed first. A connection's
 * statements are only ever used by the thread that holds the connection, so each connection's
 * cache needs no lock; only the map from connection to cache is shared. Entries of
 * connections the pool has closed are dropped whenever a new connection is seen, which is rare.
 */
final class StatementCache {
    /** The most statements kept per connection. */
    static final int PER_CONNECTION = 64;

    private final Map<Connection, PerConnection> byConnection = new IdentityHashMap<>();

    /** The statements of {@code c}'s physical connection. */
    PerConnection of(Connection c) throws SQLException {
        Connection physical = c.unwrap(Connection.class);
        synchronized (byConnection) {
            PerConnection p = byConnection.get(physical);
            if (p == null) {
                dropClosed();
                p = new PerConnection(physical);
                byConnection.put(physical, p);
            }
            return p;
        }
    }

    private void dropClosed() {
        for (Iterator<Connection> it = byConnection.keySet().iterator(); it.hasNext(); ) {
            Connection c = it.next();
            boolean closed;
            try {
                closed = c.isClosed();
            } catch (SQLException e) {
                closed = true;
            }
            if (closed) {
                it.remove();
            }
        }
    }

    /**
     * Closes and forgets the statements of {@code c}'s physical connection, after an operation
     * on it failed: whatever state the failure left them in, the next use prepares afresh.
     */
    void discard(Connection c) {
        PerConnection p;
        try {
            Connection physical = c.unwrap(Connection.class);
            synchronized (byConnection) {
                p = byConnection.remove(physical);
            }
        } catch (SQLException e) {
            return; // the connection is broken; the pool drops it, and dropClosed() its entry
        }
        if (p != null) {
            p.closeAll();
        }
    }

    /** Forgets every connection (their statements close with them, when the pool closes). */
    void clear() {
        synchronized (byConnection) {
            byConnection.clear();
        }
    }

    /** How many connections have statements here (for tests). */
    int connections() {
        synchronized (byConnection) {
            return byConnection.size();
        }
    }

    /** How many statements each connection keeps (for tests). */
    List<Integer> sizes() {
        synchronized (byConnection) {
            List<Integer> out = new ArrayList<>();
            byConnection.values().forEach(p -> out.add(p.statements.size()));
            return out;
        }
    }

    /** The statements of one physical connection, least recently used first. */
    static final class PerConnection {
        private final Connection physical;
        private final LinkedHashMap<String, PreparedStatement> statements = new LinkedHashMap<>(32, 0.75f, true);

        PerConnection(Connection physical) {
            this.physical = physical;
        }

        /** The statement of {@code sql}, prepared on first use. */
        PreparedStatement get(String sql) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null || ps.isClosed()) {
                ps = physical.prepareStatement(sql);
                statements.put(sql, ps);
                if (statements.size() > PER_CONNECTION) {
                    Iterator<PreparedStatement> eldest = statements.values().iterator();
                    PreparedStatement old = eldest.next();
                    eldest.remove();
                    closeQuietly(old);
                }
            }
            return ps;
        }

        /** Closes and forgets {@code sql}'s statement (after a failure, so it is prepared afresh). */
        void evict(String sql) {
            PreparedStatement ps = statements.remove(sql);
            if (ps != null) {
                closeQuietly(ps);
            }
        }

        void closeAll() {
            statements.values().forEach(PerConnection::closeQuietly);
            statements.clear();
        }

        /** The SQL of the statements kept, least recently used first (for tests). */
        List<String> sql() {
            return new ArrayList<>(statements.keySet());
        }

        private static void closeQuietly(PreparedStatement ps) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement we no longer use: nothing to do about a failure
            }
        }
    }
}
