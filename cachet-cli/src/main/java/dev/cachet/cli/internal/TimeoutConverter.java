package dev.cachet.cli.internal;

import dev.cachet.Timeout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a {@code --timeout}: seconds ({@code 300}, {@code 0.5}), a duration with a unit
 * ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}), {@code forever} (or
 * {@code none}), or {@code default} (the cache's own). Zero or negative stores nothing
 * readable, as in Django.
 */
public final class TimeoutConverter implements ITypeConverter<Timeout> {
    @Override
    public Timeout convert(String value) {
        return parse(value);
    }

    /**
     * The timeout {@code text} describes.
     *
     * @throws TypeConversionException naming the accepted forms
     */
    public static Timeout parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "default":
                return Timeout.DEFAULT;
            case "forever":
            case "none":
                return Timeout.FOREVER;
            default:
                break;
        }
        long unitMillis = 1000;
        String num = t;
        String[][] units = {{"ms", "1"}, {"s", "1000"}, {"m", "60000"}, {"h", "3600000"}, {"d", "86400000"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                num = t.substring(0, t.length() - u[0].length()).trim();
                unitMillis = Long.parseLong(u[1]);
                break;
            }
        }
        try {
            BigDecimal millis = new BigDecimal(num).multiply(BigDecimal.valueOf(unitMillis));
            return Timeout.of(Duration.ofMillis(millis.setScale(0, RoundingMode.HALF_UP).longValueExact()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + text + "' is not a timeout: give seconds (300, 0.5), a duration"
                    + " with a unit (500ms, 10s, 5m, 2h, 1d), forever, or default");
        }
    }
}
