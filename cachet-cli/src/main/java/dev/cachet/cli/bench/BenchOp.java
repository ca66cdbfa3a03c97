package dev.cachet.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operations of the seed workload, in the order they run: per size {@code set},
 * {@code get}, {@code has_key}, {@code set_many}, {@code get_many}, then {@code add} and
 * {@code delete} (timed together in the add+delete phase), and once at the end {@code incr}
 * (the counter phase, independent of the size).
 */
public enum BenchOp {
    /** {@code set} of working-set key {@code i % 1000} (an overwrite). */
    SET,
    /** {@code get} of working-set key {@code i % 1000} (a hit, checked). */
    GET,
    /** {@code has_key} of working-set key {@code i % 1000} (always true). */
    HAS_KEY,
    /** {@code set_many} of batch {@code b % 10} (100 keys per call). */
    SET_MANY,
    /** {@code get_many} of batch {@code b % 10} (100 hits per call, checked). */
    GET_MANY,
    /** {@code add} of a never-existing key (always succeeds); timed with {@link #DELETE}. */
    ADD,
    /** {@code delete} of a key just added (always deletes); timed with {@link #ADD}. */
    DELETE,
    /** {@code incr} of {@code bench:counter} by 1 (the final value is checked). */
    INCR;

    /** The name used on the command line and in reports, e.g. {@code set_many}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the operations timed once per size (all but {@link #INCR}). */
    public boolean perSize() {
        return this != INCR;
    }

    /**
     * The operation named {@code label} (e.g. {@code get_many}, any case, {@code -} for
     * {@code _}).
     *
     * @throws IllegalArgumentException naming the known operations
     */
    public static BenchOp parse(String label) {
        String l = label.trim().replace('-', '_');
        for (BenchOp op : values()) {
            if (op.label().equalsIgnoreCase(l)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation '" + label + "'; known operations: " + labels());
    }

    /** The labels of all operations, comma separated, in run order. */
    public static String labels() {
        List<String> out = new ArrayList<>();
        for (BenchOp op : values()) {
            out.add(op.label());
        }
        return String.join(",", out);
    }
}
