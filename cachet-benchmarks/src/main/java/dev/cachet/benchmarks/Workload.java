package dev.cachet.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The deterministic keys and values of the seed benchmark workload (docs/bench-workload.md). */
final class Workload {
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private Workload() {
    }

    /** {@code gen(seed, n)}: n characters from a 64-bit LCG, the top 6 bits of each step. */
    static String gen(long seed, int n) {
        long x = seed;
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            out[i] = ALPHABET.charAt((int) (x >>> 58));
        }
        return new String(out);
    }

    /** The small value: {@code gen(1, 100)}. */
    static String smallValue() {
        return gen(1, 100);
    }

    /** The large value: the 1000 strings {@code gen(1000 + i, 100)}. */
    static List<String> largeValue() {
        List<String> out = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            out.add(gen(1000 + i, 100));
        }
        return out;
    }

    /** The working-set keys {@code bench:{z}:{i:06d}}, i = 0..n-1. */
    static String[] keys(char z, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = String.format("bench:%c:%06d", z, i);
        }
        return out;
    }
}
