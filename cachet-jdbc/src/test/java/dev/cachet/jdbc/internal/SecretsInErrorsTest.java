package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.testkit.SecretLeaks;
import dev.cachet.testkit.Servers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A password written anywhere in a jdbc: location (user information, a password parameter,
 * percent-encoded or not) appears in no message, log line or exception chain, whatever the
 * failure: a refused port, a bad port, a bad host, a wrong password, a TLS failure; and opened
 * through every way a location is given (a string, a builder with options, a properties file).
 */
class SecretsInErrorsTest {
    private static final String SECRET = "s3cret";
    /** The secret percent-encoded ('c' as %63) and decoded: neither form may show. */
    private static final String ENCODED = "s3%63ret";

    @TempDir
    Path dir;

    static Stream<String> failingLocations() {
        Servers.Server maria = Servers.requireMariaDb();
        Servers.Server pg = Servers.requirePostgres();
        String mHost = maria.address();
        String pHost = pg.address();
        return Stream.of(
                // refused port
                "jdbc:mariadb://root:" + SECRET + "@127.0.0.1:41999/test",
                "jdbc:mariadb://127.0.0.1:41999/test?user=root&password=" + SECRET,
                "jdbc:postgresql://" + pg.user() + ":" + SECRET + "@127.0.0.1:41999/" + pg.database(),
                "jdbc:postgresql://127.0.0.1:41999/" + pg.database() + "?user=" + pg.user() + "&password=" + SECRET,
                // bad port
                "jdbc:mariadb://root:" + SECRET + "@127.0.0.1:99999/test",
                "jdbc:postgresql://127.0.0.1:99999/test?password=" + SECRET,
                // bad host
                "jdbc:mariadb://root:" + SECRET + "@no-such-host.invalid:3306/test",
                "jdbc:postgresql://x:" + SECRET + "@no-such-host.invalid/test",
                // wrong password (MariaDB's root has none; PostgreSQL trusts, so an unknown role instead)
                "jdbc:mariadb://root:" + SECRET + "@" + mHost + "/" + maria.database(),
                "jdbc:mariadb://root:" + ENCODED + "@" + mHost + "/" + maria.database(),
                "jdbc:mariadb://" + mHost + "/" + maria.database() + "?user=root&password=" + SECRET,
                "jdbc:mariadb://" + mHost + "/" + maria.database() + "?password=" + SECRET + "&user=root",
                "jdbc:postgresql://nobody:" + SECRET + "@" + pHost + "/" + pg.database(),
                "jdbc:postgresql://" + pHost + "/" + pg.database() + "?user=nobody&password=" + ENCODED,
                // TLS required by the client, not offered by the server
                "jdbc:postgresql://" + pHost + "/" + pg.database() + "?sslmode=require&user=nobody&password=" + SECRET,
                "jdbc:mariadb://root:" + SECRET + "@" + mHost + "/" + maria.database() + "?sslMode=verify-full");
    }

    @ParameterizedTest
    @MethodSource("failingLocations")
    void aFailedOpenShowsNoPassword(String location) {
        for (String policy : List.of("raise", "degrade")) {
            boolean[] writeFailed = {false};
            SecretLeaks.Outcome o = SecretLeaks.assertNoLeak(location, () -> {
                CacheConfig config = CacheConfig.builder(location).option("connect_timeout", "2s").option("on_error", policy)
                        .option("create_table", "true").build();
                try (Cache c = Caches.open(config)) {
                    // opened (a server that does not answer opens, and is retried in the background):
                    // the calls fail instead, by an exception under raise, a false under degrade
                    c.get("k");
                    writeFailed[0] = !c.set("k", "v");
                    if (!writeFailed[0]) {
                        throw new AssertionError("no failure was provoked");
                    }
                }
            }, SECRET, "s3cret@", ENCODED);
            if (policy.equals("raise")) {
                assertThat(o.thrown()).as(location).isNotNull().isNotInstanceOf(AssertionError.class);
            } else {
                assertThat(o.thrown() == null ? writeFailed[0] : !(o.thrown() instanceof AssertionError))
                        .as(location + ": under degrade the failure shows (a refused open, or a write that reports false)")
                        .isTrue();
            }
            assertThat(o.everything()).as("the location is named, redacted").doesNotContain(SECRET);
        }
    }

    @ParameterizedTest
    @MethodSource("failingLocations")
    void createCacheTableShowsNoPassword(String location) {
        SecretLeaks.Outcome o = SecretLeaks.assertNoLeak(location,
                () -> CacheTable.create(CacheConfig.builder(location).option("connect_timeout", "2s").build()), SECRET, ENCODED);
        assertThat(o.thrown()).as(location).isNotNull();
    }

    @Test
    void aPropertiesFileWithAPasswordShowsNone() throws Exception {
        Servers.Server maria = Servers.requireMariaDb();
        Path file = dir.resolve("cachet.properties");
        Files.writeString(file, String.join("\n",
                "cachet.default.location=jdbc:mariadb://root:" + SECRET + "@" + maria.address() + "/" + maria.database(),
                "cachet.default.connect_timeout=2s",
                "cachet.other.location=jdbc:mariadb://" + maria.address() + "/" + maria.database() + "?user=root&password="
                        + SECRET,
                ""));
        SecretLeaks.Outcome o = SecretLeaks.assertNoLeak("properties file", () -> Caches.load(file).close(), SECRET);
        assertThat(o.thrown()).isNotNull();
    }

    @Test
    void anUnknownOptionNamedPasswordDoesNotEchoItsValue() {
        SecretLeaks.Outcome o = SecretLeaks.assertNoLeak("password option", () -> Caches.open(
                CacheConfig.builder("jdbc:sqlite:" + dir.resolve("c.db")).option("password", SECRET).build()).close(), SECRET);
        assertThat(o.thrown()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void credentialsInTheUrlAreGivenToTheDriverAsProperties() {
        JdbcCredentials c = JdbcCredentials.of("jdbc:mariadb://root:p%40ss/w@db:3306/test?a=1&password=x&b=2",
                Dialect.MARIADB);
        assertThat(c.url()).isEqualTo("jdbc:mariadb://db:3306/test?a=1&b=2");
        assertThat(c.user()).isEqualTo("root");
        assertThat(c.password()).as("the query's password, written later, wins").isEqualTo("x");
        JdbcCredentials pg = JdbcCredentials.of("jdbc:postgresql://h/db?password=a%26b&user=u", Dialect.POSTGRESQL);
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://h/db?user=u");
        assertThat(pg.password()).isEqualTo("a&b");
        JdbcCredentials h2 = JdbcCredentials.of("jdbc:h2:/tmp/x;USER=sa;PASSWORD=pw;MODE=x", Dialect.H2);
        assertThat(h2.url()).isEqualTo("jdbc:h2:/tmp/x;USER=sa;MODE=x");
        assertThat(h2.password()).isEqualTo("pw");
        assertThat(JdbcCredentials.of("jdbc:sqlite:/tmp/c.db", Dialect.SQLITE).url()).isEqualTo("jdbc:sqlite:/tmp/c.db");
    }

    @Test
    void theUserInformationFormConnects() throws Exception {
        Servers.Server maria = Servers.requireMariaDb();
        String location = "jdbc:mariadb://root:@" + maria.address() + "/" + maria.database();
        try (Cache c = Caches.open(CacheConfig.builder(location).option("table", "cachet_secrets_test")
                .option("create_table", "true").build())) {
            assertThat(c.set("k", "v")).isTrue();
            assertThat(c.get("k")).isEqualTo("v");
        }
    }
}
