package dev.cachet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Runs the README's plain JCache example on local memory and checks what its comments promise. */
class JCacheExamplesTest {
    @Test
    void thePlainJCacheExampleRunsAndLeavesElevenApples() {
        assertThat(JCacheExamples.plainJCache()).isEqualTo(11);
    }
}
