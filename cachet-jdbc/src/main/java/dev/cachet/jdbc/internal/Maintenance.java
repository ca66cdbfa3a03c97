package dev.cachet.jdbc.internal;

import dev.cachet.spi.Culling;
import dev.cachet.spi.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jdbc store's upkeep of its table: culling, and the background purge of expired rows, on
 * one daemon thread per store (none when neither is on), stopped by {@link #close()}.
 *
 * <h2>Purge</h2>
 * Every {@code purge_interval} (0 turns it off), expired rows are deleted in DELETEs of at
 * most {@value Sql#DELETE_BATCH} rows (fewer while DELETEs are slow, see below) until none are left. A failure is logged once (and again
 * at debug level while it lasts); the next round tries again.
 *
 * <h2>Culling</h2>
 * Django's {@code MAX_ENTRIES} / {@code CULL_FREQUENCY}, run on a write with probability
 * {@code cull_probability} (1 culls as Django does, before every write; below 1 the cull runs
 * on the background thread, so the write that drew it does not wait for the count, and the
 * table may pass {@code max_entries} by a few writes meanwhile): count the rows; if
 * {@link Culling#toRemove} says some must go, delete the expired ones; then delete as many
 * live rows as {@link Culling#toRemove} says for the rows left (all of them for
 * {@code cull_frequency} 0), the soonest to expire first, ties in key order (with equal
 * timeouts that is Django's key-order cut). The count is of the whole table, as in Django, so
 * caches sharing a table share the limit. Each DELETE removes at most {@value Sql#DELETE_BATCH}
 * rows, so no statement holds locks for long (each DELETE of a purge or a cull is the next of a
 * {@link DeleteRun}: on MariaDB/MySQL it starts where the previous one ended), and a cull runs
 * in rounds of at most {@value #CULL_ROUND_DELETES} DELETEs, each round on a connection of its
 * own: a write that culls inline waits for the count and one round at most, and the rest of a
 * big cull goes on in the background, round after round. One cull of a store runs at a time
 * (a write that would start another skips it). A failed cull is logged; the write goes on.
 *
 * <h2>Sharing the table</h2>
 * On the background thread, upkeep sleeps after each DELETE as long as the DELETE took (1 ms at
 * least), so it holds the table's write locks at most half the time and writers waiting for
 * them get their turn, and sizes its DELETEs to take about {@value #SLOW_DELETE_MILLIS} ms at
 * most (halving the rows after a slower one, down to {@value #MIN_BATCH}; doubling them after a
 * fast one): a writer waits behind one such DELETE at most. Thread-safe.
 */
final class Maintenance implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);
    /** The most DELETEs of one round of a cull (see the class comment). */
    static final int CULL_ROUND_DELETES = 10;

    private final SqlRunner runner;
    private final Sql sql;
    private final Clock clock;
    private final double cullProbability;
    private final long maxEntries;
    private final int cullFrequency;
    /** Zero when the purge is off. */
    private final Duration purgeInterval;
    /** The thread that culls and purges, or null when neither is on. */
    private final ScheduledExecutorService background;
    /** True while a cull is pending, running, or going on in the background. */
    private final AtomicBoolean culling = new AtomicBoolean();
    private final AtomicBoolean purgeFailing = new AtomicBoolean();
    private final AtomicLong purgeRounds = new AtomicLong();
    /**
     * Rows per background DELETE: halved after a DELETE that took over
     * {@value #SLOW_DELETE_MILLIS} ms (down to {@value #MIN_BATCH}), doubled after one under a
     * quarter of that (up to {@value Sql#DELETE_BATCH}), so a background DELETE holds its locks
     * (and the log a writer's commit waits for) about that long at most, whatever the database
     * and table. Racy updates are fine: it only sizes the next DELETE.
     */
    private volatile int backgroundBatch = Sql.DELETE_BATCH;
    static final long SLOW_DELETE_MILLIS = 4;
    static final int MIN_BATCH = 50;

    /** Starts the background thread when {@code settings} purge or cull. */
    Maintenance(String cacheName, JdbcSettings settings, SqlRunner runner, Sql sql, Clock clock) {
        this.runner = runner;
        this.sql = sql;
        this.clock = clock;
        this.cullProbability = settings.cullProbability;
        this.maxEntries = settings.maxEntries;
        this.cullFrequency = settings.cullFrequency;
        this.purgeInterval = settings.purgeInterval;
        if (purgeInterval.isZero() && cullProbability <= 0) {
            this.background = null;
            return;
        }
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-" + cacheName + "-background");
            t.setDaemon(true);
            return t;
        });
        if (!purgeInterval.isZero()) {
            long every = purgeInterval.toMillis();
            background.scheduleWithFixedDelay(this::purgeExpired, every, every, TimeUnit.MILLISECONDS);
        }
    }

    // ---- culling ----

    /**
     * Before a write that may add a row: culls, or has the background thread cull, per
     * {@code cull_probability}: at 1, Django's behaviour, before every write, inline for its
     * first round (the rest of a big cull goes on in the background); below 1, a drawn write
     * hands the whole cull to the background thread and goes on at once, so no write waits for
     * the count. One cull at a time. Never throws for a failed cull (it is logged).
     */
    void maybeCull() {
        double p = cullProbability;
        if (p <= 0 || (p < 1 && ThreadLocalRandom.current().nextDouble() >= p) || !culling.compareAndSet(false, true)) {
            return;
        }
        Cull cull = new Cull();
        if (p >= 1 && cullRound(cull, false)) {
            culling.set(false);
            return;
        }
        try {
            background.execute(() -> {
                try {
                    while (!runner.isClosed() && !cullRound(cull, true)) {
                        // the next round, on a fresh connection
                    }
                } finally {
                    culling.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            culling.set(false); // closing
        }
    }

    /**
     * Runs a round of {@code cull}, pausing after each DELETE when {@code background}; true when
     * the cull is over (done, failed and logged, or interrupted by close).
     */
    private boolean cullRound(Cull cull, boolean background) {
        try {
            return runner.run("cull", false, c -> cull.round(c, CULL_ROUND_DELETES, background));
        } catch (InterruptedUpkeep e) {
            return true;
        } catch (StoreException e) {
            LOG.warn("{}: culling failed, the write goes on: {}", runner.where(), e.getMessage());
            return true;
        }
    }

    /**
     * Django's {@code _cull} (see the class comment), in rounds: the count is taken once, in
     * the first round, and how many live rows go once, when the expired ones are gone; each
     * round deletes in at most a given number of DELETEs and says whether the cull is done.
     */
    private final class Cull {
        private long count = -1;
        private boolean expiredGone;
        private long toDelete = -1;
        /** True when every row goes: then any rows will do, in no order. */
        private boolean everyRow;
        /** The DELETEs of expired rows, then those of live ones. */
        private final DeleteRun expired = new DeleteRun();
        private final DeleteRun live = new DeleteRun();

        boolean round(Connection c, int deletes, boolean pause) throws SQLException {
            // inline (a writer waits for it): full batches; in the background: sized to stay short
            if (count < 0) {
                count = sql.count(c);
                if (Culling.toRemove(count, maxEntries, cullFrequency) == 0) {
                    return true;
                }
            }
            long now = clock.millis();
            while (!expiredGone) {
                if (deletes-- == 0) {
                    return false;
                }
                int size = pause ? backgroundBatch : Sql.DELETE_BATCH;
                long t0 = System.nanoTime();
                int n = sql.deleteExpired(c, now, size, expired);
                breathe(pause, t0);
                // (rows written since the count may have expired and gone too)
                count = Math.max(0, count - n);
                expiredGone = expired.ended;
            }
            if (toDelete < 0) {
                toDelete = Culling.toRemove(count, maxEntries, cullFrequency);
                everyRow = toDelete >= count;
            }
            while (toDelete > 0) {
                if (deletes-- == 0) {
                    return false;
                }
                int batch = (int) Math.min(toDelete, pause ? backgroundBatch : Sql.DELETE_BATCH);
                long t0 = System.nanoTime();
                int n = everyRow ? sql.deleteAny(c, batch, live) : sql.deleteSoonestExpiring(c, batch, live);
                breathe(pause, t0);
                toDelete -= n;
                if (live.ended) {
                    return true; // the table holds no more rows
                }
            }
            return true;
        }
    }

    // ---- purging ----

    /** The background purge: deletes expired rows in bounded batches until none are left. Never throws. */
    void purgeExpired() {
        try {
            int total = 0;
            DeleteRun run = new DeleteRun();
            while (!runner.isClosed()) {
                int size = backgroundBatch;
                long now = clock.millis();
                long t0 = System.nanoTime();
                total += runner.run("purge", true, c -> sql.deleteExpired(c, now, size, run));
                if (run.ended) {
                    break;
                }
                breathe(true, t0);
            }
            if (purgeFailing.getAndSet(false)) {
                LOG.info("{}: purging expired rows works again", runner.where());
            }
            if (total > 0) {
                LOG.debug("{}: purged {} expired rows", runner.where(), total);
            }
            purgeRounds.incrementAndGet();
        } catch (InterruptedUpkeep e) {
            return; // closing
        } catch (RuntimeException e) {
            if (runner.isClosed()) {
                return;
            }
            if (!purgeFailing.getAndSet(true)) {
                LOG.warn("{}: purging expired rows failed (retried every {}): {}", runner.where(), purgeInterval,
                        e.getMessage());
            } else {
                LOG.debug("{}: purging expired rows failed again", runner.where(), e);
            }
        }
    }

    /**
     * After a background DELETE that began at {@code startNanos}: sleeps as long as it took (1 ms
     * at least), so that upkeep holds the table's write lock at most half the time and writers
     * waiting for it get their turn. That matters on SQLite, one writer at a time, whose waiting
     * writers retry after growing sleeps: back to back, a cull's DELETEs kept a write waiting over a
     * second on a 1,000,000-row table (SqlScaling). Row-locking databases lose only upkeep speed.
     *
     * @throws InterruptedUpkeep when the store closes meanwhile
     */
    private void breathe(boolean pause, long startNanos) {
        if (!pause) {
            return;
        }
        long took = System.nanoTime() - startNanos;
        backgroundBatch = nextBatch(backgroundBatch, took);
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(took,
                    TimeUnit.SECONDS.toNanos(1))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedUpkeep();
        }
    }

    /**
     * The rows of the next background DELETE after one of {@code size} rows that took
     * {@code tookNanos}: half after a slow one (over {@value #SLOW_DELETE_MILLIS} ms, never below
     * {@value #MIN_BATCH}), twice after a fast one (under a quarter of that, never above
     * {@value Sql#DELETE_BATCH}), else the same.
     */
    static int nextBatch(int size, long tookNanos) {
        long slow = TimeUnit.MILLISECONDS.toNanos(SLOW_DELETE_MILLIS);
        if (tookNanos > slow) {
            return Math.max(MIN_BATCH, size / 2);
        }
        if (tookNanos < slow / 4) {
            return Math.min(Sql.DELETE_BATCH, size * 2);
        }
        return size;
    }

    /** Upkeep stopped by {@link #close()} between two DELETEs. */
    private static final class InterruptedUpkeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InterruptedUpkeep() {
            super("closed", null, false, false);
        }
    }

    /** How many background purges have completed (for tests). */
    long purgeRounds() {
        return purgeRounds.get();
    }

    /** The thread that culls and purges in the background, or null when neither is on (for tests to hold it up). */
    Executor background() {
        return background;
    }

    /** Stops the background thread, waiting up to 5 s for a running round to end. Idempotent. */
    @Override
    public void close() {
        if (background == null) {
            return;
        }
        background.shutdownNow();
        try {
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("{}: the background thread did not stop within 5 s", runner.where());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
