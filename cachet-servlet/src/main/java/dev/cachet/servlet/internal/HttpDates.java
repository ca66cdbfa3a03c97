package dev.cachet.servlet.internal;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 5.6.7): IMF-fixdate written; IMF-fixdate, RFC 850 and asctime read. The
 * day name is not checked against the date (a wrong one does not make a date unreadable).
 */
final class HttpDates {
    private static final DateTimeFormatter WRITE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 = new DateTimeFormatterBuilder().appendPattern("d-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.of(1970, 1, 1))
            .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.US)
            .withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** The instant in epoch millis, or {@code Long.MIN_VALUE} when {@code text} is null or no HTTP date. */
    static long parse(String text) {
        if (text == null) {
            return Long.MIN_VALUE;
        }
        String t = text.trim();
        int comma = t.indexOf(',');
        int space = t.indexOf(' ');
        String rest = comma > 0 && comma < 10 ? t.substring(comma + 1).trim() : space > 0 ? t.substring(space + 1).trim() : t;
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF, RFC850, ASCTIME}) {
            try {
                return ZonedDateTime.parse(rest, f).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Long.MIN_VALUE;
    }

    /** {@code millis} as an IMF-fixdate. */
    static String format(long millis) {
        return WRITE.format(java.time.Instant.ofEpochMilli(millis));
    }
}
