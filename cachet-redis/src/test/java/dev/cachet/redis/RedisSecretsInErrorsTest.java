package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.testkit.SecretLeaks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A password in a Redis location ({@code redis://:password@host}, {@code redis://user:password@host},
 * percent-encoded or not) appears in no message, log line or exception chain, whatever the
 * failure: a refused port, a bad port, a bad host, a wrong password, an unknown ACL user, a TLS
 * handshake with a server that does not speak TLS; under both error policies.
 */
class RedisSecretsInErrorsTest {
    private static final String SECRET = "s3cret";

    @Test
    void noFailureShowsThePassword() {
        try (RedisProcess redis = RedisProcess.launch("--requirepass", "right-one")) {
            String at = redis.address();
            List<String> locations = new ArrayList<>(List.of(
                    "redis://:" + SECRET + "@127.0.0.1:41998",                 // refused
                    "redis://u:" + SECRET + "@127.0.0.1:99999",                // bad port
                    "redis://:" + SECRET + "@127.0.0.1:x" + SECRET,            // bad port holding the secret's letters
                    "redis://:" + SECRET + "@no-such-host.invalid:6379",       // bad host
                    "redis://:" + SECRET + "@" + at,                           // wrong password
                    "redis://:s3%63ret@" + at,                                 // wrong password, percent-encoded
                    "redis://" + SECRET + "@" + at + "/0",                     // the password alone
                    "redis://nobody:" + SECRET + "@" + at,                     // unknown ACL user
                    "rediss://:" + SECRET + "@" + at,                          // TLS to a plain port
                    "redis-cluster://:" + SECRET + "@127.0.0.1:41998,127.0.0.1:41997"));
            for (String location : locations) {
                for (String policy : List.of("raise", "degrade")) {
                    boolean[] writeFailed = {false};
                    SecretLeaks.Outcome o = SecretLeaks.assertNoLeak(location + " " + policy, () -> {
                        try (Cache c = Caches.open(CacheConfig.builder(location).option("on_error", policy)
                                .option("connect_timeout", "2s").option("command_timeout", "2s").build())) {
                            // a server that does not answer opens (and is retried in the background):
                            // the calls fail instead, by an exception under raise, a false under degrade
                            c.get("k");
                            writeFailed[0] = !c.set("k", "v");
                            if (!writeFailed[0]) {
                                throw new AssertionError("no failure was provoked");
                            }
                        }
                    }, SECRET, "s3%63ret");
                    if (policy.equals("raise")) {
                        assertThat(o.thrown()).as(location).isNotNull().isNotInstanceOf(AssertionError.class);
                    } else {
                        assertThat(o.thrown() == null ? writeFailed[0] : !(o.thrown() instanceof AssertionError))
                                .as(location + ": under degrade the failure shows (a refused open, or a write that"
                                        + " reports false)").isTrue();
                    }
                }
            }
        }
    }
}
