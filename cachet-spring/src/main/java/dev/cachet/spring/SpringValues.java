package dev.cachet.spring;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.Map;

/**
 * Values as a Spring cache stores them in cachet. Everything is stored as it is ({@code null}
 * too: cachet stores a {@code null} as a value of its own, which every backend and codec round-trips,
 * and a stored {@code null} is a hit), except {@code Integer}, {@code Short} and {@code Byte}:
 * cachet stores integers as counters that read back as {@code Long}, which would hand a
 * {@code Long} to a cached method declared to return {@code int}. Those three travel in a small
 * envelope of JDK types (a map entry of a marker naming the type and the value), which every
 * codec accepts, and come back as the type that was stored.
 */
final class SpringValues {
    private static final String MARK = "\u0000cachet-spring:";
    private static final String INT = MARK + "int";
    private static final String SHORT = MARK + "short";
    private static final String BYTE = MARK + "byte";

    private SpringValues() {
    }

    /** What to store for {@code value}. */
    static Object toStore(Object value) {
        if (value instanceof Integer i) {
            return new SimpleImmutableEntry<>(INT, i.longValue());
        }
        if (value instanceof Short s) {
            return new SimpleImmutableEntry<>(SHORT, s.longValue());
        }
        if (value instanceof Byte b) {
            return new SimpleImmutableEntry<>(BYTE, b.longValue());
        }
        return value;
    }

    /** The value that {@link #toStore} turned into {@code stored}. */
    static Object fromStore(Object stored) {
        if (stored instanceof Map.Entry<?, ?> e && e.getKey() instanceof String k && k.startsWith(MARK)
                && e.getValue() instanceof Number n) {
            switch (k) {
                case INT: return n.intValue();
                case SHORT: return n.shortValue();
                case BYTE: return n.byteValue();
                default: return stored;
            }
        }
        return stored;
    }
}
