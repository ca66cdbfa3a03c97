package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import dev.cachet.jdbc.PostgresOutbox;
import dev.cachet.testkit.Servers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Invalidations inside the application's transaction: applied after commit, never after a
 * rollback; two two-level instances on the real PostgreSQL (cache table, backplane, outbox).
 */
class PostgresOutboxTest {
    private static final String TABLE = "two_level_outbox_cache";
    private static final String OUTBOX = "two_level_outbox";

    @Test
    void aKeyIsDeletedEverywhereAfterCommitAndNeverAfterRollback() throws Exception {
        String url = Databases.postgresUrl();
        String location = Databases.withFreshTable(url, TABLE);
        String channel = "outbox-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + OUTBOX);
            PostgresOutbox.createTable(c, OUTBOX);
            s.execute("CREATE TABLE IF NOT EXISTS outbox_domain (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO outbox_domain VALUES (7, 'ann') ON CONFLICT (id) DO UPDATE SET name = 'ann'");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        CacheConfig config = CacheConfig.builder(location).name("outbox").option("table", TABLE).build();
        try (Cache a = TwoLevel.over(Caches.open(config)).backplane(url).channel(channel).build();
             Cache b = TwoLevel.over(Caches.open(config)).backplane(url).channel(channel).build();
             PostgresOutbox outbox = PostgresOutbox.start(ds, a, OUTBOX, Duration.ofMillis(50))) {
            a.set("user:7", "ann");
            assertThat(b.get("user:7")).isEqualTo("ann"); // b holds a local copy now

            try (Connection tx = ds.getConnection()) {
                tx.setAutoCommit(false);
                try (Statement s = tx.createStatement()) {
                    s.executeUpdate("UPDATE outbox_domain SET name = 'bob' WHERE id = 7");
                }
                outbox.deleteAfterCommit(tx, "user:7");
                long cycles = outbox.cycles();
                assertThat(Servers.waitUntil(() -> outbox.cycles() >= cycles + 2, Duration.ofSeconds(10))).isTrue();
                assertThat(b.get("user:7")).as("before the commit").isEqualTo("ann");
                tx.rollback();
            }
            long cycles = outbox.cycles();
            assertThat(Servers.waitUntil(() -> outbox.cycles() >= cycles + 2, Duration.ofSeconds(10))).isTrue();
            assertThat(outbox.relayed()).as("rolled back: nothing relayed").isZero();
            assertThat(b.get("user:7")).isEqualTo("ann");
            assertThat(a.get("user:7")).isEqualTo("ann");

            try (Connection tx = ds.getConnection()) {
                tx.setAutoCommit(false);
                try (Statement s = tx.createStatement()) {
                    s.executeUpdate("UPDATE outbox_domain SET name = 'bob' WHERE id = 7");
                }
                outbox.deleteAfterCommit(tx, "user:7");
                tx.commit();
            }
            assertThat(Servers.waitUntil(() -> b.get("user:7") == null && a.get("user:7") == null, Duration.ofSeconds(10)))
                    .as("deleted from the shared level and both local levels after the commit").isTrue();
            // the relay deletes the keys, then commits its claim on them, then counts them: wait for the count
            assertThat(Servers.waitUntil(() -> outbox.relayed() >= 1, Duration.ofSeconds(10))).isTrue();
            assertThat(outbox.relayed()).isEqualTo(1);
        }
    }
}
