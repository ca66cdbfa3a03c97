package dev.cachet.internal.entry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A cheap guess at how far deflate would shrink a payload, from its first {@value #SAMPLE}
 * bytes, so that near-incompressible data (already compressed, encrypted, random, base64) is
 * not deflated for nothing. It runs a greedy LZ-style match search (4-byte sequences repeated
 * within the sample; it strides faster through long stretches without repeats, as LZ4 does) and
 * takes the order-0 entropy of the bytes: the estimate is the entropy-coded size of the bytes no
 * match covers plus {@value #MATCH_BYTES} bytes per match. Calibrated against zlib at level 1 on
 * random bytes, gzip output, base64 and hex text, words, JSON, HTML, Cyrillic UTF-8 and
 * serialized ints (within about 0.1 of deflate's ratio on each; {@code CompressibilityTest}).
 * Deflating a 1 KiB sample instead took 13-18 µs per large write (zlib's reset and set-up);
 * this takes a few.
 *
 * <p>A guess only decides whether to try: a payload that deflate does not make smaller is still
 * stored as is.
 */
final class Compressibility {
    /** Bytes of the payload the guess reads. */
    static final int SAMPLE = 2048;

    /** What one match is assumed to cost once deflated (a length and a distance code). */
    static final double MATCH_BYTES = 2.0;

    /** The largest guessed ratio (compressed / original) for which deflating is worth its time. */
    static final double WORTH = 0.6;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int HASH_BITS = 10;

    /** {@code c * log2(c)} for every count a sample can hold. */
    private static final double[] C_LOG2_C = new double[SAMPLE + 1];

    static {
        for (int c = 1; c <= SAMPLE; c++) {
            C_LOG2_C[c] = c * (Math.log(c) / Math.log(2));
        }
    }

    private Compressibility() {
    }

    /** Whether deflating the {@code len} bytes at {@code off} is guessed to leave {@value #WORTH} of them or less. */
    static boolean worthDeflating(byte[] b, int off, int len) {
        return ratio(b, off, len) <= WORTH;
    }

    /** The guessed ratio of deflated to original size of the {@code len} bytes at {@code off} (0 for none). */
    static double ratio(byte[] b, int off, int len) {
        int n = Math.min(len, SAMPLE);
        if (n <= 0) {
            return 0;
        }
        int[] table = new int[1 << HASH_BITS]; // the last position + 1 of each hashed 4-byte sequence
        int i = 0;
        int matched = 0;
        int matches = 0;
        int misses = 0;
        while (i + 4 <= n) {
            int p = off + i;
            int seq = (int) INT.get(b, p);
            int h = (seq * 0x9E3779B1) >>> (32 - HASH_BITS);
            int candidate = table[h] - 1;
            table[h] = i + 1;
            if (candidate >= 0 && (int) INT.get(b, off + candidate) == seq) {
                int q = off + candidate;
                int m = 4;
                while (i + m < n && b[q + m] == b[p + m]) {
                    m++;
                }
                matches++;
                matched += m;
                i += m;
                misses = 0;
            } else {
                i += 1 + (misses++ >> 5); // stride faster the longer nothing repeats
            }
        }
        int[] counts = new int[256];
        for (int k = off, end = off + n; k < end; k++) {
            counts[b[k] & 0xff]++;
        }
        double bits = C_LOG2_C[n];
        for (int c : counts) {
            bits -= C_LOG2_C[c];
        }
        double literalBytes = bits / 8 * (n - matched) / n;
        return (literalBytes + matches * MATCH_BYTES) / n;
    }
}
