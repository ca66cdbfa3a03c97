package dev.cachet.jdbc.internal;

import static dev.cachet.jdbc.internal.JdbcFixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.Culling;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
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
     * Django's {@code test_cull} and {@code test_zero_cull} (MAX_ENTRIES 30, 49 sets), and the
     * same with MAX_ENTRIES 10 (19 sets), with {@code cull_probability=1} (a cull before every
     * write). The store culls by {@link Culling#toRemove}, the rule every cachet store shares:
     * before a write, when the table holds {@code max_entries} rows or more, {@code count /
     * cull_frequency} go, or enough that the write leaves at most {@code max_entries}; all of
     * them for frequency 0. The counts left, and the very keys (the first in key order go, the
     * deadlines being equal), are that rule's, checked against a model of it; the last column is
     * what Django's database cache leaves, modelled too. The counts agree for frequency 3 (29 of
     * 49, 10 of 19; not always the keys, Django culling one write later). For frequency 0 cachet leaves 19 of 49, the count of Django's generic
     * {@code test_zero_cull} (local memory, files: they cull at the limit, as cachet does),
     * where Django's database cache, culling only above the limit, one write later, leaves 18
     * (its {@code DBCacheTests} override); likewise 9 of 19 against the database cache's 8.
     */
    @ParameterizedTest(name = "{0}: max_entries={1} cull_frequency={2}, {3} sets leave {4} (Django's database cache: {5})")
    @CsvSource({
        "POSTGRESQL, 30, 3, 49, 29, 29", "POSTGRESQL, 30, 0, 49, 19, 18", "POSTGRESQL, 10, 3, 19, 10, 10",
        "POSTGRESQL, 10, 0, 19, 9, 8",
        "MARIADB, 30, 3, 49, 29, 29", "MARIADB, 30, 0, 49, 19, 18", "MARIADB, 10, 3, 19, 10, 10", "MARIADB, 10, 0, 19, 9, 8",
        "SQLITE, 30, 3, 49, 29, 29", "SQLITE, 30, 0, 49, 19, 18", "SQLITE, 10, 3, 19, 10, 10", "SQLITE, 10, 0, 19, 9, 8",
        "H2, 30, 3, 49, 29, 29", "H2, 30, 0, 49, 19, 18", "H2, 10, 3, 19, 10, 10", "H2, 10, 0, 19, 9, 8"})
    void cullingOnEveryWriteLeavesTheSharedRulesCounts(Dialect dialect, int maxEntries, int cullFrequency, int sets,
            int left, int djangoDatabaseLeft) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "cull")) {
            Cache cache = f.cache(o -> o.option("max_entries", maxEntries).option("cull_frequency", cullFrequency)
                    .option("cull_probability", 1));
            TreeSet<String> model = new TreeSet<>();
            TreeSet<String> django = new TreeSet<>();
            for (int i = 1; i <= sets; i++) {
                cache.set("cull" + i, "value", Duration.ofSeconds(1000));
                modelSet(model, ":1:cull" + i, maxEntries, cullFrequency);
                djangoSet(django, ":1:cull" + i, maxEntries, cullFrequency);
            }
            int count = 0;
            for (int i = 1; i <= sets; i++) {
                if (cache.hasKey("cull" + i)) {
                    count++;
                }
            }
            assertThat(count).isEqualTo(left);
            assertThat(model).hasSize(left);
            assertThat(f.keys()).containsExactlyElementsOf(model);
            assertThat(django).hasSize(djangoDatabaseLeft);
        }
    }

    /** The store's rule on a sorted set of keys (nothing expires here, all deadlines are equal). */
    private static void modelSet(TreeSet<String> table, String key, int maxEntries, int cullFrequency) {
        long cull = Culling.toRemove(table.size(), maxEntries, cullFrequency);
        for (long i = 0; i < cull; i++) {
            table.pollFirst();
        }
        table.add(key);
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
            // 11 rows, at least 10: the 4 expired ones go; 7 remain, below the limit, so no live row goes
            store.put("new-1", b("x"), now + 100_000, PutMode.SET);
            assertThat(f.keys()).hasSize(8).noneMatch(k -> k.startsWith("expired-"));
            for (int i = 0; i < 2; i++) {
                store.put("new-" + (i + 2), b("x"), now + 100_000, PutMode.SET);
            }
            assertThat(f.rows()).as("9 rows before the last write: no cull").isEqualTo(10);
            // 10 live rows, at the limit: max(10 / 4, 10 - 10 + 1) = 2 go, the two soonest to expire
            store.put("last", b("x"), Store.NEVER, PutMode.ADD);
            assertThat(f.keys()).hasSize(9).doesNotContain("live-6", "live-5").contains("live-4", "live-0", "last");
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aBigCullRunsInBoundedDeletesAndAlwaysGetsBackUnderTheLimit(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "bigcull")) {
            insertMany(f, 3_000, Store.NEVER);
            // cull_frequency 50 would remove 60 rows; culling removes at least enough that the write leaves max_entries:
            // max(3000 / 50, 3000 - 100 + 1) = 2901 go, and the write makes 100
            JdbcStore store = f.store(o -> o.option("max_entries", 100).option("cull_frequency", 50).option("cull_probability", 1));
            store.put("k", b("v"), Store.NEVER, PutMode.SET);
            assertThat(f.rows()).isEqualTo(100);
            JdbcStore never = f.store(o -> o.option("max_entries", 10).option("cull_probability", 0));
            never.putMany(java.util.Map.of("a", b("1"), "b", b("2")), Store.NEVER);
            assertThat(f.rows()).as("cull_probability 0 never culls").isEqualTo(102);
        }
    }

    /**
     * A cull too big for one round: the write that culls inline waits for one round only
     * ({@value Maintenance#CULL_ROUND_DELETES} DELETEs of {@value Sql#DELETE_BATCH} rows), and the
     * rest goes on in the background, to the count {@link Culling#toRemove} gives.
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
                int round = (Maintenance.CULL_ROUND_DELETES - 1) * Sql.DELETE_BATCH;
                assertThat(f.rows()).as("one round deleted, then the write").isEqualTo(rows - round + 1);
                // a second write while the cull goes on starts no other cull
                assertThat(store.put("k2", b("v"), Store.NEVER, PutMode.SET)).isTrue();
                assertThat(f.rows()).isEqualTo(rows - round + 2);
            } finally {
                release.countDown();
            }
            // 12000 >= 100, so max(12000 / 3, 12000 - 100 + 1) = 11901 go (Django's database cache takes 12000 / 3 = 4000
            // and stays far over its limit); then the two writes
            await(() -> f.rows() == 101, "the background to finish the cull");
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
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(String.format("bulk-%05d", i));
        }
        f.insertAll(keys, expires);
    }
}
