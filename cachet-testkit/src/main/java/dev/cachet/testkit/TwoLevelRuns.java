package dev.cachet.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The two-level cache's loss scenario with real processes: {@link TwoLevelWorker} JVMs write
 * and read under load on one shared backend while the parent cuts their backplane connections
 * now and then and each worker drops a fraction of the messages it receives. The parent then
 * counts the reads that returned a value older than the bound after the write that replaced it
 * was acknowledged. Not thread-safe.
 */
public final class TwoLevelRuns {
    private final String location;
    private final String backplane;
    private final Map<String, String> options;

    /** Runs on {@code location} (with {@code options}) and the backplane at {@code backplane}. */
    public TwoLevelRuns(String location, String backplane, Map<String, String> options) {
        this.location = location;
        this.backplane = backplane;
        this.options = Map.copyOf(options);
    }

    /**
     * What a run saw.
     *
     * @param writes acknowledged writes in all
     * @param reads two-level reads in all
     * @param staleWithinBound reads of a replaced value within the bound after its replacement's acknowledgement
     * @param staleBeyondBound reads of a replaced value more than the bound after it (must be zero)
     * @param worstMillis the oldest replaced value read, in ms after its replacement's acknowledgement
     * @param resets clears of the local levels for a possible loss
     * @param dropped messages the workers' hooks dropped
     * @param cuts connection cuts the parent made
     */
    public record Result(long writes, long reads, long staleWithinBound, long staleBeyondBound, long worstMillis,
            long resets, long dropped, int cuts) {
    }

    /**
     * Runs {@code instances} workers with {@code readers} reader threads each, {@code writes}
     * writes in all over {@code keys} keys spread over {@code run}, calling {@code cut} every
     * {@code cutEvery}.
     */
    public Result run(int instances, int readers, int keys, int writes, Duration run, Duration bound, double dropRate,
            Duration cutEvery, Runnable cut) throws Exception {
        String prefix = "tl" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        List<SecondJvm> jvms = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(instances);
        try {
            List<Future<SecondJvm>> starting = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                List<String> cmd = new ArrayList<>(List.of(location, backplane));
                options.forEach((k, v) -> cmd.add(k + "=" + v));
                cmd.addAll(List.of("--", prefix, Integer.toString(i), Integer.toString(instances), Integer.toString(keys),
                        Integer.toString(writes / instances), Long.toString(run.toMillis()), Long.toString(bound.toMillis()),
                        Double.toString(dropRate), Integer.toString(readers)));
                starting.add(starter.submit(() -> SecondJvm.start(TwoLevelWorker.class, cmd.toArray(String[]::new))));
            }
            for (Future<SecondJvm> f : starting) {
                jvms.add(f.get(120, TimeUnit.SECONDS));
            }
            for (SecondJvm j : jvms) {
                j.go();
            }
            int cuts = 0;
            long end = System.nanoTime() + run.toNanos();
            while (System.nanoTime() + cutEvery.toNanos() < end) {
                Thread.sleep(cutEvery.toMillis());
                cut.run();
                cuts++;
            }
            Map<String, Long> acks = new HashMap<>();
            List<String[]> candidates = new ArrayList<>();
            long reads = 0;
            long resets = 0;
            long dropped = 0;
            for (SecondJvm j : jvms) {
                for (String line : j.finish()) {
                    String[] f = line.split(" ");
                    switch (f[0]) {
                        case "W" -> acks.put(f[1] + " " + f[2], Long.parseLong(f[3]));
                        case "S" -> candidates.add(f);
                        case "READS" -> reads += Long.parseLong(f[1]);
                        case "RESETS" -> resets += Long.parseLong(f[1]);
                        case "DROPPED" -> dropped += Long.parseLong(f[1]);
                        default -> { }
                    }
                }
            }
            long within = 0;
            long beyond = 0;
            long worst = 0;
            for (String[] c : candidates) {
                long replacedAt = acks.getOrDefault(c[1] + " " + (Long.parseLong(c[2]) + 1), Long.MAX_VALUE);
                long age = Long.parseLong(c[3]) - replacedAt;
                worst = Math.max(worst, age);
                if (age > bound.toMillis()) {
                    beyond++;
                } else {
                    within++;
                }
            }
            return new Result(acks.size(), reads, within, beyond, worst, resets, dropped, cuts);
        } finally {
            starter.shutdownNow();
            for (SecondJvm j : jvms) {
                j.close();
            }
        }
    }
}
