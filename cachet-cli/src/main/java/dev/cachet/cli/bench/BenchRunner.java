package dev.cachet.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs the seed workload ({@code docs/bench-workload.md}) over one or more {@link BenchTarget}s,
 * interleaved: every phase runs on each target in turn before the next phase starts, so a
 * raw baseline and the framework are measured under the same machine conditions.
 *
 * <p>Per size (small, then large): clear every target, then populate the 1000 working-set
 * keys of every target (untimed), then {@code set}, {@code get}, {@code has_key},
 * {@code set_many}, {@code get_many} and the add+delete phase, each on every target. Then
 * once the counter phase ({@code incr}). Clearing every target before populating any of them
 * keeps targets that share one server from wiping each other's data.
 *
 * <p>Each timed loop is preceded by a warm-up of the same operation for
 * {@link BenchSettings#warmupSeconds()} (untimed), then runs for about
 * {@link BenchSettings#seconds()} of wall time (the add+delete phase twice that, as it times
 * two operations), at least 10 and at most {@link BenchSettings#maxCalls()} calls. Each call is
 * timed on its own with {@link System#nanoTime()} around the single call; keys, batches and
 * maps are built beforehand, and the value read back is checked after the clock stops. A
 * wrong value or a failed write is a {@link BenchCheckException}, which fails that target
 * (see {@link #run}). Not thread-safe.
 *
 * <p>With {@link BenchSettings#rounds()} above 1, each timed loop is cut into that many
 * slices of {@code seconds / rounds}, and the targets take turns slice by slice, in the given
 * order in even rounds and the reverse order in odd ones (ABBA): a target and the baseline next
 * to it are measured over the same stretch of time, and each is as often the first to run after
 * the previous phase (whose after-effects, such as a database flushing the pages a write phase
 * dirtied, otherwise land on whoever runs first). Each target warms up before its first slice
 * only. (A few lines over 500: the phases are the workload's, one method each, and read best
 * in one place; the timing, slicing and checks already live in their own classes.)
 */
public final class BenchRunner {
    private static final int MIN_WARMUP_CALLS = 5;
    private static final int MIN_CALLS = 10;
    private static final List<BenchOp> SIMPLE_OPS =
            List.of(BenchOp.SET, BenchOp.GET, BenchOp.HAS_KEY, BenchOp.SET_MANY, BenchOp.GET_MANY);

    private final BenchSettings settings;
    private final BenchListener listener;
    private long[] samplesA = new long[0];
    private long[] samplesB = new long[0];
    private int step;
    private int steps;

    /** A runner with {@code settings} that tells {@code listener} about its progress. */
    public BenchRunner(BenchSettings settings, BenchListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Runs the workload on {@code targets} (interleaved). A target that fails (a wrong value,
     * a failed write, an exception) is recorded in the report and runs no further phase; the
     * others go on. Results are grouped by target, in the order given, then by size and
     * operation in run order.
     */
    public BenchReport run(List<? extends BenchTarget> targets) {
        Map<BenchTarget, List<BenchResult>> results = new LinkedHashMap<>();
        for (BenchTarget t : targets) {
            results.put(t, new ArrayList<>());
        }
        List<BenchTarget> active = new ArrayList<>(targets);
        List<BenchFailure> failures = new ArrayList<>();
        step = 0;
        steps = countSteps(targets.size());
        try {
            for (BenchSize size : settings.sizes()) {
                if (!runsAnyPerSizeOp()) {
                    break;
                }
                SizeData data = new SizeData(size);
                each(active, failures, size.label() + " clear", BenchTarget::clear);
                each(active, failures, size.label() + " populate", t -> populate(t, data));
                for (BenchOp op : SIMPLE_OPS) {
                    if (!settings.runs(op)) {
                        continue;
                    }
                    String phase = size.label() + " " + op.label();
                    if (settings.rounds() == 1) {
                        each(active, failures, phase,
                                t -> results.get(t).add(new BenchResult(t.label(), size, op, measure(t, data, op))));
                    } else {
                        sliced(active, failures, phase, settings.seconds(), t -> new SlicedLoop(settings, timedCall(t, data, op), null, this::warmUp,
                                stats -> results.get(t).add(new BenchResult(t.label(), size, op, stats))));
                    }
                }
                if (settings.runs(BenchOp.ADD) || settings.runs(BenchOp.DELETE)) {
                    String phase = size.label() + " add+delete";
                    java.util.function.BiConsumer<BenchTarget, CallStats[]> record = (t, ad) -> {
                        if (settings.runs(BenchOp.ADD)) {
                            results.get(t).add(new BenchResult(t.label(), size, BenchOp.ADD, ad[0]));
                        }
                        if (settings.runs(BenchOp.DELETE)) {
                            results.get(t).add(new BenchResult(t.label(), size, BenchOp.DELETE, ad[1]));
                        }
                    };
                    if (settings.rounds() == 1) {
                        each(active, failures, phase, t -> record.accept(t, addAndDelete(t, data)));
                    } else {
                        sliced(active, failures, phase, 2 * settings.seconds(),
                                t -> new SlicedAddDelete(t, data, phase, ad -> record.accept(t, ad)));
                    }
                }
            }
            if (settings.runs(BenchOp.INCR)) {
                if (settings.rounds() == 1) {
                    each(active, failures, "incr",
                            t -> results.get(t).add(new BenchResult(t.label(), null, BenchOp.INCR, counter(t))));
                } else {
                    sliced(active, failures, "incr", settings.seconds(), t -> {
                        Counter c = new Counter(t);
                        c.reset.run();
                        return new SlicedLoop(settings, c.call, c.reset, this::warmUp,
                                stats -> results.get(t).add(new BenchResult(t.label(), null, BenchOp.INCR, c.check(stats))));
                    });
                }
            }
            cleanUp(targets, active, failures);
        } finally {
            listener.finished();
        }
        List<BenchResult> out = new ArrayList<>();
        results.values().forEach(out::addAll);
        return new BenchReport(out, failures);
    }

    /**
     * The last step: removes what the run wrote (the working-set keys of every size run and the
     * counter; add+delete removes its own keys as it goes), so nothing is left behind for the
     * workload's hour-long timeout on a shared server. A target that failed earlier is cleaned
     * too, best effort: its failure is already reported.
     */
    private void cleanUp(List<? extends BenchTarget> targets, List<BenchTarget> active, List<BenchFailure> failures) {
        List<String> written = new ArrayList<>();
        if (runsAnyPerSizeOp()) {
            for (BenchSize size : settings.sizes()) {
                for (int i = 0; i < BenchWorkload.WORKING_SET; i++) {
                    written.add(BenchWorkload.key(size, i));
                }
            }
        }
        if (settings.runs(BenchOp.INCR)) {
            written.add(BenchWorkload.COUNTER_KEY);
        }
        List<BenchTarget> failedBefore = new ArrayList<>(targets);
        failedBefore.removeAll(active);
        each(active, failures, "clean up", t -> t.deleteAll(written));
        for (BenchTarget t : failedBefore) {
            try {
                t.deleteAll(written);
            } catch (RuntimeException ignored) {
                // best effort on a target that already failed
            }
        }
    }

    /** Runs {@code phase} on each active target in turn; a target that fails leaves {@code active}. */
    private void each(List<BenchTarget> active, List<BenchFailure> failures, String phase,
            java.util.function.Consumer<BenchTarget> action) {
        for (BenchTarget t : List.copyOf(active)) {
            listener.starting(++step, steps, t.label(), phase);
            try {
                action.accept(t);
            } catch (RuntimeException e) {
                failures.add(new BenchFailure(t.label(), phase, e));
                active.remove(t);
            }
        }
    }

    /**
     * Runs {@code phase} on each active target in {@link BenchSettings#rounds()} slices of
     * {@code seconds / rounds}, the targets taking turns in ABBA order; a target that fails
     * leaves {@code active} and runs no further slice.
     */
    private void sliced(List<BenchTarget> active, List<BenchFailure> failures, String phase, double seconds,
            java.util.function.Function<BenchTarget, Slices> start) {
        List<BenchTarget> targets = List.copyOf(active);
        Map<BenchTarget, Slices> state = new IdentityHashMap<>();
        long sliceNanos = nanos(seconds) / settings.rounds();
        for (int r = 0; r < settings.rounds(); r++) {
            List<BenchTarget> order = new ArrayList<>(targets);
            if (r % 2 == 1) {
                Collections.reverse(order);
            }
            for (BenchTarget t : order) {
                if (!active.contains(t)) {
                    continue;
                }
                try {
                    Slices s = state.get(t);
                    if (s == null) {
                        listener.starting(++step, steps, t.label(), phase);
                        s = start.apply(t);
                        state.put(t, s);
                    }
                    s.slice(sliceNanos);
                } catch (RuntimeException e) {
                    failures.add(new BenchFailure(t.label(), phase, e));
                    active.remove(t);
                }
            }
        }
        for (BenchTarget t : targets) {
            if (active.contains(t)) {
                try {
                    state.get(t).finish();
                } catch (RuntimeException e) {
                    failures.add(new BenchFailure(t.label(), phase, e));
                    active.remove(t);
                }
            }
        }
    }

    private boolean runsAnyPerSizeOp() {
        return settings.ops().stream().anyMatch(BenchOp::perSize);
    }

    private int countSteps(int targets) {
        int perSize = 0;
        if (runsAnyPerSizeOp()) {
            perSize = 2; // clear, populate
            for (BenchOp op : SIMPLE_OPS) {
                perSize += settings.runs(op) ? 1 : 0;
            }
            perSize += settings.runs(BenchOp.ADD) || settings.runs(BenchOp.DELETE) ? 1 : 0;
        }
        return targets * (perSize * settings.sizes().size() + (settings.runs(BenchOp.INCR) ? 1 : 0) + 1); // + clean up
    }

    // ---- phases ----

    private void populate(BenchTarget t, SizeData d) {
        for (int i = 0; i < BenchWorkload.WORKING_SET; i++) {
            if (!t.set(d.keys[i], d.value)) {
                throw BenchChecks.failure(t, d.size.label() + " populate", "set of key " + d.keys[i] + " reported it was not stored");
            }
        }
    }

    private CallStats measure(BenchTarget t, SizeData d, BenchOp op) {
        return loop(timedCall(t, d, op), null);
    }

    /** One timed call of simple operation {@code op} on {@code t}, with its check. */
    private TimedCall timedCall(BenchTarget t, SizeData d, BenchOp op) {
        String what = d.size.label() + " " + op.label();
        Object value = d.value;
        String[] keys = d.keys;
        int ws = BenchWorkload.WORKING_SET;
        TimedCall call = switch (op) {
            case SET -> i -> {
                String k = keys[i % ws];
                long t0 = System.nanoTime();
                boolean ok = t.set(k, value);
                long t1 = System.nanoTime();
                if (!ok) {
                    throw BenchChecks.failure(t, what, "set of key " + k + " reported it was not stored");
                }
                return t1 - t0;
            };
            case GET -> i -> {
                String k = keys[i % ws];
                long t0 = System.nanoTime();
                Object v = t.get(k);
                long t1 = System.nanoTime();
                if (v != value && !value.equals(v)) {
                    throw BenchChecks.failure(t, what, "key " + k + " read back " + BenchChecks.describe(v) + " instead of the value set");
                }
                return t1 - t0;
            };
            case HAS_KEY -> i -> {
                String k = keys[i % ws];
                long t0 = System.nanoTime();
                boolean has = t.hasKey(k);
                long t1 = System.nanoTime();
                if (!has) {
                    throw BenchChecks.failure(t, what, "has_key of key " + k + " was false");
                }
                return t1 - t0;
            };
            case SET_MANY -> i -> {
                Map<String, Object> batch = d.batchMaps.get(i % BenchWorkload.BATCHES);
                long t0 = System.nanoTime();
                boolean ok = t.setMany(batch);
                long t1 = System.nanoTime();
                if (!ok) {
                    throw BenchChecks.failure(t, what, "set_many of batch " + i % BenchWorkload.BATCHES + " reported keys not stored");
                }
                return t1 - t0;
            };
            case GET_MANY -> i -> {
                List<String> batch = d.batches.get(i % BenchWorkload.BATCHES);
                long t0 = System.nanoTime();
                Map<String, Object> got = t.getMany(batch);
                long t1 = System.nanoTime();
                checkBatch(t, what, batch, got, value);
                return t1 - t0;
            };
            default -> throw new IllegalArgumentException("not a simple operation: " + op);
        };
        return call;
    }

    private void checkBatch(BenchTarget t, String what, List<String> batch, Map<String, Object> got, Object value) {
        if (got == null || got.size() != batch.size()) {
            throw BenchChecks.failure(t, what, "get_many returned " + (got == null ? "null" : got.size() + " entries")
                    + " for " + batch.size() + " keys that all hold a value");
        }
        for (String k : batch) {
            Object v = got.get(k);
            if (v != value && !value.equals(v)) {
                throw BenchChecks.failure(t, what, "get_many read key " + k + " as " + BenchChecks.describe(v) + " instead of the value set");
            }
        }
    }

    /**
     * The add+delete phase: blocks of up to 1000 new keys, each added then deleted, for about
     * twice {@code seconds} (two operations) after the warm-up.
     */
    private CallStats[] addAndDelete(BenchTarget t, SizeData d) {
        String what = d.size.label() + " add+delete";
        warmUpAddAndDelete(t, d, what);
        long deadline = System.nanoTime() + 2 * nanos(settings.seconds());
        int max = settings.maxCalls();
        int n = 0;
        while (n < max && (n < MIN_CALLS || System.nanoTime() < deadline)) {
            int len = Math.min(BenchWorkload.ADD_BLOCK, max - n);
            while (samplesA.length < n + len) {
                grow(samplesA, true);
            }
            while (samplesB.length < n + len) {
                grow(samplesB, false);
            }
            n += block(t, d, what, len, deadline, samplesA, samplesB, n);
        }
        return new CallStats[] {CallStats.of(samplesA, n), CallStats.of(samplesB, n)};
    }

    private void warmUpAddAndDelete(BenchTarget t, SizeData d, String what) {
        long deadline = System.nanoTime() + nanos(settings.warmupSeconds());
        long warm = 0;
        do {
            warm += block(t, d, what, BenchWorkload.ADD_BLOCK, deadline, null, null, 0);
        } while (warm < MIN_WARMUP_CALLS || System.nanoTime() < deadline);
    }

    /** The add+delete phase of one target, in slices. */
    private final class SlicedAddDelete implements Slices {
        private final BenchTarget t;
        private final SizeData d;
        private final String what;
        private final java.util.function.Consumer<CallStats[]> done;
        private long[] adds = new long[1024];
        private long[] deletes = new long[1024];
        private int n;
        private boolean warmed;

        SlicedAddDelete(BenchTarget t, SizeData d, String what, java.util.function.Consumer<CallStats[]> done) {
            this.t = t;
            this.d = d;
            this.what = what;
            this.done = done;
        }

        @Override
        public void slice(long nanos) {
            if (!warmed) {
                warmUpAddAndDelete(t, d, what);
                warmed = true;
            }
            long deadline = System.nanoTime() + nanos;
            int max = settings.maxCalls();
            while (n < max && (n < MIN_CALLS || System.nanoTime() < deadline)) {
                int len = Math.min(BenchWorkload.ADD_BLOCK, max - n);
                adds = ensure(adds, n + len);
                deletes = ensure(deletes, n + len);
                n += block(t, d, what, len, deadline, adds, deletes, n);
            }
        }

        @Override
        public void finish() {
            done.accept(new CallStats[] {CallStats.of(adds, n), CallStats.of(deletes, n)});
        }
    }

    /**
     * Adds up to {@code maxLen} new keys (fewer when {@code deadline} passes, but at least
     * enough for {@code MIN_CALLS} in all), then deletes them; returns how many keys it added.
     * Durations go to {@code adds} and {@code deletes} from {@code offset} when not null.
     */
    private int block(BenchTarget t, SizeData d, String what, int maxLen, long deadline, long[] adds, long[] deletes,
            int offset) {
        long[] next = d.nextNewKey.computeIfAbsent(t, x -> new long[1]);
        String[] keys = new String[maxLen];
        for (int k = 0; k < maxLen; k++) {
            keys[k] = BenchWorkload.newKey(d.size, next[0] + k);
        }
        Object value = d.value;
        int len = 0;
        while (len < maxLen) {
            long t0 = System.nanoTime();
            boolean added = t.add(keys[len], value);
            long t1 = System.nanoTime();
            if (!added) {
                throw BenchChecks.failure(t, what, "add of new key " + keys[len] + " did not store it");
            }
            if (adds != null) {
                adds[offset + len] = t1 - t0;
            }
            len++;
            if (t1 >= deadline && offset + len >= MIN_CALLS) {
                break;
            }
        }
        next[0] += len;
        for (int k = 0; k < len; k++) {
            long t0 = System.nanoTime();
            boolean deleted = t.delete(keys[k]);
            long t1 = System.nanoTime();
            if (!deleted) {
                throw BenchChecks.failure(t, what, "delete of key " + keys[k] + ", just added, deleted nothing");
            }
            if (deletes != null) {
                deletes[offset + k] = t1 - t0;
            }
        }
        return len;
    }

    /** The counter phase: set the counter to 0, incr it N times, check it is N. */
    private CallStats counter(BenchTarget t) {
        Counter c = new Counter(t);
        c.reset.run();
        return c.check(loop(c.call, c.reset));
    }

    // ---- timing ----

    private void warmUp(TimedCall call, Runnable afterWarmup) {
        long deadline = System.nanoTime() + nanos(settings.warmupSeconds());
        int i = 0;
        do {
            call.call(i++);
        } while (i < MIN_WARMUP_CALLS || System.nanoTime() < deadline);
        if (afterWarmup != null) {
            afterWarmup.run();
        }
    }

    private CallStats loop(TimedCall call, Runnable afterWarmup) {
        warmUp(call, afterWarmup);
        long deadline = System.nanoTime() + nanos(settings.seconds());
        int max = settings.maxCalls();
        long[] samples = samplesA;
        int n = 0;
        while (n < max && (n < MIN_CALLS || (n & 63) != 0 || System.nanoTime() < deadline)) {
            if (n == samples.length) {
                samples = grow(samples, true);
            }
            samples[n] = call.call(n);
            n++;
        }
        return CallStats.of(samples, n);
    }

    /** {@code b}, or a copy at least {@code size} long (doubling, up to {@code maxCalls}). */
    private long[] ensure(long[] b, int size) {
        return ensure(b, size, settings.maxCalls());
    }

    /** {@code b}, or a copy at least {@code size} long (doubling, up to {@code maxCalls}). */
    static long[] ensure(long[] b, int size, int maxCalls) {
        if (b.length >= size) {
            return b;
        }
        int bigger = (int) Math.min(maxCalls, Math.max(size, 2L * b.length));
        return java.util.Arrays.copyOf(b, bigger);
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** A larger copy of sample buffer A or B (doubling, up to {@code maxCalls}). */
    private long[] grow(long[] b, boolean first) {
        int size = (int) Math.min(settings.maxCalls(), Math.max(1024L, 2L * b.length));
        long[] bigger = java.util.Arrays.copyOf(b, size);
        if (first) {
            samplesA = bigger;
        } else {
            samplesB = bigger;
        }
        return bigger;
    }


}
