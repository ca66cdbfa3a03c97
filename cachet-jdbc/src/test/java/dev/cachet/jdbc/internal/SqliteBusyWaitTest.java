package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A writer that finds the SQLite file's write lock held waits for it through cachet's busy
 * handler: it gets in once the holder commits, and fails with SQLite's "database is locked"
 * only after the busy timeout (the URL's {@code busy_timeout}, else 10 s).
 */
class SqliteBusyWaitTest {

    @Test
    void aWriterWaitsForTheLockAndGetsInWhenItIsReleased() throws Exception {
        Path file = Databases.scratch().resolve("busy-wait.db");
        String url = "jdbc:sqlite:" + file;
        try (Cache cache = Caches.open(CacheConfig.builder(url).name("busy").option("create_table", "true").build());
                Connection holder = DriverManager.getConnection(url)) {
            cache.set("warm", "up");
            AtomicReference<Thread> writer = new AtomicReference<>();
            CompletableFuture<Boolean> set;
            try (Statement s = holder.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // the write lock, until the commit
                set = CompletableFuture.supplyAsync(() -> {
                    writer.set(Thread.currentThread());
                    return cache.set("k", "v");
                });
                // wait (bounded) until the write is in the busy handler, waiting for the lock
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!inBusyHandler(writer.get()) && System.nanoTime() < deadline && !set.isDone()) {
                    Thread.onSpinWait();
                }
                assertThat(set).as("still waiting for the lock, not failed").isNotDone();
                assertThat(inBusyHandler(writer.get())).isTrue();
                s.execute("COMMIT");
            }
            assertThat(set.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cache.get("k")).isEqualTo("v");
        }
    }

    @Test
    void aWriterGivesUpAfterTheUrlsBusyTimeout() throws Exception {
        Path file = Databases.scratch().resolve("busy-timeout.db");
        String url = "jdbc:sqlite:" + file + "?busy_timeout=300";
        try (Cache cache = Caches.open(CacheConfig.builder(url).name("busy").option("create_table", "true").build());
                Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = holder.createStatement()) {
            cache.set("warm", "up");
            s.execute("BEGIN IMMEDIATE");
            try {
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> cache.set("k", "v")).hasMessageContaining("locked");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("waited the timeout out")
                        .isGreaterThanOrEqualTo(300);
            } finally {
                s.execute("ROLLBACK");
            }
            assertThat(cache.set("k", "v")).as("the lock released: writes go through again").isTrue();
        }
    }

    private static boolean inBusyHandler(Thread t) {
        return t != null && Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(SqliteConnections.ShortWaits.class.getName()));
    }

    @Test
    void waitsStartShortAndStayShort() {
        assertThat(SqliteConnections.ShortWaits.waitNanos(0)).isEqualTo(50_000);
        assertThat(SqliteConnections.ShortWaits.waitNanos(1)).isEqualTo(100_000);
        assertThat(SqliteConnections.ShortWaits.waitNanos(4)).isEqualTo(800_000);
        assertThat(SqliteConnections.ShortWaits.waitNanos(5)).isEqualTo(1_000_000);
        assertThat(SqliteConnections.ShortWaits.waitNanos(1_000)).isEqualTo(1_000_000);
    }
}
