package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SQL caches opened while their database does not answer: the location points at a
 * {@link TcpForwarder} that refuses connections, then starts relaying them to the real
 * PostgreSQL or MariaDB server. Opening succeeds whatever the error policy; until the database
 * answers, reads miss and writes report failure under {@code degrade} and throw
 * {@link CacheException} under {@code raise}, at once; then the same cache objects create
 * their table and work, without reopening. Every wait polls for its condition, with a bound.
 */
class OpenWhileDownTest {
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cachesOpenedWhileTheDatabaseIsDownWorkOnceItAnswers(Dialect dialect) throws Exception {
        Servers.Server server = dialect == Dialect.POSTGRESQL ? Servers.requirePostgres() : Servers.requireMariaDb();
        String realUrl = Databases.url(dialect, "unused");
        String table = "cachet_open_down_" + dialect.name().toLowerCase(java.util.Locale.ROOT);
        Databases.drop(realUrl, table);
        try (TcpForwarder forwarder = new TcpForwarder(Servers.freePort(), server.host(), server.port())) {
            String url = realUrl.replace(server.address(), "127.0.0.1:" + forwarder.port());
            Properties p = new Properties();
            for (String name : List.of("degrading", "raising")) {
                p.setProperty("cachet." + name + ".location", url);
                p.setProperty("cachet." + name + ".table", table);
                p.setProperty("cachet." + name + ".create_table", "true");
                p.setProperty("cachet." + name + ".connect_timeout", "1s");
                p.setProperty("cachet." + name + ".on_error", name.equals("raising") ? "raise" : "degrade");
            }
            p.setProperty("cachet.local.location", "memory:");
            long t0 = System.nanoTime();
            try (Caches caches = Caches.fromProperties(p)) {
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("opening two caches on a refused port")
                        .isLessThan(Duration.ofSeconds(10));
                Cache degrading = caches.get("degrading");
                Cache raising = caches.get("raising");
                assertThat(caches.get("local").set("k", "v")).isTrue();

                long t1 = System.nanoTime();
                assertThat(degrading.get("k")).isNull();
                assertThat(degrading.hasKey("k")).isFalse();
                assertThat(degrading.set("k", "v")).isFalse();
                assertThat(degrading.add("k", "v")).isFalse();
                assertThat(degrading.delete("k")).isFalse();
                assertThat(degrading.getMany(List.of("a", "b"))).isEmpty();
                assertThat(degrading.setMany(Map.of("a", 1, "b", 2))).containsExactlyInAnyOrder("a", "b");
                assertThatThrownBy(() -> degrading.incr("n")).isInstanceOf(CacheException.class);
                assertThatThrownBy(() -> raising.get("k")).isInstanceOf(CacheException.class)
                        .hasMessageContaining("get").hasMessageContaining("cannot connect")
                        .hasMessageContaining("127.0.0.1:" + forwarder.port()).hasCauseInstanceOf(StoreException.class);
                assertThatThrownBy(() -> raising.set("k", "v")).isInstanceOf(CacheException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("no operation waits for the database")
                        .isLessThan(Duration.ofSeconds(2));
                assertThat(tableExists(realUrl, table)).as("nothing was created while the database was away").isFalse();

                forwarder.enable();

                assertThat(Servers.waitUntil(() -> works(degrading), RECOVERY))
                        .as("the degrading cache works once the database answers, without reopening").isTrue();
                assertThat(Servers.waitUntil(() -> works(raising), RECOVERY))
                        .as("the raising cache works once the database answers, without reopening").isTrue();
                assertThat(tableExists(realUrl, table)).as("create_table ran at the first connection").isTrue();
                assertThat(raising.set("shared", "through the forwarder")).isTrue();
                assertThat(degrading.get("shared")).isEqualTo("through the forwarder");
                assertThat(degrading.add("shared", "x")).isFalse();
                degrading.set("n", 41);
                assertThat(raising.incr("n")).isEqualTo(42);
                assertThat(degrading.setMany(Map.of("a", 1, "b", 2))).isEmpty();
                assertThat(raising.getMany(List.of("a", "b"))).isEqualTo(Map.of("a", 1L, "b", 2L));
            }
            try (Cache direct = Caches.open(CacheConfig.builder(realUrl).name("direct").option("table", table).build())) {
                assertThat(direct.get("shared")).as("the rows are in the real database").isEqualTo("through the forwarder");
            }
        } finally {
            Databases.drop(realUrl, table);
        }
    }

    @Test
    void anUnreachableDatabaseOpensAndItsFailuresNeverShowThePassword() {
        int port = Servers.freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/db?user=u&password=s3cret";
        long start = System.nanoTime();
        try (Cache cache = Caches.open(CacheConfig.builder(url).option("connect_timeout", 1).build())) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class)
                    .hasMessageContaining("cannot connect").hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("password=***").satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret");
                        }
                    });
        }
    }

    private static boolean tableExists(String url, String table) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            return CacheTable.exists(c, table);
        }
    }

    private static boolean works(Cache cache) {
        try {
            return cache.set("probe", "p") && "p".equals(cache.get("probe"));
        } catch (CacheException e) {
            return false;
        }
    }
}
