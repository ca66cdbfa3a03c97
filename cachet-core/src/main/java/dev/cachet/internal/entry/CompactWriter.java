package dev.cachet.internal.entry;

import static dev.cachet.internal.entry.CompactFormat.*;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes one value in {@link CompactFormat}, or gives up (returns null) when the graph holds
 * something the format leaves to JDK serialization. Not thread-safe: one per encode; its buffer is
 * reused per thread up to {@value #KEPT} bytes.
 */
final class CompactWriter {
    private static final int KEPT = 1 << 20;
    private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<>();

    /** Thrown (without a stack trace) to leave the whole value to JDK serialization. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    private static final GiveUp GIVE_UP = new GiveUp();

    private final JavaSerializationCodec java;
    private byte[] buf;
    private int pos;
    private IdentityHashMap<Object, Boolean> containers;
    private IdentityHashMap<Class<?>, Integer> classes;

    private CompactWriter(JavaSerializationCodec java, byte[] buf) {
        this.java = java;
        this.buf = buf;
    }

    /**
     * The compact bytes of {@code value} after {@code room} zero bytes left for the caller, or
     * null when JDK serialization must write it.
     */
    static byte[] tryWrite(Object value, JavaSerializationCodec java, int room) {
        byte[] kept = BUFFER.get();
        BUFFER.set(null); // taken: an encode nested in this one (a record accessor's) gets a buffer of its own
        CompactWriter w = new CompactWriter(java, kept != null && kept.length > room ? kept : new byte[4096 + room]);
        Arrays.fill(w.buf, 0, room, (byte) 0);
        w.pos = room;
        try {
            w.write(value, 0);
        } catch (GiveUp e) {
            return null;
        } finally {
            if (w.buf.length <= KEPT) {
                BUFFER.set(w.buf);
            }
        }
        return Arrays.copyOf(w.buf, w.pos);
    }

    private void write(Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw GIVE_UP;
        }
        if (v == null) {
            tag(NULL);
            return;
        }
        Class<?> c = v.getClass();
        if (c == String.class) {
            string((String) v);
        } else if (c == Integer.class) {
            tag(INT);
            varlong(zigzag((Integer) v));
        } else if (c == Long.class) {
            tag(LONG);
            varlong(zigzag((Long) v));
        } else if (c == Boolean.class) {
            tag((Boolean) v ? TRUE : FALSE);
        } else if (c == Double.class) {
            tag(DOUBLE);
            fixed(Double.doubleToRawLongBits((Double) v), 8);
        } else if (c == ArrayList.class || c == LinkedList.class || IMMUTABLE_LISTS.contains(c)) {
            collection(c == ArrayList.class ? ARRAY_LIST : c == LinkedList.class ? LINKED_LIST : IMMUTABLE_LIST,
                    (Collection<?>) v, depth);
        } else if (c == HashMap.class || c == LinkedHashMap.class || IMMUTABLE_MAPS.contains(c)
                || (c == TreeMap.class && ((TreeMap<?, ?>) v).comparator() == null)) {
            map(c == HashMap.class ? HASH_MAP : c == LinkedHashMap.class ? LINKED_HASH_MAP
                    : c == TreeMap.class ? TREE_MAP : IMMUTABLE_MAP, (Map<?, ?>) v, depth);
        } else if (c == HashSet.class || c == LinkedHashSet.class || IMMUTABLE_SETS.contains(c)
                || (c == TreeSet.class && ((TreeSet<?>) v).comparator() == null)) {
            collection(c == HashSet.class ? HASH_SET : c == LinkedHashSet.class ? LINKED_HASH_SET
                    : c == TreeSet.class ? TREE_SET : IMMUTABLE_SET, (Collection<?>) v, depth);
        } else if (c.isArray()) {
            array(v, c, depth);
        } else if (c.isRecord()) {
            record(v, c, depth);
        } else if (c.isEnum() || (c.getSuperclass() != null && c.getSuperclass().isEnum())) {
            enumConstant((Enum<?>) v);
        } else {
            scalar(v, c);
        }
    }

    private void scalar(Object v, Class<?> c) {
        if (c == Short.class) {
            tag(SHORT);
            varlong(zigzag((Short) v));
        } else if (c == Byte.class) {
            tag(BYTE);
            varlong(zigzag((Byte) v));
        } else if (c == Character.class) {
            tag(CHAR);
            varlong((Character) v);
        } else if (c == Float.class) {
            tag(FLOAT);
            fixed(Float.floatToRawIntBits((Float) v), 4);
        } else if (c == BigInteger.class) {
            tag(BIG_INTEGER);
            bytes(((BigInteger) v).toByteArray());
        } else if (c == BigDecimal.class) {
            BigDecimal d = (BigDecimal) v;
            tag(BIG_DECIMAL);
            varlong(zigzag(d.scale()));
            bytes(d.unscaledValue().toByteArray());
        } else if (c == java.util.UUID.class) {
            java.util.UUID u = (java.util.UUID) v;
            tag(UUID);
            fixed(u.getMostSignificantBits(), 8);
            fixed(u.getLeastSignificantBits(), 8);
        } else if (c == Date.class) {
            tag(DATE);
            varlong(zigzag(((Date) v).getTime()));
        } else if (c == Instant.class) {
            Instant i = (Instant) v;
            tag(INSTANT);
            varlong(zigzag(i.getEpochSecond()));
            varlong(i.getNano());
        } else if (c == Duration.class) {
            Duration d = (Duration) v;
            tag(DURATION);
            varlong(zigzag(d.getSeconds()));
            varlong(d.getNano());
        } else if (c == LocalDate.class) {
            tag(LOCAL_DATE);
            varlong(zigzag(((LocalDate) v).toEpochDay()));
        } else if (c == LocalTime.class) {
            tag(LOCAL_TIME);
            varlong(((LocalTime) v).toNanoOfDay());
        } else if (c == LocalDateTime.class) {
            LocalDateTime t = (LocalDateTime) v;
            tag(LOCAL_DATE_TIME);
            varlong(zigzag(t.toLocalDate().toEpochDay()));
            varlong(t.toLocalTime().toNanoOfDay());
        } else {
            throw GIVE_UP;
        }
    }

    private void array(Object v, Class<?> c, int depth) {
        enter(v);
        if (c == byte[].class) {
            tag(BYTES);
            bytes((byte[]) v);
        } else if (c == int[].class) {
            int[] a = (int[]) v;
            tag(INTS);
            varlong(a.length);
            for (int x : a) {
                varlong(zigzag(x));
            }
        } else if (c == long[].class) {
            long[] a = (long[]) v;
            tag(LONGS);
            varlong(a.length);
            for (long x : a) {
                varlong(zigzag(x));
            }
        } else if (c == double[].class) {
            double[] a = (double[]) v;
            tag(DOUBLES);
            varlong(a.length);
            for (double x : a) {
                fixed(Double.doubleToRawLongBits(x), 8);
            }
        } else if (c == String[].class || c == Object[].class) {
            Object[] a = (Object[]) v;
            tag(c == String[].class ? STRINGS : OBJECTS);
            varlong(a.length);
            for (Object x : a) {
                write(x, depth + 1);
            }
        } else {
            throw GIVE_UP;
        }
    }

    private void collection(byte tag, Collection<?> v, int depth) {
        if (tag != IMMUTABLE_LIST && tag != IMMUTABLE_SET) {
            enter(v);
        }
        tag(tag);
        varlong(v.size());
        int n = 0;
        for (Object x : v) {
            write(x, depth + 1);
            n++;
        }
        if (n != v.size()) {
            throw GIVE_UP; // changed while written: leave it to the JDK's own checks
        }
    }

    private void map(byte tag, Map<?, ?> v, int depth) {
        if (tag != IMMUTABLE_MAP) {
            enter(v);
        }
        tag(tag);
        varlong(v.size());
        int n = 0;
        for (Map.Entry<?, ?> e : v.entrySet()) {
            write(e.getKey(), depth + 1);
            write(e.getValue(), depth + 1);
            n++;
        }
        if (n != v.size()) {
            throw GIVE_UP;
        }
    }

    private void record(Object v, Class<?> c, int depth) {
        RecordShape shape = CompactFormat.shape(c);
        if (shape == null || !CompactFormat.allowedUserType(c, java)) {
            throw GIVE_UP; // JDK serialization refuses it with its message, or writes what we cannot reach
        }
        tag(RECORD);
        if (classRef(c)) {
            varlong(shape.names.length);
            for (int i = 0; i < shape.names.length; i++) {
                rawString(shape.names[i]);
                rawString(shape.typeNames[i]);
            }
        }
        for (int i = 0; i < shape.accessors.length; i++) {
            Object component;
            try {
                component = shape.accessors[i].invoke(v);
            } catch (Throwable t) {
                throw GIVE_UP;
            }
            write(component, depth + 1);
        }
    }

    private void enumConstant(Enum<?> e) {
        Class<?> type = e.getDeclaringClass();
        if (!CompactFormat.allowedUserType(type, java)) {
            throw GIVE_UP;
        }
        tag(ENUM);
        classRef(type);
        varlong(e.ordinal());
        rawString(e.name());
    }

    /** Writes a reference to {@code c}; true when it is new here (its name written, its description to follow). */
    private boolean classRef(Class<?> c) {
        if (classes == null) {
            classes = new IdentityHashMap<>();
        }
        Integer known = classes.get(c);
        if (known != null) {
            varlong(known);
            return false;
        }
        classes.put(c, classes.size() + 1);
        varlong(0);
        rawString(c.getName());
        return true;
    }

    /**
     * A mutable container or array reached twice (shared or a cycle) is left to JDK
     * serialization, which keeps identity. Immutable collections may be shared freely (a copy
     * behaves the same) and cannot close a cycle but through a mutable container, which is tracked.
     */
    private void enter(Object container) {
        if (containers == null) {
            containers = new IdentityHashMap<>();
        }
        if (containers.put(container, Boolean.TRUE) != null) {
            throw GIVE_UP;
        }
    }

    private void string(String s) {
        tag(STRING);
        rawString(s);
    }

    private void rawString(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private void bytes(byte[] b) {
        varlong(b.length);
        room(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void tag(byte t) {
        room(1);
        buf[pos++] = t;
    }

    private void fixed(long bits, int n) {
        room(n);
        for (int i = n - 1; i >= 0; i--) {
            buf[pos++] = (byte) (bits >>> (8 * i));
        }
    }

    private void varlong(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void room(int n) {
        if (pos + n > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) pos + n);
            if (want > Integer.MAX_VALUE - 16) {
                throw GIVE_UP;
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }
}
