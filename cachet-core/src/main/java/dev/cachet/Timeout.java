package dev.cachet;

import java.time.Duration;
import java.util.Objects;

/**
 * How long an entry stays readable: the cache's {@linkplain #DEFAULT default}, {@linkplain
 * #FOREVER forever}, or a duration. A zero or negative duration means "store nothing
 * readable" (as in Django): a {@code set} with it removes the key, and {@code touch} with it
 * expires the entry.
 *
 * <p>A timeout is resolved once, when the operation starts, into an absolute deadline.
 * Immutable and thread-safe.
 */
public final class Timeout {
    /** The cache's configured default timeout (300 seconds unless configured). */
    public static final Timeout DEFAULT = new Timeout(null, Kind.DEFAULT);
    /** Never expires (it may still be evicted or culled). */
    public static final Timeout FOREVER = new Timeout(null, Kind.FOREVER);

    private enum Kind { DEFAULT, FOREVER, DURATION }

    private final Duration duration;
    private final Kind kind;

    private Timeout(Duration duration, Kind kind) {
        this.duration = duration;
        this.kind = kind;
    }

    /** A timeout of {@code duration}; zero or negative means "store nothing readable". */
    public static Timeout of(Duration duration) {
        Objects.requireNonNull(duration, "timeout duration must not be null (use Timeout.FOREVER)");
        return new Timeout(duration, Kind.DURATION);
    }

    /** A timeout of {@code seconds} seconds; zero or negative means "store nothing readable". */
    public static Timeout ofSeconds(long seconds) {
        return of(Duration.ofSeconds(seconds));
    }

    /** A timeout of {@code millis} milliseconds; zero or negative means "store nothing readable". */
    public static Timeout ofMillis(long millis) {
        return of(Duration.ofMillis(millis));
    }

    /** True for {@link #DEFAULT}. */
    public boolean isDefault() {
        return kind == Kind.DEFAULT;
    }

    /** True for {@link #FOREVER}. */
    public boolean isForever() {
        return kind == Kind.FOREVER;
    }

    /** The duration, or {@code null} for {@link #DEFAULT} and {@link #FOREVER}. */
    public Duration duration() {
        return duration;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeout t && t.kind == kind && Objects.equals(t.duration, duration);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Objects.hashCode(duration);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "Timeout.DEFAULT";
            case FOREVER -> "Timeout.FOREVER";
            default -> "Timeout.of(" + duration + ")";
        };
    }
}
