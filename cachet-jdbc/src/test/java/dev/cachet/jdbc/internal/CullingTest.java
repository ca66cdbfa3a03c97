package dev.cachet.jdbc.internal;

import static dev.cachet.jdbc.internal.JdbcFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Culling (Django's MAX_ENTRIES / CULL_FREQUENCY) and the background purge of expired rows. */
class CullingTest {

    /**
     * Django's {@code DBCacheTests.test_cull} and {@code test_zero_cull} (MAX_ENTRIES 30: 49 sets
     * leave 29, or 18 with CULL_FREQUENCY 0: the database cache culls when the count before a
     * write exceeds MAX_ENTRIES, one write later than the local-memory cache, whose test expects
     * 19) and the same with MAX_ENTRIES 10 (19 sets leave 10, or 8): with
     * {@code cull_probability=1} the counts, and the very keys left, are Django's.
     */
    @ParameterizedTest(name = "{0}: max_entries={1} cull_frequency={2}, {3} sets leave {4}")
    @CsvSource({
        "POSTGRESQL, 30, 3, 49, 29", "POSTGRESQL, 30, 0, 49, 18", "POSTGRESQL, 10, 3, 19, 10", "POSTGRESQL, 10, 0, 19, 8",
        "MARIADB, 30, 3, 49, 29", "MARIADB, 30, 0, 49, 18", "MARIADB, 10, 3, 19, 10", "MARIADB, 10, 0, 19, 8",
        "SQLITE, 30, 3, 49, 29", "SQLITE, 30, 0, 49, 18", "SQLITE, 10, 3, 19, 10", "SQLITE, 10, 0, 19, 8",
        "H2, 30, 3, 49, 29", "H2, 30, 0, 49, 18", "H2, 10, 3, 19, 10", "H2, 10, 0, 19, 8"})
    void cullingOnEveryWriteLeavesDjangosCounts(Dialect dialect, int maxEntries, int cullFrequency, int sets, int left)
            throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "cull")) {
            Cache cache = f.cache(o -> o.option("max_entries", maxEntries).option("cull_frequency", cullFrequency)
                    .option("cull_probability", 1));
            TreeSet<String> django = new TreeSet<>();
            for (int i = 1; i <= sets; i++) {
                cache.set("cull" + i, "value", Duration.ofSeconds(1000));
                djangoSet(django, ":1:cull" + i, maxEntries, cullFrequency);
            }
            int count = 0;
            for (int i = 1; i <= sets; i++) {
                if (cache.hasKey("cull" + i)) {
                    count++;
                }
            }
            assertThat(count).isEqualTo(left);
            assertThat(django).hasSize(left);
            assertThat(f.keys()).containsExactlyElementsOf(django);
        }
    }

    /** Django's DatabaseCache._base_set and _cull, on a sorted set of keys (nothing expires here). */
    private static void djangoSet(TreeSet<String> table, String key, int maxEntries, int cullFrequency) {
        int num = table.size();
        if (num > maxEntries) {
            if (cullFrequency == 0) {
                table.clear();
            } else {
                int cullNum = num / cullFrequency;
                for (int i = 0; i < cullNum; i++) {
                    table.pollFirst();
                }
            }
        }
        table.add(key);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void expiredRowsGoFirstThenTheSoonestToExpire(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "cullorder")) {
            JdbcStore store = f.store(o -> o.option("max_entries", 10).option("cull_frequency", 4).option("cull_probability", 1));
            long now = f.clock.millis();
            for (int i = 0; i < 4; i++) {
                f.insert("expired-" + i, b("x"), now - i);
            }
            for (int i = 0; i < 7; i++) {
                f.insert("live-" + i, b("x"), now + 1000 * (10 - i)); // live-6 expires soonest
            }
            // 11 rows > 10: the 4 expired ones go; 7 remain, which is within the limit
            store.put("new-1", b("x"), now + 100_000, PutMode.SET);
            assertThat(f.keys()).hasSize(8).noneMatch(k -> k.startsWith("expired-"));
            for (int i = 0; i < 3; i++) {
                store.put("new-" + (i + 2), b("x"), now + 100_000, PutMode.SET);
            }
            assertThat(f.rows()).isEqualTo(11);
            // 11 live rows > 10: 11 / 4 = 2 go, the two soonest to expire
            store.put("last", b("x"), Store.NEVER, PutMode.ADD);
            assertThat(f.keys()).hasSize(10).doesNotContain("live-6", "live-5").contains("live-4", "live-0", "last");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aBigCullRunsInBoundedDeletesAndAlwaysGetsBackUnderTheLimit(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "bigcull")) {
            insertMany(f, 3_000, Store.NEVER);
            // cull_frequency 50 would remove 60 rows; culling removes at least enough to get back to max_entries
            JdbcStore store = f.store(o -> o.option("max_entries", 100).option("cull_frequency", 50).option("cull_probability", 1));
            store.put("k", b("v"), Store.NEVER, PutMode.SET);
            assertThat(f.rows()).isEqualTo(101);
            JdbcStore never = f.store(o -> o.option("max_entries", 10).option("cull_probability", 0));
            never.putMany(java.util.Map.of("a", b("1"), "b", b("2")), Store.NEVER);
            assertThat(f.rows()).as("cull_probability 0 never culls").isEqualTo(103);
        }
    }

    /**
     * A cull too big for one round: the write that culls inline waits for one round only
     * ({@value JdbcStore#CULL_ROUND_DELETES} DELETEs of {@value Sql#DELETE_BATCH} rows), and the
     * rest goes on in the background, to Django's count.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aWriteWaitsForOneRoundOfABigCullAndTheBackgroundFinishesIt(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "roundcull")) {
            int rows = 12_000;
            insertMany(f, rows, Store.NEVER);
            JdbcStore store = f.store(o -> o.option("max_entries", 100).option("cull_frequency", 3)
                    .option("cull_probability", 1).option("purge_interval", 0));
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            store.background().execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                assertThat(store.put("k", b("v"), Store.NEVER, PutMode.SET)).isTrue();
                // the round's first DELETE looked for expired rows (none), the others took 1000 rows each
                int round = (JdbcStore.CULL_ROUND_DELETES - 1) * Sql.DELETE_BATCH;
                assertThat(f.rows()).as("one round deleted, then the write").isEqualTo(rows - round + 1);
                // a second write while the cull goes on starts no other cull
                assertThat(store.put("k2", b("v"), Store.NEVER, PutMode.SET)).isTrue();
                assertThat(f.rows()).isEqualTo(rows - round + 2);
            } finally {
                release.countDown();
            }
            // Django: 12000 > 100, so max(12000 / 3, 12000 - 100) = 11900 go; then the two writes
            await(() -> f.rows() == 102, "the background to finish the cull");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void belowProbabilityOneTheCullRunsOnTheBackgroundThread(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "bgcull")) {
            insertMany(f, 500, Store.NEVER);
            JdbcStore store = f.store(o -> o.option("max_entries", 100).option("cull_frequency", 2)
                    .option("cull_probability", 0.5).option("purge_interval", 0));
            // 50 writes each hand a cull to the background thread with even chances (all 50
            // missing: 1 in 10^15); the first cull takes 500+ rows down to max_entries
            for (int i = 0; i < 50; i++) {
                assertThat(store.put("k" + i, b("v"), Store.NEVER, PutMode.SET)).isTrue();
            }
            // (later culls, over 100 rows again, take half of what is there: Django's cull_frequency 2)
            await(() -> f.rows() <= 150, "a background cull to bring the table back near max_entries");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theBackgroundPurgeRemovesExpiredRows(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "purge")) {
            long now = f.clock.millis();
            insertMany(f, 2_500, now + 1000); // more than two DELETE batches
            f.insert("forever", b("x"), Store.NEVER);
            f.insert("later", b("x"), now + 60_000);
            JdbcStore store = f.store(o -> o.option("purge_interval", "100ms"));
            await(() -> store.purgeRounds() >= 2, "two purge rounds");
            assertThat(f.rows()).as("nothing has expired yet").isEqualTo(2_502);
            f.clock.advance(Duration.ofSeconds(2));
            await(() -> f.rows() == 2, "the purge to remove the expired rows");
            assertThat(f.keys()).containsExactly("forever", "later");
        }
    }

    /** Polls {@code condition} until it holds, failing after 20 s. */
    static void await(java.util.concurrent.Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after 20 s waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static void insertMany(JdbcFixture f, int n, long expires) throws Exception {
        try (Connection c = f.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + f.table + " (cache_key, " + f.valueColumn()
                    + ", expires) VALUES (?, ?, ?)")) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    keys.add(String.format("bulk-%05d", i));
                }
                for (String k : keys) {
                    ps.setString(1, k);
                    ps.setBytes(2, b("x"));
                    ps.setLong(3, expires);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }
}
