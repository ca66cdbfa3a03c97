package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.jdbc.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Versioned writers under faults, on PostgreSQL and MariaDB: a table lock held longer than the
 * socket timeout, and the cache's connections terminated by the server. The server abandons each
 * blocked statement a little before the client gives up ({@code statement_timeout} and
 * {@code lock_timeout} on PostgreSQL, {@code max_statement_time} on MariaDB), and a write whose
 * connection went is not sent again, so a write reported as failed is never applied over a newer
 * acknowledged one: no key ever reads back older than its last acknowledged version. No call
 * waits longer than its timeout plus a margin, and the cache recovers by itself.
 */
class LockedTableTest {
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    /** What a call may take past its socket timeout: getting a connection from the pool, and scheduling. */
    private static final Duration MARGIN = Duration.ofMillis(1500);
    private static final int WRITERS = 8;

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void aWriteReportedFailedIsNeverAppliedOverANewerOneAndNoCallWaitsTwice(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "locked")) {
            Cache cache = f.cache(o -> o.option("socket_timeout", "2s").option("connect_timeout", "1s")
                    .option("pool_size", WRITERS + 2));
            VersionedWriters writers = new VersionedWriters(cache);
            try (Connection holder = f.connect(); Statement st = holder.createStatement()) {
                holder.setAutoCommit(false);
                st.execute(dialect == Dialect.POSTGRESQL ? "LOCK TABLE " + f.table + " IN ACCESS EXCLUSIVE MODE"
                        : "LOCK TABLES " + f.table + " WRITE");
                long until = System.nanoTime() + SOCKET_TIMEOUT.toNanos() * 2;
                while (System.nanoTime() < until) {
                    Thread.sleep(50); // holding the lock is the point: the writers pile up behind it
                }
                if (dialect == Dialect.MARIADB) {
                    st.execute("UNLOCK TABLES");
                }
                holder.commit();
            }
            long after = System.nanoTime() + SOCKET_TIMEOUT.toNanos();
            while (System.nanoTime() < after) {
                Thread.sleep(50); // writes go on after the release
            }
            writers.stop();
            // every statement the server was still holding is over (no backend of this cache is waiting)
            waitForNoWaitingStatement(f, dialect);
            assertThat(writers.failures.get()).as("writes blocked past the timeout fail").isPositive();
            writers.check(cache);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void connectionsTerminatedUnderLoadLoseNoAcknowledgedWriteAndRecover(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "killed")) {
            Cache cache = f.cache(o -> o.name("killed").option("socket_timeout", "2s").option("connect_timeout", "1s")
                    .option("pool_size", WRITERS + 2));
            VersionedWriters writers = new VersionedWriters(cache);
            int killed = 0;
            for (int round = 0; round < 3; round++) {
                long until = System.nanoTime() + Duration.ofMillis(700).toNanos();
                while (System.nanoTime() < until) {
                    Thread.sleep(20); // the writers run between the kills
                }
                killed += terminateTheCachesConnections(f, dialect);
            }
            long recovered = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long before = writers.acked.get(0);
            while (writers.acked.get(0) <= before) { // writes go on again by themselves
                if (System.nanoTime() > recovered) {
                    throw new AssertionError("writes did not succeed again within 10 s of the last kill");
                }
                Thread.sleep(20);
            }
            writers.stop();
            waitForNoWaitingStatement(f, dialect);
            assertThat(killed).as("connections terminated").isPositive();
            assertThat(writers.failures.get()).as("writes on terminated connections fail").isPositive();
            writers.check(cache);
        }
    }

    /** {@value #WRITERS} threads each writing rising versions to a key of its own, until stopped. */
    private static final class VersionedWriters {
        final AtomicLongArray acked = new AtomicLongArray(WRITERS);
        final AtomicLong slowestNanos = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        private final List<Future<?>> writers = new ArrayList<>();

        VersionedWriters(Cache cache) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                int me = w;
                writers.add(pool.submit(() -> {
                    long version = 0;
                    started.countDown();
                    while (writing.get()) {
                        version++;
                        long t0 = System.nanoTime();
                        boolean ok;
                        try {
                            ok = cache.set("k" + me, "v" + version);
                        } catch (CacheException e) {
                            ok = false;
                            failures.incrementAndGet();
                        }
                        slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        if (ok) {
                            acked.set(me, version);
                        }
                    }
                    return null;
                }));
            }
            started.await();
        }

        void stop() throws Exception {
            writing.set(false);
            for (Future<?> w : writers) {
                w.get();
            }
            pool.shutdown();
        }

        /** The slowest call within the bound, and no key older than its last acknowledged version. */
        void check(Cache cache) {
            assertThat(Duration.ofNanos(slowestNanos.get())).as("the slowest call").isLessThan(SOCKET_TIMEOUT.plus(MARGIN));
            for (int w = 0; w < WRITERS; w++) {
                String v = cache.get("k" + w, String.class);
                assertThat(v).as("k%d", w).isNotNull();
                assertThat(Long.parseLong(v.substring(1))).as("k%d: never older than the last acknowledged write", w)
                        .isGreaterThanOrEqualTo(acked.get(w));
            }
        }
    }

    /** Terminates, from another connection, every server connection of the cache named {@code killed}; returns how many. */
    private static int terminateTheCachesConnections(JdbcFixture f, Dialect dialect) throws Exception {
        try (Connection c = f.connect(); Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = 'cachet-killed' AND pid <> pg_backend_pid()")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
            List<Long> ids = new ArrayList<>();
            // the pool's connections: every connection of this user on the test database but this one
            try (ResultSet rs = st.executeQuery("SELECT id FROM information_schema.processlist WHERE db = DATABASE()"
                    + " AND user = SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AND id <> CONNECTION_ID()")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            int n = 0;
            for (long id : ids) {
                try {
                    st.execute("KILL CONNECTION " + id);
                    n++;
                } catch (java.sql.SQLException e) {
                    // gone already
                }
            }
            return n;
        }
    }

    private static void waitForNoWaitingStatement(JdbcFixture f, Dialect dialect) throws Exception {
        String sql = dialect == Dialect.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE '%" + f.table + "%'"
                        + " AND pid <> pg_backend_pid()"
                : "SELECT COUNT(*) FROM information_schema.processlist WHERE command = 'Query' AND info LIKE '%"
                        + f.table + "%' AND id <> CONNECTION_ID()";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Connection c = f.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("statements of the cache still running on the server 10 s after the lock went");
            }
            Thread.sleep(20);
        }
    }
}
