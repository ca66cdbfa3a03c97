package dev.cachet.benchmarks;

import java.util.Arrays;

/**
 * cachet's {@code getMany} of 100 keys against a raw pipelined batch, call by call in one JVM on
 * one memcached ({@code -t 1}, started here as {@link MemcachedBenchmark} does): each round times
 * one call of each, in a rotating order, so load on a shared machine falls on all of them alike.
 *
 * <ul>
 *   <li>{@code cachet}: {@code cache.getMany(100 keys)}.</li>
 *   <li>{@code raw}: the same 100 {@code mg <k> v f t q O<i>} and {@code mn} on a blocking
 *       socket, each value copied out as bytes (the floor).</li>
 *   <li>{@code rawDecoded}: the raw batch, each value also decoded into a String and put in a
 *       map by key, as a user of a raw client needs.</li>
 * </ul>
 * Prints, per block of calls and over all, the medians in microseconds and the ratios of
 * cachet's median to the others'.
 *
 * <pre>java -cp cachet-benchmarks/target/benchmarks.jar dev.cachet.benchmarks.MemcachedGetManyInterleaved [--warmup 20000] [--calls 30000] [--blocks 3]</pre>
 */
public final class MemcachedGetManyInterleaved {
    private MemcachedGetManyInterleaved() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = 20_000;
        int calls = 30_000;
        int blocks = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--blocks" -> blocks = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--warmup N, --calls N, --blocks N)");
            }
        }
        MemcachedBenchmark b = new MemcachedBenchmark();
        b.setUp();
        try (MemcachedBenchmark.Raw raw = new MemcachedBenchmark.Raw(b.host, b.port)) {
            int groups = b.hundreds.size();
            Runnable[] ops = {
                new Runnable() {
                    int i;

                    @Override
                    public void run() {
                        check(b.cachet.getMany(b.hundreds.get(i++ % groups)).size());
                    }
                },
                new Runnable() {
                    int i;

                    @Override
                    public void run() {
                        check(raw.getMany(b.wireKeys, (i++ % groups) * 100, 100).size());
                    }
                },
                new Runnable() {
                    int i;

                    @Override
                    public void run() {
                        check(raw.getManyDecoded(b.keys, b.wireKeys, (i++ % groups) * 100, 100).size());
                    }
                },
            };
            String[] names = {"cachet", "raw", "rawDecoded"};
            for (int i = 0; i < warmup; i++) {
                ops[i % 3].run();
            }
            int perBlock = calls / blocks;
            long[][] all = new long[3][perBlock * blocks];
            for (int block = 0; block < blocks; block++) {
                long[][] t = new long[3][perBlock];
                for (int i = 0; i < perBlock; i++) {
                    for (int k = 0; k < 3; k++) {
                        int op = (i + k) % 3;
                        long start = System.nanoTime();
                        ops[op].run();
                        t[op][i] = System.nanoTime() - start;
                    }
                }
                for (int op = 0; op < 3; op++) {
                    System.arraycopy(t[op], 0, all[op], block * perBlock, perBlock);
                }
                print("block " + (block + 1), names, t);
            }
            print("all", names, all);
        } finally {
            b.tearDown();
        }
    }

    private static void check(int size) {
        if (size != 100) {
            throw new IllegalStateException("a batch read " + size + " of 100 keys");
        }
    }

    private static void print(String label, String[] names, long[][] t) {
        double[] med = new double[t.length];
        StringBuilder s = new StringBuilder(String.format("%-8s", label));
        for (int op = 0; op < t.length; op++) {
            med[op] = median(t[op]) / 1000.0;
            s.append(String.format("  %s %.1f us", names[op], med[op]));
        }
        s.append(String.format("  cachet/raw %.2fx  cachet/rawDecoded %.2fx", med[0] / med[1], med[0] / med[2]));
        System.out.println(s);
    }

    private static double median(long[] a) {
        long[] c = a.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }
}
