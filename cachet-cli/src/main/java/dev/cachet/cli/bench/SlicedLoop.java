package dev.cachet.cli.bench;

/** A timed loop of one target run in slices; its call index and samples go on from slice to slice. */
final class SlicedLoop implements Slices {
    private static final int MIN_CALLS = 10;

    private final BenchSettings settings;
    private final java.util.function.BiConsumer<TimedCall, Runnable> warmUp;
    private final TimedCall call;
    private final Runnable afterWarmup;
    private final java.util.function.Consumer<CallStats> done;
    private long[] samples = new long[1024];
    private int n;
    private boolean warmed;

    /**
     * Slices of {@code call} under {@code settings}; {@code warmUp} runs before the first one
     * (with {@code afterWarmup}), {@code done} gets the figures of all of them.
     */
    SlicedLoop(BenchSettings settings, TimedCall call, Runnable afterWarmup,
            java.util.function.BiConsumer<TimedCall, Runnable> warmUp, java.util.function.Consumer<CallStats> done) {
        this.settings = settings;
        this.warmUp = warmUp;
        this.call = call;
        this.afterWarmup = afterWarmup;
        this.done = done;
    }

    @Override
    public void slice(long nanos) {
        if (!warmed) {
            warmUp.accept(call, afterWarmup);
            warmed = true;
        }
        int minCalls = (MIN_CALLS + settings.rounds() - 1) / settings.rounds();
        long deadline = System.nanoTime() + nanos;
        int max = settings.maxCalls();
        for (int calls = 0; n < max && (calls < minCalls || System.nanoTime() < deadline); calls++) {
            samples = BenchRunner.ensure(samples, n + 1, max);
            samples[n] = call.call(n);
            n++;
        }
    }

    @Override
    public void finish() {
        done.accept(CallStats.of(samples, n));
    }
}
