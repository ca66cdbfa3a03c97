package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.testkit.SecretLeaks;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A memcached that is down costs one WARN line per failure burst, without a stack trace (the
 * stack is logged at DEBUG): not Netty's whole trace per call, as a CLI call once printed 64 lines.
 */
class QuietFailureLogTest {
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDownServerLogsOneWarnLinePerBurstAndNoStackTrace() throws Exception {
        String location = "memcached://127.0.0.1:" + closedPort();
        for (String policy : List.of("degrade", "raise")) {
            SecretLeaks.Outcome o = SecretLeaks.capture(() -> {
                try (Cache c = Caches.open(CacheConfig.builder(location).option("on_error", policy).build())) {
                    for (int i = 0; i < 20; i++) {
                        try {
                            assertThat(c.get("k" + i)).isNull();
                            c.set("k" + i, "v");
                        } catch (CacheException e) {
                            assertThat(policy).isEqualTo("raise");
                        }
                    }
                }
            });
            assertThat(o.thrown()).as(policy).isNull();
            List<String> lines = o.printed().lines().toList();
            List<String> warn = lines.stream().filter(l -> l.contains(" WARN ")).toList();
            assertThat(warn).as(policy + ": " + o.printed()).hasSize(1);
            assertThat(warn.get(0)).contains("cache 'default': get failed").contains("127.0.0.1");
            assertThat(lines).as("no stack trace at WARN").noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
        }
    }
}
