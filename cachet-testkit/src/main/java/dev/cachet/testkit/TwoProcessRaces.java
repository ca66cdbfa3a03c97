package dev.cachet.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;

/**
 * The two {@link Store} contract points that only two processes can check, {@link PutMode#ADD}
 * and {@link Store#incr} being atomic across processes sharing a backend, raced with
 * {@link SecondJvm}: this JVM's threads against a worker's on the same store.
 *
 * <p>A backend's test calls {@link #incrs} and {@link #adds} with its own store and a worker
 * class. The worker's {@code main} opens its store on the same backend from the leading
 * arguments it was given, {@linkplain #warmUp warms up}, and hands the rest of its arguments to
 * {@link #serve}:
 *
 * <pre>
 *   &lt;worker args...&gt; incr &lt;threads&gt; &lt;count&gt; &lt;key&gt;   count incrs of key per thread; prints RANGE &lt;min&gt; &lt;max&gt;
 *   &lt;worker args...&gt; add  &lt;threads&gt; &lt;keys&gt;  &lt;tag&gt;   each thread adds add-0..add-(keys-1); prints WON &lt;key&gt; &lt;value&gt;
 * </pre>
 */
public final class TwoProcessRaces {
    private TwoProcessRaces() {
    }

    // ---- parent side ----

    /**
     * Sets {@code counter} to 0, then {@code threads} threads here and as many in the worker
     * each incr it {@code perThread} times. Asserts the sum is exact and that the two
     * processes' incrs interleaved (each saw values below the other's highest).
     *
     * @param timeout how long each thread of this JVM may take
     * @param workerArgs the worker's leading arguments, naming the shared store
     */
    public static void incrs(Store store, int threads, int perThread, Duration timeout, Class<?> worker,
            String... workerArgs) throws Exception {
        store.put("counter", "0".getBytes(UTF_8), Store.NEVER, PutMode.SET);
        LongSummaryStatistics seen = new LongSummaryStatistics();
        List<String> workerOutput;
        try (SecondJvm jvm = SecondJvm.start(worker, args(workerArgs, "incr", threads, perThread, "counter"))) {
            jvm.race(threads, timeout, t -> {
                for (int i = 0; i < perThread; i++) {
                    Long n = store.incr("counter", 1);
                    assertThat(n).isNotNull();
                    synchronized (seen) {
                        seen.accept(n);
                    }
                }
            });
            workerOutput = jvm.finish();
        }
        assertThat(new String(store.get("counter"), UTF_8)).isEqualTo(Integer.toString(2 * threads * perThread));
        String[] range = workerOutput.stream().filter(l -> l.startsWith("RANGE ")).findFirst().orElseThrow().split(" ");
        long workerMin = Long.parseLong(range[1]);
        long workerMax = Long.parseLong(range[2]);
        assertThat(workerMin < seen.getMax() && seen.getMin() < workerMax)
                .as("the two processes' incrs interleaved (worker saw %d..%d, this JVM %d..%d)", workerMin, workerMax,
                        seen.getMin(), seen.getMax())
                .isTrue();
    }

    /**
     * {@code threads} threads here and as many in the worker each add {@code add-0} to
     * {@code add-(keys-1)}, with a value naming the process and thread. Asserts every key was
     * won exactly once, and holds its winner's value.
     *
     * @param timeout how long each thread of this JVM may take
     * @param workerArgs the worker's leading arguments, naming the shared store
     */
    public static void adds(Store store, int threads, int keys, Duration timeout, Class<?> worker, String... workerArgs)
            throws Exception {
        Map<String, List<String>> winners = new HashMap<>();
        List<String> won = Collections.synchronizedList(new ArrayList<>());
        try (SecondJvm jvm = SecondJvm.start(worker, args(workerArgs, "add", threads, keys, "worker"))) {
            jvm.race(threads, timeout, t -> {
                for (int k = 0; k < keys; k++) {
                    String value = "test-" + t;
                    if (store.put("add-" + k, value.getBytes(UTF_8), Store.NEVER, PutMode.ADD)) {
                        won.add("WON add-" + k + " " + value);
                    }
                }
            });
            List<String> all = new ArrayList<>(won);
            all.addAll(jvm.finish());
            for (String line : all) {
                if (line.startsWith("WON ")) {
                    String[] parts = line.split(" ");
                    winners.computeIfAbsent(parts[1], x -> new ArrayList<>()).add(parts[2]);
                }
            }
        }
        long workerWins = winners.values().stream().flatMap(List::stream).filter(v -> v.startsWith("worker-")).count();
        assertThat(winners).as("keys won (the worker won %d of them)", workerWins).hasSize(keys);
        winners.forEach((key, w) -> {
            assertThat(w).as(key).hasSize(1);
            assertThat(new String(store.get(key), UTF_8)).as(key).isEqualTo(w.get(0));
        });
    }

    private static String[] args(String[] workerArgs, String mode, int threads, int count, String arg) {
        List<String> all = new ArrayList<>(List.of(workerArgs));
        all.addAll(List.of(mode, Integer.toString(threads), Integer.toString(count), arg));
        return all.toArray(String[]::new);
    }

    // ---- worker side ----

    /**
     * Runs put (add), incr and delete {@code rounds} times on keys of this process's own, so a
     * young worker JVM races the test's warm one at a similar pace.
     */
    public static void warmUp(Store store, int rounds) {
        byte[] zero = "0".getBytes(UTF_8);
        for (int i = 0; i < rounds; i++) {
            String key = "warm-up-" + ProcessHandle.current().pid() + "-" + (i % 10);
            store.put(key, zero, Store.NEVER, PutMode.ADD);
            store.incr(key, 1);
            store.delete(key);
        }
    }

    /**
     * The worker's race, from {@code args[from]} on ({@code incr|add <threads> <count> <arg>}):
     * {@link SecondJvm#serve serves} the race on {@code store}, prints the results and
     * {@code DONE}.
     *
     * @param timeout how long each thread of the worker may take
     */
    public static void serve(Store store, String[] args, int from, Duration timeout) throws Exception {
        String mode = args[from];
        int threads = Integer.parseInt(args[from + 1]);
        int count = Integer.parseInt(args[from + 2]);
        String arg = args[from + 3];
        LongSummaryStatistics seen = new LongSummaryStatistics();
        SecondJvm.serve(threads, timeout, thread -> {
            for (int i = 0; i < count; i++) {
                if (mode.equals("incr")) {
                    Long n = store.incr(arg, 1);
                    if (n == null) {
                        throw new IllegalStateException("counter " + arg + " is missing");
                    }
                    synchronized (seen) {
                        seen.accept(n);
                    }
                } else {
                    String key = "add-" + i;
                    String value = arg + "-" + thread;
                    if (store.put(key, value.getBytes(UTF_8), Store.NEVER, PutMode.ADD)) {
                        SecondJvm.println("WON " + key + " " + value);
                    }
                }
            }
        });
        if (mode.equals("incr")) {
            SecondJvm.println("RANGE " + seen.getMin() + " " + seen.getMax());
        }
        SecondJvm.done();
    }
}
