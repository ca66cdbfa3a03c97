package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each backend accepts the options it uses and refuses, naming them, those it would ignore; one parser for every value. */
class OptionsPerBackendTest {
    @TempDir
    Path dir;

    @Test
    void anOptionABackendWouldIgnoreIsRefusedWithTheListOfThoseItUses() {
        assertThatThrownBy(() -> Caches.open("memory:?cull_frequency=4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option [cull_frequency] is not used by memory: caches")
                .hasMessageContaining("max_entries").hasMessageContaining("store_by_value");
        assertThatThrownBy(() -> Caches.open("memory:?compression=none"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("option compression applies to memory caches with store_by_value=true only");
        assertThatThrownBy(() -> Caches.open("memory:?max_entires=3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option [max_entires] for memory: caches; known options: [");
    }

    @Test
    void eachBuiltInBackendTakesItsOwnOptions() {
        try (Cache m = Caches.open("memory:?max_entries=5");
                Cache v = Caches.open("memory:?store_by_value=true&compression=none&max_bytes=1m");
                Cache f = Caches.open("file:" + dir + "?max_entries=30&cull_frequency=3");
                Cache d = Caches.open("dummy:?max_entries=30&cull_frequency=3&compression=none")) {
            m.set("k", 1);
            v.set("k", 2);
            f.set("k", 3);
            d.set("k", 4);
            assertThat(m.get("k")).isEqualTo(1L);
            assertThat(v.get("k")).isEqualTo(2L);
            assertThat(f.get("k")).isEqualTo(3L);
            assertThat(d.get("k")).isNull();
        }
    }

    @Test
    void durationsTakeEveryUnitEverywhere() {
        CacheConfig c = CacheConfig.builder("memory:").option("timeout", "1d").option("a", "250ms").option("b", "1.5")
                .option("c", "2h").option("z", "0").build();
        assertThat(c.timeout().duration()).isEqualTo(Duration.ofDays(1));
        assertThat(c.durationOption("a", Duration.ZERO, false)).isEqualTo(Duration.ofMillis(250));
        assertThat(c.durationOption("b", Duration.ZERO, false)).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.durationOption("c", Duration.ZERO, false)).isEqualTo(Duration.ofHours(2));
        assertThat(c.durationOption("missing", Duration.ofSeconds(7), false)).isEqualTo(Duration.ofSeconds(7));
        assertThat(c.durationOption("z", Duration.ofSeconds(7), true)).isZero();
        assertThatThrownBy(() -> c.durationOption("z", Duration.ofSeconds(7), false))
                .hasMessage("cache 'default': option z='0' must be positive; must be seconds (e.g. 300, 0.5) or a duration"
                        + " with a unit (500ms, 10s, 5m, 2h, 1d)");
        CacheConfig bad = CacheConfig.builder("memory:").option("w", "ten").option("p", "1.5").option("e", "loud").build();
        assertThatThrownBy(() -> bad.durationOption("w", Duration.ZERO, true)).hasMessageContaining("option w='ten' must be seconds");
        assertThatThrownBy(() -> bad.doubleOption("p", 0, 0, 1)).hasMessage("cache 'default': option p='1.5' must be a number from 0 to 1");
        assertThatThrownBy(() -> bad.enumOption("e", ErrorPolicy.class, ErrorPolicy.RAISE))
                .hasMessage("cache 'default': option e='loud' must be one of [raise, degrade]");
        assertThat(CacheConfig.builder("memory:").option("on_error", "DEGRADE").build().onError()).isEqualTo(ErrorPolicy.DEGRADE);
    }
}
