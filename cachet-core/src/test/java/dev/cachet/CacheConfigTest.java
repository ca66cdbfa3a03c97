package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheConfigTest {

    @Test
    void parsesSchemeTargetAndQueryOptions() {
        CacheConfig c = CacheConfig.of("file:/tmp/x?MAX-ENTRIES=10&timeout=1.5");
        assertThat(c.scheme()).isEqualTo("file");
        assertThat(c.target()).isEqualTo("/tmp/x");
        assertThat(c.maxEntries()).isEqualTo(10);
        assertThat(c.timeout()).isEqualTo(Timeout.of(Duration.ofMillis(1500)));
    }

    @Test
    void timeoutForms() {
        assertThat(CacheConfig.builder("memory:").build().timeout()).isEqualTo(Timeout.ofSeconds(300));
        assertThat(CacheConfig.builder("memory:").option("timeout", "none").build().timeout()).isEqualTo(Timeout.FOREVER);
        assertThat(CacheConfig.builder("memory:").option("timeout", "500ms").build().timeout()).isEqualTo(Timeout.ofMillis(500));
        assertThat(CacheConfig.builder("memory:").option("timeout", "5m").build().timeout()).isEqualTo(Timeout.ofSeconds(300));
        assertThat(CacheConfig.builder("memory:").option("timeout", "2h").build().timeout()).isEqualTo(Timeout.ofSeconds(7200));
        assertThat(CacheConfig.builder("memory:").option("timeout", "0").build().timeout()).isEqualTo(Timeout.ofSeconds(0));
        assertThatThrownBy(() -> CacheConfig.builder("memory:").option("timeout", "ten").build().timeout())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout='ten'");
    }

    @Test
    void sizes() {
        assertThat(CacheConfig.builder("memory:").option("max_bytes", "64k").build().bytesOption("max_bytes", 0)).isEqualTo(65536);
        assertThat(CacheConfig.builder("memory:").option("max_bytes", "1m").build().bytesOption("max_bytes", 0)).isEqualTo(1 << 20);
        assertThatThrownBy(() -> CacheConfig.builder("memory:").option("max_bytes", "lots").build().bytesOption("max_bytes", 0))
                .hasMessageContaining("max_bytes='lots'");
    }

    @Test
    void badLocationsAndOptionsFailWhenOpenedNamingThem() {
        assertThatThrownBy(() -> Caches.open("nowhere")).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> Caches.open("mongo://x")).hasMessageContaining("unknown location scheme 'mongo:'");
        assertThatThrownBy(() -> Caches.open("memory:?max_entires=3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option [max_entires]")
                .hasMessageContaining("max_entries");
        assertThatThrownBy(() -> Caches.open("memory:?max_entries=-1")).hasMessageContaining("max_entries='-1'");
        assertThatThrownBy(() -> Caches.open("memory:?on_error=ignore")).hasMessageContaining("on_error='ignore'");
        assertThatThrownBy(() -> Caches.open("memory:?key_prefix=a%20b")).hasMessageContaining("key_prefix");
        assertThatThrownBy(() -> Caches.open("memory:?max_bytes=1m")).hasMessageContaining("store_by_value");
        assertThatThrownBy(() -> Caches.open("memory:?codec=nope&store_by_value=true")).hasMessageContaining("unknown codec 'nope'");
        assertThatThrownBy(() -> Caches.open("memory:?codec_allow=com.x.*y")).hasMessageContaining("codec_allow");
        assertThatThrownBy(() -> Caches.open("file:")).hasMessageContaining("needs a directory");
        assertThatThrownBy(() -> Caches.open("memory:?key_function=java.lang.String"))
                .hasMessageContaining("does not implement dev.cachet.KeyFunction");
        assertThatThrownBy(() -> Caches.open(CacheConfig.builder("memory:?timeout=1").option("timeout", "2").build()))
                .hasMessageContaining("given twice");
    }

    @Test
    void registryFromPropertiesOpensEveryCacheAndNamesUnknownAliases(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("caches.properties");
        Files.writeString(file, String.join("\n",
                "cachet.default.location = memory:",
                "cachet.default.MAX_ENTRIES = 50",
                "cachet.other.location = memory:?store_by_value=true",
                "cachet.other.key_prefix = o",
                "spring.unrelated = ignored"));
        try (Caches caches = Caches.load(file)) {
            assertThat(caches.names()).containsExactlyInAnyOrder("default", "other");
            caches.defaultCache().set("k", "v");
            assertThat(caches.get("other").get("k")).isNull();
            assertThat(caches.defaultCache().get("k")).isEqualTo("v");
            assertThatThrownBy(() -> caches.get("sessions")).hasMessageContaining("no cache named 'sessions'")
                    .hasMessageContaining("default");
        }
        Properties p = new Properties();
        p.setProperty("cachet.x.timeout", "5");
        assertThatThrownBy(() -> Caches.fromProperties(p)).hasMessageContaining("cachet.x.location");
        assertThatThrownBy(() -> Caches.builder().cache("a", "memory:").cache("a", "dummy:"))
                .hasMessageContaining("configured twice");
        assertThatThrownBy(() -> Caches.builder().cache("a", "memory:", Map.of("timeout", "x")).build())
                .hasMessageContaining("cache 'a'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://:hunter2@h:6379/0 | redis://***@h:6379/0",
        "redis://user:pa/ss@h/0?timeout=5 | redis://***@h/0?timeout=5",
        "redis://user:p@ss@h/0 | redis://***@h/0",
        "jdbc:postgresql://db/app?user=u&password=hunter2&ssl=true | jdbc:postgresql://db/app?user=u&password=***&ssl=true",
        "jdbc:mariadb://u:hunter2@db/app | jdbc:mariadb://***@db/app",
        "memory:?max_entries=5 | memory:?max_entries=5",
        "file:/var/tmp/c | file:/var/tmp/c",
    })
    void redactMasksPasswordsAndKeepsTheRest(String location, String shown) {
        assertThat(CacheConfig.redact(location)).isEqualTo(shown);
    }

    @Test
    void messagesAndToStringNeverShowAPassword() {
        assertThat(CacheConfig.of("redis://:hunter2@h:6379/0").toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> CacheConfig.of("redis://:hun?ter2@h:6379/0"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("hun").doesNotContain("ter2");
        assertThatThrownBy(() -> Caches.open("redsi://:hunter2@h:6379/0"))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("hunter2");
    }
}
