package dev.cachet.internal.entry;

import static dev.cachet.internal.entry.CompactFormat.*;

import dev.cachet.CacheException;
import dev.cachet.internal.Stamped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.Deflater;

/**
 * Private copies of values for local memory by value, without encoding them: what
 * {@link CompactCodec} writes in its own format is copied instead (mutable containers, arrays
 * and {@code Date}s copied; immutable values shared; an immutable collection or a record shared
 * when everything in it is), and every other value is encoded through the entry format and
 * decoded on the way out. The rules are the codec's, so a cache by copy behaves as one by
 * encoding: the same values accepted and refused (an enum or record class outside the
 * allow-list, a class the JDK's serialization refuses: an {@link IllegalArgumentException} at
 * {@link #copyIn}), and what {@link #copyOut} returns is of the class and equal to what a decode
 * would return (an {@code ArrayList} stays an {@code ArrayList}, {@code List.of} stays
 * immutable, a {@code TreeMap} keeps natural order). A graph the codec leaves to JDK
 * serialization (a mutable container reached twice, shared or cyclic, nesting beyond
 * {@value CompactFormat#MAX_DEPTH}, any class outside the format) is held encoded.
 *
 * <p>Neither the caller's value nor a value returned is ever the held copy, where it can be
 * mutated: a change to either after the call does not reach the cache. Thread-safe.
 */
public final class ValueCopier {
    /** Marks a value {@link Run} cannot copy (left to the entry format). */
    private static final Object GIVE_UP = new Object();

    private final String cacheName;
    private final EntryFormat format;
    private final JavaSerializationCodec java;

    /** A copier with {@code codec}'s rules and allow-list, for the cache named {@code cacheName}. */
    public ValueCopier(String cacheName, CompactCodec codec) {
        this.cacheName = cacheName;
        this.format = new EntryFormat(codec, false, Long.MAX_VALUE, Deflater.BEST_SPEED); // never deflates
        this.java = codec.java();
    }

    /** What is held for a value the copier leaves to the entry format: its bytes. */
    public static final class Encoded {
        private final byte[] bytes;
        private final String typeName;

        private Encoded(byte[] bytes, String typeName) {
            this.bytes = bytes;
            this.typeName = typeName;
        }

        /** The class name of the value encoded. */
        public String typeName() {
            return typeName;
        }
    }

    /**
     * What to hold for {@code value} (maybe a {@link Stamped}): a private copy, or an
     * {@link Encoded} of it.
     *
     * @throws IllegalArgumentException when the codec refuses the value (nothing is held)
     */
    public Object copyIn(Object value) {
        if (value instanceof Stamped s) {
            Object v = new Run(true).copy(s.value(), 0);
            if (v == GIVE_UP) {
                return new Encoded(format.encode(s), s.value().getClass().getName());
            }
            return v == s.value() ? s : restamp(s, v);
        }
        Object v = new Run(true).copy(value, 0);
        return v != GIVE_UP ? v : new Encoded(format.encode(value), value.getClass().getName());
    }

    /**
     * A copy of {@code held} (what {@link #copyIn} returned) for a reader.
     *
     * @throws CacheException when a value held encoded cannot be decoded (its class'
     *     deserialization failed); the entry stays
     */
    public Object copyOut(Object held) {
        if (held instanceof Encoded e) {
            try {
                return format.decode(e.bytes);
            } catch (Exception | LinkageError x) {
                throw new CacheException(cacheName, "a value of class " + e.typeName + " this cache holds could not be"
                        + " decoded: " + x, x);
            }
        }
        Object raw = held instanceof Stamped s ? s.value() : held;
        Object v = new Run(false).copy(raw, 0);
        if (v == GIVE_UP) {
            // a record whose constructor took its components when stored refused them now
            throw new CacheException(cacheName, "a value of class " + raw.getClass().getName() + " this cache holds"
                    + " could not be copied (its record constructor refused the components)", null);
        }
        if (held instanceof Stamped s) {
            return v == raw ? s : restamp(s, v);
        }
        return v;
    }

    /** Whether {@code held} holds a value equal to {@code expected} (by {@code equals}, or by the bytes it encodes to). */
    public boolean matches(Object held, Object expected) {
        if (held instanceof Encoded e) {
            try {
                return Arrays.equals(e.bytes, format.encode(expected));
            } catch (IllegalArgumentException refused) {
                return false;
            }
        }
        return Objects.deepEquals(held, expected);
    }

    private static Stamped restamp(Stamped s, Object value) {
        return new Stamped(value, s.expiresAt(), s.freshUntil(), s.computeMillis(), s.tags(), s.tagVersions());
    }

    /** One copy of one value graph; {@code track}: give up on a mutable container reached twice (the caller's graph). */
    private final class Run {
        private final boolean track;
        private Object firstContainer;
        private IdentityHashMap<Object, Boolean> containers;

        Run(boolean track) {
            this.track = track;
        }

        /** The copy of {@code v} (itself when immutable), or {@link #GIVE_UP}. */
        Object copy(Object v, int depth) {
            if (v == null) {
                return null;
            }
            if (depth > MAX_DEPTH) {
                return GIVE_UP;
            }
            Class<?> c = v.getClass();
            if (c == String.class || c == Long.class || c == Integer.class || c == Boolean.class || c == Double.class) {
                return v;
            }
            if (c == ArrayList.class) {
                Collection<?> src = (Collection<?>) v;
                return fill(v, new ArrayList<>(src.size()), src, depth);
            }
            if (c == LinkedList.class) {
                return fill(v, new LinkedList<>(), (Collection<?>) v, depth);
            }
            if (IMMUTABLE_LISTS.contains(c)) {
                Object[] a = elements((Collection<?>) v, depth);
                return a == null ? GIVE_UP : a == NONE_CHANGED ? v
                        : Arrays.stream(a).anyMatch(x -> x == null) ? Arrays.stream(a).toList() : List.of(a);
            }
            if (c == HashMap.class || c == LinkedHashMap.class || (c == TreeMap.class && ((TreeMap<?, ?>) v).comparator() == null)) {
                Map<?, ?> src = (Map<?, ?>) v;
                Map<Object, Object> dst = c == HashMap.class ? new HashMap<>(capacity(src.size()))
                        : c == LinkedHashMap.class ? new LinkedHashMap<>(capacity(src.size())) : new TreeMap<>();
                return fill(v, dst, src, depth);
            }
            if (IMMUTABLE_MAPS.contains(c)) {
                return immutableMap((Map<?, ?>) v, depth);
            }
            if (c == HashSet.class || c == LinkedHashSet.class || (c == TreeSet.class && ((TreeSet<?>) v).comparator() == null)) {
                Collection<?> src = (Collection<?>) v;
                Collection<Object> dst = c == HashSet.class ? new HashSet<>(capacity(src.size()))
                        : c == LinkedHashSet.class ? new LinkedHashSet<>(capacity(src.size())) : new TreeSet<>();
                return fill(v, dst, src, depth);
            }
            if (IMMUTABLE_SETS.contains(c)) {
                Object[] a = elements((Collection<?>) v, depth);
                return a == null ? GIVE_UP : a == NONE_CHANGED ? v : Set.of(a);
            }
            if (c.isArray()) {
                return array(v, c, depth);
            }
            if (c.isRecord()) {
                return record(v, c, depth);
            }
            if (c.isEnum() || (c.getSuperclass() != null && c.getSuperclass().isEnum())) {
                return allowedUserType(((Enum<?>) v).getDeclaringClass(), java) ? v : GIVE_UP;
            }
            return scalar(v, c);
        }

        private Object scalar(Object v, Class<?> c) {
            if (c == Short.class || c == Byte.class || c == Character.class || c == Float.class
                    || c == BigInteger.class || c == BigDecimal.class || c == java.util.UUID.class
                    || c == Instant.class || c == Duration.class || c == LocalDate.class || c == LocalTime.class
                    || c == LocalDateTime.class) {
                return v;
            }
            if (c == Date.class) {
                return new Date(((Date) v).getTime());
            }
            return GIVE_UP;
        }

        private Object array(Object v, Class<?> c, int depth) {
            if (!enter(v)) {
                return GIVE_UP;
            }
            if (c == byte[].class) {
                return ((byte[]) v).clone();
            } else if (c == int[].class) {
                return ((int[]) v).clone();
            } else if (c == long[].class) {
                return ((long[]) v).clone();
            } else if (c == double[].class) {
                return ((double[]) v).clone();
            } else if (c == String[].class) {
                return ((String[]) v).clone();
            } else if (c == Object[].class) {
                Object[] src = (Object[]) v;
                Object[] dst = new Object[src.length];
                for (int i = 0; i < src.length; i++) {
                    Object x = copy(src[i], depth + 1);
                    if (x == GIVE_UP) {
                        return GIVE_UP;
                    }
                    dst[i] = x;
                }
                return dst;
            }
            return GIVE_UP;
        }

        private Object fill(Object v, Collection<Object> dst, Collection<?> src, int depth) {
            if (!enter(v)) {
                return GIVE_UP;
            }
            int n = 0;
            for (Object x : src) {
                Object y = copy(x, depth + 1);
                if (y == GIVE_UP) {
                    return GIVE_UP;
                }
                dst.add(y);
                n++;
            }
            return n == src.size() ? dst : GIVE_UP; // changed while copied: leave it to the JDK's own checks
        }

        private Object fill(Object v, Map<Object, Object> dst, Map<?, ?> src, int depth) {
            if (!enter(v)) {
                return GIVE_UP;
            }
            int n = 0;
            for (Map.Entry<?, ?> e : src.entrySet()) {
                Object k = copy(e.getKey(), depth + 1);
                Object x = k == GIVE_UP ? GIVE_UP : copy(e.getValue(), depth + 1);
                if (x == GIVE_UP) {
                    return GIVE_UP;
                }
                dst.put(k, x);
                n++;
            }
            return n == src.size() ? dst : GIVE_UP;
        }

        /** The copies of an immutable collection's elements, {@link #NONE_CHANGED} when each is itself, or null to give up. */
        private Object[] elements(Collection<?> src, int depth) {
            Object[] a = src.toArray();
            boolean changed = false;
            for (int i = 0; i < a.length; i++) {
                Object x = copy(a[i], depth + 1);
                if (x == GIVE_UP) {
                    return null;
                }
                changed |= x != a[i];
                a[i] = x;
            }
            return changed ? a : NONE_CHANGED;
        }

        private Object immutableMap(Map<?, ?> src, int depth) {
            @SuppressWarnings("unchecked")
            Map.Entry<Object, Object>[] entries = new Map.Entry[src.size()];
            boolean changed = false;
            int i = 0;
            for (Map.Entry<?, ?> e : src.entrySet()) {
                Object k = copy(e.getKey(), depth + 1);
                Object x = k == GIVE_UP ? GIVE_UP : copy(e.getValue(), depth + 1);
                if (x == GIVE_UP) {
                    return GIVE_UP;
                }
                changed |= k != e.getKey() || x != e.getValue();
                entries[i++] = Map.entry(k, x);
            }
            return changed ? Map.ofEntries(entries) : src;
        }

        private Object record(Object v, Class<?> c, int depth) {
            RecordShape shape = CompactFormat.shape(c);
            if (shape == null || !allowedUserType(c, java)) {
                return GIVE_UP;
            }
            Object[] components = new Object[shape.accessors.length];
            boolean changed = false;
            for (int i = 0; i < components.length; i++) {
                Object component;
                try {
                    component = shape.accessors[i].invoke(v);
                } catch (Throwable t) {
                    return GIVE_UP;
                }
                Object x = copy(component, depth + 1);
                if (x == GIVE_UP) {
                    return GIVE_UP;
                }
                changed |= x != component;
                components[i] = x;
            }
            if (!changed) {
                return v; // a record of immutable values is immutable
            }
            try {
                return shape.constructor.newInstance(components);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return GIVE_UP;
            }
        }

        /** False when {@code container} was reached before in this graph (shared or a cycle), tracked only for the caller's graph. */
        private boolean enter(Object container) {
            if (!track) {
                return true;
            }
            if (firstContainer == null) {
                firstContainer = container;
                return true;
            }
            if (containers == null) {
                containers = new IdentityHashMap<>();
                containers.put(firstContainer, Boolean.TRUE);
            }
            return containers.put(container, Boolean.TRUE) == null;
        }
    }

    /** Marks an immutable collection whose elements all copied to themselves. */
    private static final Object[] NONE_CHANGED = new Object[0];
}
