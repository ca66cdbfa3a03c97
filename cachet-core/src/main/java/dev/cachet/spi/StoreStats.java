package dev.cachet.spi;

import java.util.List;
import java.util.Objects;

/**
 * Live figures a {@link Store} can give of itself, for {@code cachet stats} and monitoring:
 * measured when asked, never estimated. A figure the backend cannot know is {@link #UNKNOWN}.
 *
 * @param entries the readable entries the scope owns (expired ones not counted where the
 *     backend can tell them apart), or {@link #UNKNOWN}
 * @param bytes the bytes of those entries' values (what the store holds, after the core's
 *     compression and envelope), or {@link #UNKNOWN}
 * @param details further measured figures, in order, as name and value (e.g. a table's total
 *     rows and size on disk, each memcached node's state and counters); maybe empty
 */
public record StoreStats(long entries, long bytes, List<Detail> details) {
    /** A figure the backend cannot know. */
    public static final long UNKNOWN = -1;

    /** Nothing known: the default of {@link Store#stats(KeyScope)}. */
    public static final StoreStats NOTHING_KNOWN = new StoreStats(UNKNOWN, UNKNOWN, List.of());

    /** Checks the figures and copies the details. */
    public StoreStats {
        if (entries < UNKNOWN || bytes < UNKNOWN) {
            throw new IllegalArgumentException("entries and bytes are counts or UNKNOWN, not " + entries + " and " + bytes);
        }
        details = List.copyOf(Objects.requireNonNull(details, "details"));
    }

    /**
     * One named figure.
     *
     * @param name what it is, e.g. {@code table rows} or {@code node 127.0.0.1:11211}
     * @param value its value as text, e.g. {@code 1042} or {@code up, curr_items=12 bytes=3456}
     */
    public record Detail(String name, String value) {
        /** Checks both are present. */
        public Detail {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }
}
