package dev.cachet.cli.bench;

/**
 * A target that failed during a run: a check failed ({@link BenchCheckException}) or a call
 * threw. The target ran no further phase.
 *
 * @param target the target's label
 * @param phase the phase it failed in, e.g. {@code large get}
 * @param error what went wrong
 */
public record BenchFailure(String target, String phase, RuntimeException error) {
    /** One line saying what failed, where, and why. */
    public String message() {
        if (error instanceof BenchCheckException) {
            return error.getMessage();
        }
        String m = error.getMessage();
        return target + " " + phase + ": " + error.getClass().getName() + (m == null ? "" : ": " + m);
    }
}
