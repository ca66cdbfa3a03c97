package dev.cachet.cli.bench;

import java.util.Locale;

/**
 * The two value sizes of the seed workload: {@code small} (a 100-character String) and
 * {@code large} (a List of 1000 such Strings, about 100 KB). Each size has its own key space,
 * {@code bench:s:...} and {@code bench:l:...}.
 */
public enum BenchSize {
    /** The String {@code gen(1, 100)}. */
    SMALL('s'),
    /** A List of the 1000 Strings {@code gen(1000 + i, 100)}. */
    LARGE('l');

    private final char letter;

    BenchSize(char letter) {
        this.letter = letter;
    }

    /** The letter {@code z} in this size's keys ({@code s} or {@code l}). */
    public char letter() {
        return letter;
    }

    /** The name used on the command line and in reports: {@code small} or {@code large}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value every working-set key holds in this size's phase. */
    public Object value() {
        return this == SMALL ? BenchWorkload.smallValue() : BenchWorkload.largeValue();
    }

    /**
     * The size named {@code label} ({@code small} or {@code large}, any case).
     *
     * @throws IllegalArgumentException naming the known sizes
     */
    public static BenchSize parse(String label) {
        for (BenchSize s : values()) {
            if (s.label().equalsIgnoreCase(label.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown size '" + label + "'; known sizes: small, large");
    }
}
