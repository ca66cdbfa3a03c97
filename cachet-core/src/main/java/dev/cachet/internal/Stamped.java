package dev.cachet.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * A value with the metadata the fresh-data pipeline and tags keep in its entry: the physical
 * deadline, the logical expiry, the last load's duration, and the tags with the versions they
 * had when it was written. The entry format stores it in the envelope; local memory holds it by
 * reference. Plain reads return {@link #value()}; an entry written without metadata reads as a
 * plain value. Immutable.
 */
public final class Stamped {
    private static final String[] NO_TAGS = new String[0];
    private static final long[] NO_VERSIONS = new long[0];

    private final Object value;
    private final long expiresAt;
    private final long freshUntil;
    private final int computeMillis;
    private final String[] tags;
    private final long[] tagVersions;

    /**
     * @param value the cached value (normalized: integers as {@code Long})
     * @param expiresAt the physical deadline (epoch millis, {@link dev.cachet.spi.Store#NEVER} for none)
     * @param freshUntil the logical expiry (epoch millis, at most {@code expiresAt})
     * @param computeMillis how long the load that produced it took, in millis (0 when unknown)
     * @param tags the entry's tags (may be empty), {@code tagVersions} their versions at write time
     */
    public Stamped(Object value, long expiresAt, long freshUntil, int computeMillis, String[] tags,
            long[] tagVersions) {
        if (value instanceof Stamped) {
            throw new IllegalArgumentException("a stamped value cannot hold another");
        }
        this.value = value;
        this.expiresAt = expiresAt;
        this.freshUntil = Math.min(freshUntil, expiresAt);
        this.computeMillis = Math.max(0, computeMillis);
        this.tags = tags == null ? NO_TAGS : tags;
        this.tagVersions = tagVersions == null ? NO_VERSIONS : tagVersions;
        if (this.tags.length != this.tagVersions.length) {
            throw new IllegalArgumentException(this.tags.length + " tags but " + this.tagVersions.length + " versions");
        }
        if (this.tags.length > 0xffff) {
            throw new IllegalArgumentException("an entry holds at most 65535 tags, not " + this.tags.length);
        }
    }

    /** An untagged stamp. */
    public static Stamped of(Object value, long expiresAt, long freshUntil, int computeMillis) {
        return new Stamped(value, expiresAt, freshUntil, computeMillis, null, null);
    }

    public Object value() {
        return value;
    }

    public long expiresAt() {
        return expiresAt;
    }

    public long freshUntil() {
        return freshUntil;
    }

    public int computeMillis() {
        return computeMillis;
    }

    /** The tags (do not modify). */
    public String[] tags() {
        return tags;
    }

    /** The tags' versions at write time, index for index (do not modify). */
    public long[] tagVersions() {
        return tagVersions;
    }

    public boolean isTagged() {
        return tags.length > 0;
    }

    /** This stamp with another logical expiry (and the same value, deadline and tags). */
    public Stamped withFreshUntil(long newFreshUntil) {
        return new Stamped(value, expiresAt, newFreshUntil, computeMillis, tags, tagVersions);
    }

    /** The plain value of whatever a store returned: a stamp's value, or {@code stored} itself. */
    public static Object unwrap(Object stored) {
        return stored instanceof Stamped s ? s.value : stored;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Stamped s && Objects.deepEquals(value, s.value) && expiresAt == s.expiresAt
                && freshUntil == s.freshUntil && computeMillis == s.computeMillis && Arrays.equals(tags, s.tags)
                && Arrays.equals(tagVersions, s.tagVersions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expiresAt, freshUntil, computeMillis, Arrays.hashCode(tags));
    }

    @Override
    public String toString() {
        return "Stamped[fresh until " + freshUntil + ", expires " + expiresAt + ", computed in " + computeMillis
                + " ms, tags " + Arrays.toString(tags) + "]";
    }
}
