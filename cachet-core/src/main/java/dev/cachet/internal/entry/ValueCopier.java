package dev.cachet.internal.entry;

import static dev.cachet.internal.entry.CompactFormat.*;

import dev.cachet.UnreadableValue;
import dev.cachet.internal.FailureLog;
import dev.cachet.internal.KeyPolicy;
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
 * {@link CompactCodec} writes in its own format is copied instead, built as its reader would
 * build it (containers, arrays, {@code Date}s and records built anew around copies; immutable
 * leaves, the Strings, boxed numbers, {@code java.time} values and enum constants, shared),
 * and every other value is encoded through the entry format and decoded on the way out. The
 * rules are the codec's, so a cache by copy behaves as one by encoding: the same values
 * accepted and refused (an enum or record class outside the allow-list, a class the JDK's
 * serialization refuses: an {@link IllegalArgumentException} at {@link #copyIn}), and what
 * {@link #copyOut} returns is of the class and equal to what a decode would return (an
 * {@code ArrayList} stays an {@code ArrayList}, {@code List.of} stays immutable, a
 * {@code TreeMap} keeps natural order, a record is rebuilt by its canonical constructor from
 * what its accessors return). A graph the codec leaves to JDK serialization (a mutable
 * container reached twice, shared or cyclic, nesting beyond {@value CompactFormat#MAX_DEPTH},
 * any class outside the format) is held encoded. One difference, on purpose: a String is kept
 * exactly, where the codec's UTF-8 turns an unpaired surrogate into {@code '?'}.
 *
 * <p>Neither the caller's value nor a value returned is ever the held copy, where it can be
 * mutated: a change to either after the call does not reach the cache. A held value that cannot
 * be read back (its class' deserialization or its record constructor fails) is an
 * {@link UnreadableException}: the store reads it as a miss and keeps it, and
 * {@link #unreadable} logs it as the encoded path logs an entry it cannot decode. Thread-safe.
 */
public final class ValueCopier {
    /** Marks a value {@link Run} cannot copy (left to the entry format). */
    private static final Object GIVE_UP = new Object();

    private final EntryFormat format;
    private final JavaSerializationCodec java;
    private final KeyPolicy keys;
    private final FailureLog log;

    /** A copier with {@code codec}'s rules and allow-list, showing keys by {@code keys} in what it logs to {@code log}. */
    public ValueCopier(CompactCodec codec, KeyPolicy keys, FailureLog log) {
        this.format = new EntryFormat(codec, false, Long.MAX_VALUE, Deflater.BEST_SPEED); // never deflates
        this.java = codec.java();
        this.keys = keys;
        this.log = log;
    }

    /** A held value that cannot be read back. */
    public static final class UnreadableException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String className;
        private final long size;

        UnreadableException(String className, long size, String reason, Throwable cause) {
            super(reason, cause, false, false);
            this.className = className;
            this.size = size;
        }
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
     * @throws UnreadableException when the held value cannot be read back (a value held
     *     encoded whose decode fails, a record whose constructor refuses its components now)
     */
    public Object copyOut(Object held) {
        if (held instanceof Encoded e) {
            try {
                return format.decode(e.bytes);
            } catch (Exception | LinkageError x) {
                throw new UnreadableException(e.typeName, e.bytes.length, "its decode failed: " + x, x);
            }
        }
        Object raw = held instanceof Stamped s ? s.value() : held;
        Object v = new Run(false).copy(raw, 0);
        if (v == GIVE_UP) {
            throw new UnreadableException(raw.getClass().getName(), 0, "it could not be copied (a record constructor"
                    + " refused its components)", null);
        }
        if (held instanceof Stamped s) {
            return v == raw ? s : restamp(s, v);
        }
        return v;
    }

    /** Logs that the value held under {@code storedKey} could not be read back (it reads as a miss and stays). */
    public void unreadable(String storedKey, UnreadableException e) {
        log.unreadableEntry(new UnreadableValue(keys.shown(storedKey), "compact", e.className, e.size, e.getMessage()));
    }

    /**
     * Whether {@code held} holds a value equal to {@code expected}: by {@code equals} (arrays by
     * content) for a copy, by the bytes it encodes to for a value held encoded.
     */
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
            if (depth > MAX_DEPTH) {
                return GIVE_UP; // as the writer, which checks the depth before anything, null included
            }
            if (v == null) {
                return null;
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
                // built as the reader builds it (a Stream.toList() list without nulls becomes List.of's)
                return a == null ? GIVE_UP : Arrays.stream(a).anyMatch(x -> x == null) ? Arrays.stream(a).toList() : List.of(a);
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
                try {
                    return a == null ? GIVE_UP : Set.of(a);
                } catch (IllegalArgumentException duplicate) {
                    return GIVE_UP; // elements changed to equal ones after the set was built: as the writer, to the JDK
                }
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
                // the writer writes each element one level down, so a non-empty array there is too deep
                return ((String[]) v).length > 0 && depth + 1 > MAX_DEPTH ? GIVE_UP : ((String[]) v).clone();
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

        /** The copies of an immutable collection's elements, or null to give up. */
        private Object[] elements(Collection<?> src, int depth) {
            Object[] a = src.toArray();
            for (int i = 0; i < a.length; i++) {
                Object x = copy(a[i], depth + 1);
                if (x == GIVE_UP) {
                    return null;
                }
                a[i] = x;
            }
            return a;
        }

        private Object immutableMap(Map<?, ?> src, int depth) {
            @SuppressWarnings("unchecked")
            Map.Entry<Object, Object>[] entries = new Map.Entry[src.size()];
            int i = 0;
            for (Map.Entry<?, ?> e : src.entrySet()) {
                Object k = copy(e.getKey(), depth + 1);
                Object x = k == GIVE_UP ? GIVE_UP : copy(e.getValue(), depth + 1);
                if (x == GIVE_UP || i == entries.length) {
                    return GIVE_UP;
                }
                entries[i++] = Map.entry(k, x);
            }
            try {
                return i == entries.length ? Map.ofEntries(entries) : GIVE_UP;
            } catch (IllegalArgumentException duplicate) {
                return GIVE_UP;
            }
        }

        private Object record(Object v, Class<?> c, int depth) {
            RecordShape shape = CompactFormat.shape(c);
            if (shape == null || !allowedUserType(c, java)) {
                return GIVE_UP;
            }
            // rebuilt, as the reader rebuilds it: an accessor need not return the field itself, so a
            // record whose components copy to themselves may still hold something the caller can change
            Object[] components = new Object[shape.accessors.length];
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
                components[i] = x;
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
}
