package dev.cachet.internal.fresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * XFetch against the paper's formula: a read {@code t} before expiry recomputes with
 * probability {@code exp(-t / (delta * beta))}; summed over a cycle of steady reads, the
 * expected number of triggers (without single flight, each trigger would be a recomputation).
 */
class XFetchTest {

    /** Reads every {@code step} ms over the {@code window} ms before expiry, for {@code cycles} cycles: mean triggers per cycle. */
    private static double meanTriggers(long delta, double beta, long step, long window, int cycles, long seed) {
        Random r = new Random(seed);
        long expiry = 1_000_000;
        long triggers = 0;
        for (int c = 0; c < cycles; c++) {
            for (long t = expiry - window; t < expiry; t += step) {
                if (XFetch.recomputesEarly(t, expiry, delta, beta, r.nextDouble())) {
                    triggers++;
                }
            }
        }
        return (double) triggers / cycles;
    }

    private static double expectedTriggers(long delta, double beta, long step, long window) {
        double sum = 0;
        for (long before = window; before > 0; before -= step) {
            sum += XFetch.probability(before, delta, beta);
        }
        return sum;
    }

    @Test
    void triggersPerCycleMatchThePapersFormula() {
        for (double beta : new double[] {0.5, 1.0, 2.0}) {
            double expected = expectedTriggers(100, beta, 10, 5_000);
            double observed = meanTriggers(100, beta, 10, 5_000, 4_000, 42);
            assertThat(observed).as("beta " + beta).isCloseTo(expected, within(expected * 0.05));
        }
    }

    @Test
    void aLargerBetaOrALongerComputeRecomputesEarlier() {
        assertThat(XFetch.probability(200, 100, 2.0)).isGreaterThan(XFetch.probability(200, 100, 1.0));
        assertThat(XFetch.probability(200, 400, 1.0)).isGreaterThan(XFetch.probability(200, 100, 1.0));
        assertThat(XFetch.probability(0, 100, 1.0)).isEqualTo(1.0);
        assertThat(XFetch.recomputesEarly(1000, 1000, 100, 1.0, 0.0)).as("at expiry always").isTrue();
        assertThat(XFetch.recomputesEarly(0, 1_000_000, 1, 1.0, 0.5)).as("far from expiry never").isFalse();
    }
}
