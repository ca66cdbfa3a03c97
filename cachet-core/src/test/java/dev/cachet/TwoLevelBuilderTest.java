package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwoLevelBuilderTest {
    @Test
    void aBackplaneIsRequiredAndBadLocationsAndOptionsAreNamed() {
        try (Cache shared = Caches.open("memory:")) {
            assertThatThrownBy(() -> TwoLevel.over(shared).build()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a backplane");
            assertThatThrownBy(() -> TwoLevel.over(shared).backplane("carrier-pigeon://x").build())
                    .hasMessageContaining("unknown backplane scheme 'carrier-pigeon:'").hasMessageContaining("memory");
            assertThatThrownBy(() -> TwoLevel.over(shared).backplane("memory:?chanel=x").build())
                    .hasMessageContaining("unknown backplane option [chanel]").hasMessageContaining("channel");
            assertThatThrownBy(() -> TwoLevel.over(shared).backplane("redis://:hunter2@h/0?x=1").build())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
            assertThatThrownBy(() -> TwoLevel.over(shared).stalenessBound(Duration.ofMillis(1)))
                    .hasMessageContaining("at least 4 ms");
            assertThatThrownBy(() -> TwoLevel.over(shared).localTimeout(Duration.ZERO)).hasMessageContaining("positive");
            assertThatThrownBy(() -> TwoLevel.over(shared).localMaxEntries(0)).hasMessageContaining("positive");
        }
    }

    @Test
    void twoInstancesOnOneChannelSeeEachOthersWritesAtOnce() {
        Cache shared = Caches.open("memory:");
        try (Cache a = TwoLevel.over(shared).backplane("memory:?channel=builder-test").build();
             Cache b = TwoLevel.over(shared).backplane("memory:").channel("builder-test").build()) {
            a.set("k", 1);
            assertThat(b.get("k")).isEqualTo(1L);
            a.set("k", 2);
            assertThat(b.get("k")).isEqualTo(2L);
            Namespace ns = b.namespace("n");
            ns.set("x", "v");
            assertThat(a.namespace("n").get("x")).isEqualTo("v");
            a.namespace("n").invalidate();
            assertThat(ns.get("x")).as("the generation's write was announced").isNull();
        }
    }
}
