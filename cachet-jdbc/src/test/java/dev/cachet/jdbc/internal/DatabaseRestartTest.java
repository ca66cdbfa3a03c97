package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real PostgreSQL and MariaDB servers stopped under a running cache, then started again:
 * while they are down every operation fails fast, per the cache's error policy; once they are
 * back the cache works again by itself (the pool replaces its dead connections). Each test
 * always starts its server again, in a {@code finally}, and waits until it accepts connections.
 *
 * <p>Tagged {@code restart} and ordered last (see {@code junit-platform.properties}): it
 * disturbs every client of the shared servers, so it runs after everything else, and
 * {@code -DexcludedGroups=restart} leaves it out. It needs root (to run {@code pg_ctlcluster},
 * {@code mariadb-admin shutdown} and {@code start-stop-daemon}); without them it is skipped.
 */
@Tag("restart")
@Order(Integer.MAX_VALUE)
class DatabaseRestartTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void postgresRestartedMidRun() throws Exception {
        String url = Databases.postgresUrl();
        Path pgctl = Path.of("/usr/bin/pg_ctlcluster");
        String version = postgresVersion();
        assumeTrue(Files.isExecutable(pgctl) && version != null && isRoot(),
                "needs root and pg_ctlcluster with a cluster under /etc/postgresql to restart PostgreSQL");
        List<String> stop = List.of(pgctl.toString(), "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast");
        List<String> start = List.of(pgctl.toString(), "--skip-systemctl-redirect", version, "main", "start");
        // pg_ctlcluster stop returns once the server has exited
        restartMidRun(Dialect.POSTGRESQL, url, 5432, stop, start, () -> true);
    }

    @Test
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mariaDbRestartedMidRun() throws Exception {
        String url = Databases.mariaDbUrl();
        Path admin = Path.of("/usr/bin/mariadb-admin");
        Path daemon = Path.of("/usr/sbin/mariadbd");
        Path ssd = Path.of("/usr/sbin/start-stop-daemon");
        assumeTrue(Files.isExecutable(admin) && Files.isExecutable(daemon) && Files.isExecutable(ssd) && isRoot(),
                "needs root, mariadb-admin, mariadbd and start-stop-daemon to restart MariaDB");
        List<String> stop = List.of(admin.toString(), "-h", "127.0.0.1", "-uroot", "shutdown");
        List<String> start = List.of(ssd.toString(), "--start", "--oknodo", "--background", "--exec", daemon.toString());
        // mariadb-admin shutdown returns while mariadbd still flushes and the port is already closed; started
        // again before it exits, start-stop-daemon --oknodo finds it running and starts nothing
        restartMidRun(Dialect.MARIADB, url, 3306, stop, start, () -> !running(daemon));
    }

    private void restartMidRun(Dialect dialect, String url, int port, List<String> stop, List<String> start,
            Condition exited) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "restart")) {
            Cache raising = f.cache(o -> o.name("raising").option("connect_timeout", 2));
            Cache degrading = f.cache(o -> o.name("degrading").option("connect_timeout", 2).option("on_error", "degrade"));
            raising.set("before", "kept");
            raising.set("n", 10);
            for (int i = 0; i < 20; i++) {
                assertThat(raising.get("before")).isEqualTo("kept"); // every pooled connection in use at least once
            }
            try {
                run(stop);
                waitFor(() -> !Servers.isListening(Servers.HOST, port, Duration.ofMillis(200)), Duration.ofSeconds(60),
                        dialect.displayName() + " to stop listening");
                // a port that does not answer within 200 ms is not yet a server that is gone (a busy server
                // shutting down can be slow to accept and still answer a pooled connection; once, in a CI run,
                // a get succeeded after the port check): down means its process has exited
                waitFor(exited, START_TIMEOUT, dialect.displayName() + "'s server process to exit");

                // down: raise fails fast with the operation and the database named; degrade reports misses and failures
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    assertThatThrownBy(() -> raising.get("before")).isInstanceOf(CacheException.class)
                            .hasMessageContaining("get").hasCauseInstanceOf(StoreException.class)
                            .cause().hasMessageContaining(dialect.displayName());
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("a down database fails fast")
                            .isLessThan(Duration.ofSeconds(10));
                }
                assertThatThrownBy(() -> raising.set("during", "x")).isInstanceOf(CacheException.class)
                        .hasMessageContaining("set");
                assertThatThrownBy(() -> raising.incr("n")).isInstanceOf(CacheException.class);
                assertThat(degrading.get("before")).isNull();
                assertThat(degrading.set("during", "x")).isFalse();
                assertThat(degrading.add("during", "x")).isFalse();
            } finally {
                waitFor(exited, START_TIMEOUT, dialect.displayName() + "'s server process to exit");
                run(start);
                waitFor(() -> accepts(url), START_TIMEOUT, dialect.displayName() + " to accept connections again");
            }

            // back: the same cache objects work again by themselves
            waitFor(() -> {
                try {
                    return "kept".equals(raising.get("before"));
                } catch (CacheException e) {
                    return false;
                }
            }, Duration.ofSeconds(30), "the cache to read again after the restart");
            for (int i = 0; i < 50; i++) {
                assertThat(raising.get("before")).isEqualTo("kept");
                assertThat(raising.set("after-" + i, i)).isTrue();
                assertThat(degrading.get("after-" + i)).isEqualTo((long) i);
            }
            assertThat(raising.incr("n")).isEqualTo(11);
            assertThat(degrading.add("during", "y")).isTrue();
        }
    }

    private static boolean accepts(String url) {
        try (Connection c = DriverManager.getConnection(url)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static String postgresVersion() {
        Path etc = Path.of("/etc/postgresql");
        if (!Files.isDirectory(etc)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(etc)) {
            return versions.filter(p -> Files.isDirectory(p.resolve("main"))).map(p -> p.getFileName().toString())
                    .sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether a process of that executable runs (as start-stop-daemon --exec finds one). */
    private static boolean running(Path executable) {
        String exe = executable.toString();
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().command().map(exe::equals).orElse(false));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        File log = File.createTempFile("cachet-restart", ".log");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(log).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 90 s");
            }
            String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("%s exit code; output: %s", command, out).isZero();
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
