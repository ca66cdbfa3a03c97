package dev.cachet.jdbc.internal;

import static dev.cachet.jdbc.internal.JdbcFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.KeyScope;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bounded DELETEs of upkeep and clear, run after run: each removes the next rows in the
 * order its caller asked for, the run ends exactly when nothing is left, and nothing that was
 * there before the run is passed over, whatever is written in between (MariaDB's DELETEs each
 * start where the previous one ended; the other dialects start from the beginning).
 */
class DeleteRunTest {
    private record Row(String key, long expires) {
    }

    private static final Comparator<Row> SOONEST = Comparator.comparingLong(Row::expires).thenComparing(Row::key);

    /** 25 rows over 5 deadlines (ties broken by key), written in neither order. */
    private static List<Row> rows(JdbcFixture f) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Row r = new Row("k" + ((i * 7) % 25), 1_000 + (i % 5) * 10);
            f.insert(r.key(), b("x"), r.expires());
            rows.add(r);
        }
        rows.sort(SOONEST);
        return rows;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theSoonestToExpireGoFirstTiesInKeyOrderAndTheRunEndsWithTheLastRow(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "delrun"); Connection c = f.connect()) {
            List<Row> order = rows(f);
            Sql sql = Sql.of(dialect, f.table);
            DeleteRun run = new DeleteRun();
            List<Integer> removed = new ArrayList<>();
            while (!run.ended) {
                removed.add(sql.deleteSoonestExpiring(c, 7, run));
                int gone = removed.stream().mapToInt(Integer::intValue).sum();
                assertThat(f.keys()).as("after %d rows", gone).containsExactlyInAnyOrderElementsOf(
                        order.subList(gone, order.size()).stream().map(Row::key).toList());
            }
            assertThat(removed).containsExactly(7, 7, 7, 4);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aRunOfFullBatchesEndsWithAnEmptyOne(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "delrunfull"); Connection c = f.connect()) {
            rows(f);
            Sql sql = Sql.of(dialect, f.table);
            assertThat(drain(run -> sql.deleteAny(c, 5, run))).containsExactly(5, 5, 5, 5, 5, 0);
            assertThat(f.rows()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void onlyExpiredRowsGoAndAllOfThem(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "delrunexp"); Connection c = f.connect()) {
            List<Row> rows = rows(f);
            Sql sql = Sql.of(dialect, f.table);
            long now = 1_020; // deadlines 1000, 1010 and 1020 have passed: 15 rows
            assertThat(drain(run -> sql.deleteExpired(c, now, 4, run))).containsExactly(4, 4, 4, 3);
            assertThat(f.keys()).containsExactlyInAnyOrderElementsOf(
                    rows.stream().filter(r -> r.expires() > now).map(Row::key).toList());
        }
    }

    /**
     * Rows written while a run goes on, before and after its position, and rows rewritten with a
     * later deadline: every row that was there before the run and was not written since is gone
     * at its end.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void noRowThatWasThereBeforeTheRunIsPassedOver(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "delrunwrites"); Connection c = f.connect()) {
            List<Row> rows = rows(f);
            Sql sql = Sql.of(dialect, f.table);
            DeleteRun run = new DeleteRun();
            sql.deleteSoonestExpiring(c, 6, run);
            sql.deleteSoonestExpiring(c, 6, run);
            // behind the position, inside the next batch's range, and past the end
            f.insert("a-early", b("x"), 1_000);
            f.insert("k20-inside", b("x"), 1_020); // after (1020, k19), where the run stands on MariaDB
            f.insert("z-late", b("x"), 5_000);
            // an original row not reached yet, rewritten with a later deadline
            try (var ps = c.prepareStatement("UPDATE " + f.table + " SET expires = 4000 WHERE cache_key = ?")) {
                ps.setString(1, rows.get(20).key());
                assertThat(ps.executeUpdate()).isOne();
            }
            while (!run.ended) {
                sql.deleteSoonestExpiring(c, 6, run);
            }
            assertThat(f.keys()).doesNotContainAnyElementsOf(rows.stream().map(Row::key).toList())
                    .doesNotContain("k20-inside", "z-late");
        }
    }

    interface Batch {
        int next(DeleteRun run) throws Exception;
    }

    /** Runs {@code batch} as the DELETEs of one run until it ends; returns what each removed. */
    private static List<Integer> drain(Batch batch) throws Exception {
        DeleteRun run = new DeleteRun();
        List<Integer> removed = new ArrayList<>();
        while (!run.ended) {
            removed.add(batch.next(run));
        }
        return removed;
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void clearingEverythingTakesTablesOfManyBatches(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "delrunclear")) {
            CullingTest.insertMany(f, 2_500, 10_000);
            f.insert("late", b("x"), 20_000);
            f.store().clear(KeyScope.everything());
            assertThat(f.rows()).isZero();
        }
    }
}
