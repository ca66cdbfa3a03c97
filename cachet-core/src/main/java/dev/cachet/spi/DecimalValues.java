package dev.cachet.spi;

import dev.cachet.NotAnIntegerException;
import java.nio.charset.StandardCharsets;

/**
 * The entry format's integers: plain ASCII decimal ({@code -?[0-9]+}, no envelope), so that
 * servers can increment them natively. Stores that implement {@link Store#incr} in Java use
 * these to read and write them.
 */
public final class DecimalValues {
    private DecimalValues() {
    }

    /** The plain-decimal bytes of {@code n}. */
    public static byte[] bytes(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** True when {@code b} is a plain decimal integer that fits a {@code long}. */
    public static boolean isDecimal(byte[] b) {
        if (b == null || b.length == 0 || b.length > 20) {
            return false;
        }
        int i = b[0] == '-' ? 1 : 0;
        if (i == b.length) {
            return false;
        }
        for (; i < b.length; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        try {
            Long.parseLong(new String(b, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The integer in {@code b}.
     *
     * @throws NotAnIntegerException when {@code b} is not a plain decimal integer
     */
    public static long parse(byte[] b) {
        if (!isDecimal(b)) {
            throw new NotAnIntegerException("value is not a plain decimal integer");
        }
        return Long.parseLong(new String(b, StandardCharsets.US_ASCII));
    }
}
