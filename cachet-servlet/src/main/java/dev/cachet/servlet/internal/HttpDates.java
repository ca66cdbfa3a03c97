package dev.cachet.servlet.internal;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP dates (RFC 9110 5.6.7): IMF-fixdate written, IMF-fixdate, RFC 850 and asctime read. */
final class HttpDates {
    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter RFC850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US)
            .withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** The instant in epoch millis, or {@code Long.MIN_VALUE} when {@code text} is null or no HTTP date. */
    static long parse(String text) {
        if (text == null) {
            return Long.MIN_VALUE;
        }
        String t = text.trim();
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF, RFC850, ASCTIME}) {
            try {
                ZonedDateTime z = ZonedDateTime.parse(t, f);
                if (f == RFC850 && z.getYear() > ZonedDateTime.now(ZoneOffset.UTC).getYear() + 50) {
                    z = z.minusYears(100); // RFC 9110: a two-digit year more than 50 years ahead is in the past
                }
                return z.toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Long.MIN_VALUE;
    }

    /** {@code millis} as an IMF-fixdate. */
    static String format(long millis) {
        return IMF.format(java.time.Instant.ofEpochMilli(millis));
    }
}
