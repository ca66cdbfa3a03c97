package dev.cachet.cli.bench;

/**
 * One row of a benchmark report: one operation of one size on one target.
 *
 * @param target the target's label
 * @param size the value size, or {@code null} for {@link BenchOp#INCR} (the counter phase
 *     does not depend on the size)
 * @param op the operation
 * @param stats the figures of its timed loop
 */
public record BenchResult(String target, BenchSize size, BenchOp op, CallStats stats) {
    /** The size's label, or {@code -} for the counter phase. */
    public String sizeLabel() {
        return size == null ? "-" : size.label();
    }
}
