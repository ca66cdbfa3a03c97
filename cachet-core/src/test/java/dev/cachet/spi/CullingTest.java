package dev.cachet.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Culling.toRemove against Django's counts, and the bound it keeps where Django's share falls short. */
class CullingTest {
    @Test
    void belowTheLimitNothingGoes() {
        assertThat(Culling.toRemove(0, 1, 3)).isZero();
        assertThat(Culling.toRemove(29, 30, 3)).isZero();
        assertThat(Culling.toRemove(29, 30, 0)).isZero();
    }

    @Test
    void atTheLimitDjangosShareGoes() {
        // Django's file cache: num_entries // cull_frequency once num_entries >= max_entries
        assertThat(Culling.toRemove(30, 30, 3)).isEqualTo(10);
        assertThat(Culling.toRemove(300, 300, 3)).isEqualTo(100);
        assertThat(Culling.toRemove(31, 30, 2)).isEqualTo(15);
        assertThat(Culling.toRemove(10, 10, 1)).isEqualTo(10);
    }

    @Test
    void frequencyZeroRemovesEverything() {
        assertThat(Culling.toRemove(30, 30, 0)).isEqualTo(30);
        assertThat(Culling.toRemove(1, 1, 0)).isEqualTo(1);
    }

    @Test
    void alwaysEnoughThatTheWriteToComeKeepsTheBound() {
        // Django would remove 3 / 5 = 0 and never get back under its limit
        assertThat(Culling.toRemove(3, 3, 5)).isEqualTo(1);
        // far over the limit (another process wrote meanwhile): back to max - 1 before the write
        assertThat(Culling.toRemove(100, 30, 3)).isEqualTo(71);
        for (long n = 1; n < 200; n++) {
            for (int f = 0; f < 12; f++) {
                long removed = Culling.toRemove(n, 30, f);
                if (n < 30) {
                    assertThat(removed).isZero();
                } else {
                    assertThat(n - removed).as("%d entries, frequency %d: left before the write", n, f).isLessThanOrEqualTo(29);
                    assertThat(removed).as("at least Django's share").isGreaterThanOrEqualTo(f == 0 ? n : n / f);
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> Culling.toRemove(-1, 30, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Culling.toRemove(5, 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Culling.toRemove(5, 30, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cull_frequency");
    }
}
