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
 * Writes blocked by a table lock held longer than the socket timeout: the server abandons each
 * blocked statement a little before the client gives up ({@code statement_timeout} and
 * {@code lock_timeout} on PostgreSQL, {@code max_statement_time} on MariaDB), so a write reported
 * as failed is never applied after the lock goes, over a newer acknowledged one; and no call
 * waits longer than its timeout plus a margin (a timed-out statement is not sent again).
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
            AtomicLongArray acked = new AtomicLongArray(WRITERS);
            AtomicLong slowestNanos = new AtomicLong();
            AtomicLong failures = new AtomicLong();
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch started = new CountDownLatch(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
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
            writing.set(false);
            for (Future<?> w : writers) {
                w.get();
            }
            pool.shutdown();
            // every statement the server was still holding is over (no backend of this cache is waiting)
            waitForNoWaitingStatement(f, dialect);
            assertThat(failures.get()).as("writes blocked past the timeout fail").isPositive();
            assertThat(Duration.ofNanos(slowestNanos.get())).as("the slowest call").isLessThan(SOCKET_TIMEOUT.plus(MARGIN));
            for (int w = 0; w < WRITERS; w++) {
                String v = cache.get("k" + w, String.class);
                assertThat(v).as("k%d", w).isNotNull();
                assertThat(Long.parseLong(v.substring(1))).as("k%d: never older than the last acknowledged write", w)
                        .isGreaterThanOrEqualTo(acked.get(w));
            }
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
