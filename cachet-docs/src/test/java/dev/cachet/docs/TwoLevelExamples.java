package dev.cachet.docs;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import dev.cachet.jdbc.PostgresOutbox;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * The ```java blocks of README.md's "Two levels" section, verbatim (see {@link ReadmeExamples}
 * for the rule); {@link TwoLevelExamplesTest} runs the one that needs no server.
 */
final class TwoLevelExamples {
    private TwoLevelExamples() {
    }

    static Cache overRedis() {
        Cache cache = TwoLevel.over(Caches.open("redis://cache-host:6379/0"))
                .backplane("redis://cache-host:6379")        // pub/sub on connections of its own
                .localMaxEntries(10_000)                       // Caffeine, per instance
                .localTimeout(Duration.ofMinutes(5))           // a local copy lives at most this long
                .stalenessBound(Duration.ofSeconds(1))         // and never serves a replaced value past this
                .build();
        return cache;
    }

    static List<Object> inOneJvm() {
        Cache shared = Caches.open("memory:");
        Cache a = TwoLevel.over(shared).backplane("memory:?channel=orders").build();
        Cache b = TwoLevel.over(shared).backplane("memory:?channel=orders").build();
        a.set("order:1", "new");
        b.get("order:1");                                      // "new", now held in b's local level
        a.set("order:1", "paid");                              // b's local copy is dropped before set returns
        Object now = b.get("order:1");                         // "paid"
        TwoLevel.Stats stats = TwoLevel.stats(b).orElseThrow(); // local entries, resets after a possible loss
        a.close();
        b.close();
        return List.of(now, stats);
    }

    static void outbox(DataSource dataSource, Cache cache) throws SQLException {
        PostgresOutbox outbox = PostgresOutbox.start(dataSource, cache, PostgresOutbox.DEFAULT_TABLE, Duration.ofMillis(100));
        try (Connection tx = dataSource.getConnection()) {
            tx.setAutoCommit(false);
            try (Statement s = tx.createStatement()) {
                s.executeUpdate("UPDATE users SET name = 'Ann' WHERE id = 7");
            }
            outbox.deleteAfterCommit(tx, "user:7");            // a row in this transaction
            tx.commit();                                       // user:7 leaves the cache, every level, after this
        }
        outbox.close();
    }
}
