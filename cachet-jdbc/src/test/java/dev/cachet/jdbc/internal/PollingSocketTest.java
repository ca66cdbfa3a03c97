package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.ReplyWait;
import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PostgreSQL and MariaDB connections over {@link PollingSocketFactory}'s sockets, against the
 * real servers: a cache's pool uses them unless {@code spin_wait=false} or the URL names a
 * factory of its own, every reply arrives whole (large ones in many reads), the round trips of
 * the cache's reads by key are recorded per server, and the driver's socket timeout still ends
 * a read that polled first and then waits too long.
 * Each test reaches its server through a {@link TcpForwarder} on a port of its own, so that the
 * round trips recorded for that address are this test's alone.
 */
class PollingSocketTest {

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void aCachesConnectionsPollForTheirReplies(Dialect dialect) throws Exception {
        Servers.Server server = server(dialect);
        String table = "cachet_polling_" + dialect.name().toLowerCase(Locale.ROOT);
        try (TcpForwarder forwarder = new TcpForwarder(Servers.freePort(), server.host(), server.port())) {
            forwarder.enable();
            String url = Databases.url(dialect, "unused").replace(server.address(), "127.0.0.1:" + forwarder.port());
            try (Cache cache = Caches.open(CacheConfig.builder(url).name("polling").option("table", table)
                    .option("create_table", "true").build())) {
                for (int i = 0; i < 50; i++) {
                    assertThat(cache.set("k" + i, "v" + i)).isTrue();
                    assertThat(cache.get("k" + i)).isEqualTo("v" + i);
                }
                byte[] large = new byte[700_000];
                new Random(7).nextBytes(large);
                assertThat(cache.set("large", large)).isTrue();
                assertThat((byte[]) cache.get("large")).as("a reply in many reads").isEqualTo(large);
                cache.clear();
            }
            ReplyWait wait = PollingSocketFactory.waitOf("127.0.0.1:" + forwarder.port());
            assertThat(wait).as("round trips recorded for the cache's server").isNotNull();
            assertThat(wait.averageNanos()).as("the average round trip").isPositive();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void spinWaitFalseOrAFactoryOfTheUrlsOwnLeavesTheDriversSockets(Dialect dialect) throws Exception {
        String url = Databases.url(dialect, "unused");
        assertThat(socketFactory(url, dialect, "true")).isEqualTo(PollingSocketFactory.class.getName());
        assertThat(socketFactory(url, dialect, "false")).isNull();
        assertThat(socketFactory(url + "&socketFactory=" + PlainSockets.class.getName(), dialect, "true"))
                .as("the URL's own factory, which the driver reads from the URL").isNull();
    }

    @Test
    void onlyDriversThatTakeAJavaxSocketFactoryGetOne() {
        assertThat(ConnectionPools.takesPollingSockets("jdbc:postgresql://127.0.0.1:5432/test?user=u")).isTrue();
        assertThat(ConnectionPools.takesPollingSockets("JDBC:MariaDB://127.0.0.1:3306/test")).isTrue();
        assertThat(ConnectionPools.takesPollingSockets("jdbc:mysql://127.0.0.1:3306/test"))
                .as("MySQL Connector/J's socketFactory is an interface of its own").isFalse();
        assertThat(ConnectionPools.takesPollingSockets("jdbc:postgresql://h/db?SocketFactory=x.Y")).isFalse();
    }

    @Test
    void spinWaitIsRefusedWhereThereIsNoSocket() {
        for (Dialect dialect : new Dialect[] {Dialect.SQLITE, Dialect.H2}) {
            CacheConfig config = CacheConfig.builder(Databases.url(dialect, "spin")).name("nosocket")
                    .option("spin_wait", "false").build();
            assertThatThrownBy(() -> JdbcSettings.of(config).checkDialect(config, dialect))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'nosocket'").hasMessageContaining("spin_wait")
                    .hasMessageContaining(dialect.displayName());
        }
    }

    @Test
    void theSocketTimeoutStillEndsAReadThatWaitsTooLong() throws Exception {
        String url = Databases.postgresUrl() + "&socketTimeout=1&socketFactory=" + PollingSocketFactory.class.getName();
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            long t0 = System.nanoTime();
            PollingSocketFactory.expectQuickReplies(true); // the read polls first, then blocks
            try {
                assertThatThrownBy(() -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT pg_sleep(5)");
                    }
                }).isInstanceOf(SQLException.class).hasRootCauseInstanceOf(SocketTimeoutException.class);
            } finally {
                PollingSocketFactory.expectQuickReplies(false);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("given up after the 1 s socket timeout")
                    .isBetween(Duration.ofMillis(900), Duration.ofMillis(4500));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB"})
    void repliesOfEverySizeArriveWhole(Dialect dialect) throws Exception {
        String url = Databases.url(dialect, "unused") + "&socketFactory=" + PollingSocketFactory.class.getName();
        PollingSocketFactory.expectQuickReplies(true); // every first read after a request polls
        try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                dialect == Dialect.POSTGRESQL ? "SELECT ?::bytea" : "SELECT CAST(? AS BINARY)")) {
            Random random = new Random(11);
            for (int size : new int[] {0, 1, 100, 8_191, 8_192, 65_537, 1_000_000, 4_000_000}) {
                byte[] value = new byte[size];
                random.nextBytes(value);
                ps.setBytes(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    byte[] back = rs.getBytes(1);
                    assertThat(Arrays.equals(back, value)).as("%d bytes back", size).isTrue();
                }
            }
        } finally {
            PollingSocketFactory.expectQuickReplies(false);
        }
    }

    /** A factory of the URL's own: the JDK's plain sockets. */
    public static final class PlainSockets extends SocketFactory {
        private final SocketFactory plain = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return plain.createSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return plain.createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return plain.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return plain.createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return plain.createSocket(address, port, localAddress, localPort);
        }
    }

    private static String socketFactory(String url, Dialect dialect, String spinWait) {
        CacheConfig config = CacheConfig.builder(url).name("factory").option("spin_wait", spinWait).build();
        try (HikariDataSource pool = ConnectionPools.create("factory", url, dialect, JdbcSettings.of(config))) {
            return pool.getDataSourceProperties().getProperty("socketFactory");
        }
    }

    private static Servers.Server server(Dialect dialect) {
        return dialect == Dialect.POSTGRESQL ? Servers.requirePostgres() : Servers.requireMariaDb();
    }
}
