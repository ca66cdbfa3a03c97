package dev.cachet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The goal verdict agrees with the two-decimal ratio the table prints. */
class BenchComparisonTest {
    @Test
    void aRatioPrintedAsTheGoalIsNotOver() {
        assertThat(BenchComparison.above(1.3004, BenchComparison.GOAL_RATIO)).isFalse();
        assertThat(BenchComparison.above(1.2951, BenchComparison.GOAL_RATIO)).isFalse();
        assertThat(BenchComparison.above(1.3051, BenchComparison.GOAL_RATIO)).isTrue();
        assertThat(BenchComparison.above(3.004, BenchComparison.GOAL_SET_MANY_IN_SETS)).isFalse();
        assertThat(BenchComparison.above(3.006, BenchComparison.GOAL_SET_MANY_IN_SETS)).isTrue();
    }

    @Test
    void eitherRatioOverTheGoalIsOver() {
        CallStats base = stats(100, 100);
        assertThat(ratio(stats(131, 100), base).aboveGoal()).isTrue();
        assertThat(ratio(stats(100, 131), base).aboveGoal()).isTrue();
        assertThat(ratio(stats(130, 130), base).aboveGoal()).isFalse();
    }

    private static BenchComparison.Ratio ratio(CallStats ours, CallStats raw) {
        return new BenchComparison.Ratio("c", "raw c", BenchSize.SMALL, BenchOp.GET, ours, raw);
    }

    private static CallStats stats(double mean, double p50) {
        return new CallStats(10, (long) (mean * 10_000), mean, p50, p50, p50, p50);
    }
}
