package dev.cachet.cli.bench;

/** One target's part of a phase run in slices. */
interface Slices {
    /** Runs the next slice, about {@code nanos} long (the first one warms up first). */
    void slice(long nanos);

    /** Records the figures of all slices. */
    void finish();
}
