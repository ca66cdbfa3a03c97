package dev.cachet.cli.bench;

/** Told by a {@link BenchRunner} what it is doing, e.g. to show progress. */
@FunctionalInterface
public interface BenchListener {
    /** A listener that ignores everything. */
    BenchListener NONE = (step, steps, target, what) -> { };

    /**
     * The runner starts step {@code step} (1-based) of {@code steps}: {@code what} (e.g.
     * {@code small get}) on {@code target}.
     */
    void starting(int step, int steps, String target, String what);

    /** The run is over (normally or not). */
    default void finished() {
    }
}
