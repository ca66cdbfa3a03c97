package dev.cachet;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one parser of option values, behind {@link CacheConfig}'s typed accessors: every backend
 * reads integers, decimals, booleans, sizes, durations and choices through it, so one spelling
 * means one thing everywhere. Each failure is an {@link IllegalArgumentException} naming the
 * cache, the option and the value.
 */
final class OptionParser {
    private static final String[] UNITS = {"ms", "s", "m", "h", "d"};
    private static final long[] UNIT_MILLIS = {1, 1_000, 60_000, 3_600_000, 86_400_000};

    private final String cacheName;
    private final String option;
    private final String value;

    OptionParser(String cacheName, String option, String value) {
        this.cacheName = cacheName;
        this.option = option;
        this.value = value;
    }

    long integer(long min, long max) {
        long n;
        try {
            n = Long.parseLong(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw bad("must be an integer");
        }
        if (n < min || n > max) {
            throw bad("must be between " + min + " and " + max);
        }
        return n;
    }

    double decimal(double min, double max) {
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) {
            throw bad("must be a number from " + plain(min) + " to " + plain(max));
        }
        return d;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    boolean bool() {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad("must be true or false (also yes/no, on/off, 1/0)");
        };
    }

    long bytes() {
        String t = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> { }
            }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            throw bad("must be a size in bytes such as 4096, 64k or 1m");
        }
        if (n < 0) {
            throw bad("must not be negative");
        }
        try {
            return Math.multiplyExact(n, mult);
        } catch (ArithmeticException e) {
            throw bad("must be a size in bytes such as 4096, 64k or 1m");
        }
    }

    /** A duration that may be zero or negative (the {@code timeout} option: store nothing readable). */
    Duration signedDuration() {
        return Duration.ofMillis(millis(forms(false)));
    }

    Duration duration(boolean zeroAllowed) {
        String forms = forms(zeroAllowed);
        long millis = millis(forms);
        if (millis < 0 || (millis == 0 && !zeroAllowed)) {
            throw bad("must be positive; " + forms);
        }
        return Duration.ofMillis(millis);
    }

    private static String forms(boolean zeroAllowed) {
        return "must be seconds (e.g. 300, 0.5) or a duration with a unit (500ms, 10s, 5m, 2h, 1d)"
                + (zeroAllowed ? ", or 0 for off" : "");
    }

    private long millis(String forms) {
        String t = value.trim().toLowerCase(Locale.ROOT);
        String num = t;
        long unitMillis = 1000;
        for (int i = 0; i < UNITS.length; i++) {
            if (t.endsWith(UNITS[i]) && !(UNITS[i].equals("s") && t.endsWith("ms"))) {
                num = t.substring(0, t.length() - UNITS[i].length()).trim();
                unitMillis = UNIT_MILLIS[i];
                break;
            }
        }
        try {
            BigDecimal d = new BigDecimal(num).multiply(BigDecimal.valueOf(unitMillis));
            return d.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(forms);
        }
    }

    <E extends Enum<E>> E choice(Class<E> type) {
        String t = value.trim();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(t)) {
                return e;
            }
        }
        throw bad("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException("cache '" + cacheName + "': option " + option + "='" + value + "' " + problem);
    }
}
