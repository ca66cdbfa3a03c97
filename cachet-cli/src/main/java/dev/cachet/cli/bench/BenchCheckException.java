package dev.cachet.cli.bench;

/**
 * A benchmark read back a wrong value or a write reported failure: the figures of such a
 * target mean nothing, so the run fails.
 */
public class BenchCheckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failed check of {@code phase} (e.g. {@code small get}) on {@code target}: {@code detail}. */
    public BenchCheckException(String target, String phase, String detail) {
        super(target + " " + phase + ": " + detail);
    }
}
