package dev.cachet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.metrics.MeteredCache;
import org.junit.jupiter.api.Test;

/** The README's Micrometer example needs no server: it runs here, and does what its comment says. */
class SpringExamplesTest {
    @Test
    void theMicrometerExampleCountsItsPut() {
        try (MeteredCache books = SpringExamples.micrometerWithoutSpring()) {
            assertThat(books.get("isbn:1")).isEqualTo("Dune");
            assertThat(SpringExamples.registry.get("cache.puts").tag("cache", "books").tag("app", "shop")
                    .functionCounter().count()).isEqualTo(1);
            assertThat(SpringExamples.registry.get("cache.latency").tag("cache", "books").tag("operation", "put")
                    .functionTimer().count()).isEqualTo(1);
        }
    }
}
