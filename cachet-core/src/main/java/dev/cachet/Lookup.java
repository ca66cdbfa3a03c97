package dev.cachet;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The result of reading one key: a hit (whose value may be {@code null}, because a stored
 * {@code null} is a real value) or a miss.
 *
 * <p>Instances are immutable and thread-safe. {@link #miss()} is a shared singleton.
 *
 * @param <T> the type of the value
 */
public final class Lookup<T> {
    private static final Lookup<?> MISS = new Lookup<>(false, null);

    private final boolean hit;
    private final T value;

    private Lookup(boolean hit, T value) {
        this.hit = hit;
        this.value = value;
    }

    /** A hit holding {@code value}, which may be {@code null}. */
    public static <T> Lookup<T> hit(T value) {
        return new Lookup<>(true, value);
    }

    /** The miss. */
    @SuppressWarnings("unchecked")
    public static <T> Lookup<T> miss() {
        return (Lookup<T>) MISS;
    }

    /** True when the key held a value (possibly {@code null}). */
    public boolean isHit() {
        return hit;
    }

    /** True when the key held nothing readable. */
    public boolean isMiss() {
        return !hit;
    }

    /**
     * The value of a hit (possibly {@code null}).
     *
     * @throws NoSuchElementException on a miss
     */
    public T value() {
        if (!hit) {
            throw new NoSuchElementException("cache miss: there is no value");
        }
        return value;
    }

    /** The value of a hit (possibly {@code null}), or {@code other} on a miss. */
    public T orElse(T other) {
        return hit ? value : other;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lookup<?> l && l.hit == hit && Objects.equals(l.value, value);
    }

    @Override
    public int hashCode() {
        return hit ? 31 + Objects.hashCode(value) : 0;
    }

    @Override
    public String toString() {
        return hit ? "Lookup.hit(" + value + ")" : "Lookup.miss()";
    }
}
