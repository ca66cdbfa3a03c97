package dev.cachet.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The data of the seed benchmark workload ({@code docs/bench-workload.md}): its settings, the
 * deterministic values, and the keys. Everything here is a pure function of its arguments, so
 * every run (and every other framework running the same workload) reads and writes the same
 * bytes.
 */
public final class BenchWorkload {
    /** The 64 characters values are drawn from. */
    public static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    /** The default timeout of every write, in seconds (nothing expires during a run). */
    public static final long TIMEOUT_SECONDS = 3600;
    /** The cache's {@code max_entries}: culling never triggers in the main runs. */
    public static final long MAX_ENTRIES = 1_000_000;
    /** The cache's {@code cull_frequency}. */
    public static final int CULL_FREQUENCY = 3;
    /** The number of working-set keys per size. */
    public static final int WORKING_SET = 1000;
    /** Keys per {@code get_many}/{@code set_many} call. */
    public static final int BATCH_SIZE = 100;
    /** Distinct batches; call {@code b} uses batch {@code b % BATCHES}. */
    public static final int BATCHES = 10;
    /** Keys per block of the add+delete phase. */
    public static final int ADD_BLOCK = 1000;
    /** The key of the counter phase. */
    public static final String COUNTER_KEY = "bench:counter";

    private static final long MULTIPLIER = 6364136223846793005L;
    private static final long INCREMENT = 1442695040888963407L;

    private static volatile String small;
    private static volatile List<String> large;

    private BenchWorkload() {
    }

    /**
     * {@code n} characters of the workload's generator: {@code x = seed}, then {@code n} times
     * {@code x = x * 6364136223846793005 + 1442695040888963407 (mod 2^64)} and emit
     * {@code ALPHABET[x >>> 58]}.
     */
    public static String gen(long seed, int n) {
        char[] out = new char[n];
        long x = seed;
        for (int i = 0; i < n; i++) {
            x = x * MULTIPLIER + INCREMENT;
            out[i] = ALPHABET.charAt((int) (x >>> 58));
        }
        return new String(out);
    }

    /** The small value: {@code gen(1, 100)}. */
    public static String smallValue() {
        String s = small;
        if (s == null) {
            s = gen(1, 100);
            small = s;
        }
        return s;
    }

    /** The large value: an immutable List of the 1000 Strings {@code gen(1000 + i, 100)}. */
    public static List<String> largeValue() {
        List<String> l = large;
        if (l == null) {
            List<String> b = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                b.add(gen(1000 + i, 100));
            }
            l = List.copyOf(b);
            large = l;
        }
        return l;
    }

    /** Working-set key {@code i} of {@code size}: {@code bench:{z}:{i:06d}}. */
    public static String key(BenchSize size, int i) {
        return "bench:" + size.letter() + ":" + pad(i, 6);
    }

    /** Add/delete key {@code j} of {@code size}: {@code bench:{z}:new:{j:08d}}. */
    public static String newKey(BenchSize size, long j) {
        return "bench:" + size.letter() + ":new:" + pad(j, 8);
    }

    /** The 100 keys of batch {@code b} (taken mod 10): working-set keys {@code (b*100 + t) % 1000}. */
    public static List<String> batch(BenchSize size, int b) {
        int base = Math.floorMod(b, BATCHES) * BATCH_SIZE;
        List<String> keys = new ArrayList<>(BATCH_SIZE);
        for (int t = 0; t < BATCH_SIZE; t++) {
            keys.add(key(size, (base + t) % WORKING_SET));
        }
        return List.copyOf(keys);
    }

    private static String pad(long n, int width) {
        if (n < 0) {
            throw new IllegalArgumentException("key number must not be negative: " + n);
        }
        String s = Long.toString(n);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
