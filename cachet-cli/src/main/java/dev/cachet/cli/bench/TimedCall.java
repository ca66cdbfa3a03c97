package dev.cachet.cli.bench;

/** One call of the operation being measured; returns its duration in nanoseconds. */
@FunctionalInterface
interface TimedCall {
    long call(int i);
}
