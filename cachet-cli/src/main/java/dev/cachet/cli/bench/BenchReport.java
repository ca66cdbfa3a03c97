package dev.cachet.cli.bench;

import java.util.List;

/**
 * What a run produced: the results of every phase that completed, grouped by target, and the
 * targets that failed. A run with failures is a failed run, but the figures of the phases
 * that passed their checks are real and reported.
 *
 * @param results one per target, size and operation measured
 * @param failures the targets that failed, in the order they failed
 */
public record BenchReport(List<BenchResult> results, List<BenchFailure> failures) {
    /** Copies the lists. */
    public BenchReport {
        results = List.copyOf(results);
        failures = List.copyOf(failures);
    }

    /** True when no target failed. */
    public boolean passed() {
        return failures.isEmpty();
    }
}
