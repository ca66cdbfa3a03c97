package dev.cachet.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A cachet option written into the JDBC URL (where it would go to the driver and be silently
 * ignored) is refused at open, naming the option and where it belongs; the driver's own
 * parameters and cachet options given beside the location still work.
 */
class CachetOptionsInUrlTest {
    @Test
    void aCachetOptionInTheUrlIsRefusedSayingWhereItGoes() {
        Path file = Databases.scratch().resolve("options-in-url.db");
        for (String url : new String[] {"jdbc:sqlite:" + file + "?create_table=true",
                "jdbc:sqlite:" + file + "?busy_timeout=100&Max_Entries=10",
                "jdbc:h2:" + Databases.scratch().resolve("options-h2") + ";TABLE=x"}) {
            assertThatThrownBy(() -> Caches.open(CacheConfig.builder(url).name("u").build()))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cache 'u': option ")
                    .hasMessageContaining("is written in the JDBC URL, whose parameters belong to the driver")
                    .hasMessageContaining("-o ");
        }
    }

    @Test
    void driverParametersAndOptionsBesideTheLocationStillWork() {
        Path file = Databases.scratch().resolve("options-beside.db");
        String url = "jdbc:sqlite:" + file + "?busy_timeout=1234";
        try (Cache c = Caches.open(CacheConfig.builder(url).name("b").option("create_table", "true").build())) {
            assertThat(c.set("k", "v")).isTrue();
            assertThat(c.get("k")).isEqualTo("v");
        }
    }
}
