package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Namespace;
import dev.cachet.TwoLevel;
import dev.cachet.testkit.Servers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PostgreSQL backplane carries any key, a namespace's NUL characters included (NOTIFY's text cannot hold NUL). */
class PostgresBackplaneTest {
    @Test
    void payloadsEscapeNulAndBackslashAndReadBackExactly() {
        String[] texts = {"k|e1|1|0|plain", "k|e1|2|0|\0ns\0" + "4:user\0" + "17\0links", "k|e1|3|0|a\\0b\\\\c\0", ""};
        for (String t : texts) {
            String payload = PostgresBackplane.escape(t);
            assertThat(payload).doesNotContain("\0");
            assertThat(PostgresBackplane.unescape(payload)).isEqualTo(t);
        }
        assertThat(PostgresBackplane.escape("k|e1|1|0|plain")).isEqualTo("k|e1|1|0|plain");
        assertThatThrownBy(() -> PostgresBackplane.unescape("k|e1|1|0|a\\x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backslash");
    }

    @Test
    void aWriteInANamespaceReachesTheOtherInstancesLocalLevel() {
        Servers.requirePostgres();
        String table = "backplane_nul_keys";
        String url = Databases.withFreshTable(Databases.postgresUrl(), table);
        Map<String, Object> options = Map.of("table", table, "cull_probability", "0", "purge_interval", "0", "create_table", "true");
        try (Cache a = TwoLevel.over(Caches.open(CacheConfig.builder(url).name("nul").options(options).build()))
                        .backplane(Databases.postgresUrl()).build();
                Cache b = TwoLevel.over(Caches.open(CacheConfig.builder(url).name("nul").options(options).build()))
                        .backplane(Databases.postgresUrl()).build()) {
            Namespace na = a.namespace("user:1");
            Namespace nb = b.namespace("user:1");
            na.set("page", "v1");
            assertThat(nb.get("page")).isEqualTo("v1"); // now held in b's local level
            long resets = TwoLevel.stats(b).orElseThrow().resets();
            na.set("page", "v2");
            assertThat(Servers.waitUntil(() -> "v2".equals(nb.get("page")), Duration.ofSeconds(10)))
                    .as("b sees a's write to a namespaced key (its key holds NUL characters)").isTrue();
            // by the message itself: a message that could not be sent would have shown b a gap, and b a reset
            assertThat(TwoLevel.stats(b).orElseThrow().resets()).isEqualTo(resets);
        }
    }
}
