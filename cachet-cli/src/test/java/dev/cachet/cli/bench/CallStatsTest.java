package dev.cachet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CallStatsTest {
    @Test
    void percentilesAreNearestRankOfTheSortedDurations() {
        long[] nanos = new long[200];
        for (int i = 0; i < 100; i++) {
            nanos[i] = (100 - i) * 1000L; // 100 µs .. 1 µs, unsorted; the rest of the array is ignored
        }
        CallStats s = CallStats.of(nanos, 100);
        assertThat(s.n()).isEqualTo(100);
        assertThat(s.p50Micros()).isEqualTo(50.0);
        assertThat(s.p90Micros()).isEqualTo(90.0);
        assertThat(s.p99Micros()).isEqualTo(99.0);
        assertThat(s.maxMicros()).isEqualTo(100.0);
        assertThat(s.meanMicros()).isCloseTo(50.5, within(1e-9));
        assertThat(s.callsPerSecond()).isCloseTo(100 / (5050 * 1e-6), within(1e-6));
    }

    @Test
    void oneSampleIsEveryPercentile() {
        CallStats s = CallStats.of(new long[] {1500}, 1);
        assertThat(s.p50Micros()).isEqualTo(1.5);
        assertThat(s.p99Micros()).isEqualTo(1.5);
        assertThat(s.meanMicros()).isEqualTo(1.5);
    }
}
