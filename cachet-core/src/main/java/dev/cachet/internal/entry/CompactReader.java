package dev.cachet.internal.entry;

import static dev.cachet.internal.entry.CompactFormat.*;

import java.io.InvalidClassException;
import java.io.StreamCorruptedException;
import java.lang.reflect.InvocationTargetException;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads one value in {@link CompactFormat}. Corrupt bytes fail with a
 * {@link StreamCorruptedException} (or the exception a JDK constructor throws on them); a class
 * this reader refuses, lacks or finds changed fails with an {@link InvalidClassException} or a
 * {@link ClassNotFoundException}, which the cache reads as an entry to keep for other readers.
 */
final class CompactReader {
    private final byte[] b;
    private final int end;
    private final JavaSerializationCodec java;
    private int pos;
    private List<Object> classes;

    CompactReader(byte[] bytes, int offset, int length, JavaSerializationCodec java) {
        this.b = bytes;
        this.pos = offset;
        this.end = offset + length;
        this.java = java;
    }

    /** The value, which must take every byte. */
    Object readRoot() throws Exception {
        Object v = read(0);
        if (pos != end) {
            throw corrupt((end - pos) + " bytes after the value");
        }
        return v;
    }

    private Object read(int depth) throws Exception {
        if (depth > MAX_DEPTH) {
            throw corrupt("nesting deeper than " + MAX_DEPTH);
        }
        byte tag = next();
        switch (tag) {
            case NULL: return null;
            case FALSE: return Boolean.FALSE;
            case TRUE: return Boolean.TRUE;
            case INT: return (int) unzigzag(varlong());
            case LONG: return unzigzag(varlong());
            case SHORT: return (short) unzigzag(varlong());
            case BYTE: return (byte) unzigzag(varlong());
            case CHAR: return (char) varlong();
            case FLOAT: return Float.intBitsToFloat((int) fixed(4));
            case DOUBLE: return Double.longBitsToDouble(fixed(8));
            case STRING: return rawString();
            case BIG_INTEGER: return new BigInteger(bytes());
            case BIG_DECIMAL: {
                int scale = (int) unzigzag(varlong());
                return new BigDecimal(new BigInteger(bytes()), scale);
            }
            case UUID: return new java.util.UUID(fixed(8), fixed(8));
            case DATE: return new Date(unzigzag(varlong()));
            case INSTANT: return Instant.ofEpochSecond(unzigzag(varlong()), varlong());
            case DURATION: return Duration.ofSeconds(unzigzag(varlong()), varlong());
            case LOCAL_DATE: return LocalDate.ofEpochDay(unzigzag(varlong()));
            case LOCAL_TIME: return LocalTime.ofNanoOfDay(varlong());
            case LOCAL_DATE_TIME: {
                LocalDate d = LocalDate.ofEpochDay(unzigzag(varlong()));
                return LocalDateTime.of(d, LocalTime.ofNanoOfDay(varlong()));
            }
            case BYTES: return bytes();
            case INTS: {
                int[] a = new int[count(1)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (int) unzigzag(varlong());
                }
                return a;
            }
            case LONGS: {
                long[] a = new long[count(1)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = unzigzag(varlong());
                }
                return a;
            }
            case DOUBLES: {
                double[] a = new double[count(8)];
                for (int i = 0; i < a.length; i++) {
                    a[i] = Double.longBitsToDouble(fixed(8));
                }
                return a;
            }
            case STRINGS: {
                String[] a = new String[count(1)];
                for (int i = 0; i < a.length; i++) {
                    Object x = read(depth + 1);
                    if (x != null && !(x instanceof String)) {
                        throw corrupt("a String[] holding a " + x.getClass().getName());
                    }
                    a[i] = (String) x;
                }
                return a;
            }
            case OBJECTS: return elements(count(1), depth);
            case ARRAY_LIST: {
                int n = count(1);
                return fill(new ArrayList<>(n), n, depth);
            }
            case LINKED_LIST: return fill(new LinkedList<>(), count(1), depth);
            case IMMUTABLE_LIST: {
                Object[] a = elements(count(1), depth);
                return Arrays.stream(a).anyMatch(x -> x == null) ? Arrays.stream(a).toList() : List.of(a);
            }
            case HASH_SET: {
                int n = count(1);
                return fill(new HashSet<>(capacity(n)), n, depth);
            }
            case LINKED_HASH_SET: {
                int n = count(1);
                return fill(new LinkedHashSet<>(capacity(n)), n, depth);
            }
            case TREE_SET: return fill(new TreeSet<>(), count(1), depth);
            case IMMUTABLE_SET: return Set.of(elements(count(1), depth));
            case HASH_MAP: {
                int n = count(2);
                return fill(new HashMap<>(capacity(n)), n, depth);
            }
            case LINKED_HASH_MAP: {
                int n = count(2);
                return fill(new LinkedHashMap<>(capacity(n)), n, depth);
            }
            case TREE_MAP: return fill(new TreeMap<>(), count(2), depth);
            case IMMUTABLE_MAP: {
                Object[] kv = elements(count(2) * 2, depth);
                @SuppressWarnings("unchecked")
                Map.Entry<Object, Object>[] entries = new Map.Entry[kv.length / 2];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = Map.entry(kv[2 * i], kv[2 * i + 1]);
                }
                return Map.ofEntries(entries);
            }
            case ENUM: return enumConstant();
            case RECORD: return record(depth);
            default: throw corrupt("unknown tag " + tag);
        }
    }

    private Collection<Object> fill(Collection<Object> c, int n, int depth) throws Exception {
        for (int i = 0; i < n; i++) {
            c.add(read(depth + 1));
        }
        return c;
    }

    private Map<Object, Object> fill(Map<Object, Object> m, int n, int depth) throws Exception {
        for (int i = 0; i < n; i++) {
            Object k = read(depth + 1);
            m.put(k, read(depth + 1));
        }
        return m;
    }

    private Object[] elements(int n, int depth) throws Exception {
        Object[] a = new Object[n];
        for (int i = 0; i < n; i++) {
            a[i] = read(depth + 1);
        }
        return a;
    }

    private Object enumConstant() throws Exception {
        Class<?> type = (Class<?>) classRef(false);
        int ordinal = (int) varlong();
        String name = rawString();
        for (Object c : type.getEnumConstants()) {
            if (((Enum<?>) c).name().equals(name)) {
                return c;
            }
        }
        throw new InvalidClassException(type.getName(), "has no constant " + name + " (ordinal " + ordinal
                + " when written)");
    }

    private Object record(int depth) throws Exception {
        RecordShape shape = (RecordShape) classRef(true);
        Object[] args = elements(shape.names.length, depth);
        try {
            return shape.constructor.newInstance(args);
        } catch (IllegalArgumentException e) {
            throw corrupt("components that do not fit record " + shape.type.getName() + shape.describe());
        } catch (InvocationTargetException e) {
            // the reader's canonical constructor refuses what the writer's accepted: another version of the class
            throw new InvalidClassException(shape.type.getName(), "its constructor refused the stored components: "
                    + e.getCause());
        }
    }

    /**
     * The class a reference names: a new one is checked against the allow-list by name before
     * it is loaded (not initialized), then by class; a record's recorded components must be
     * the loaded class's own.
     */
    private Object classRef(boolean record) throws Exception {
        long ref = varlong();
        if (ref > 0) {
            if (classes == null || ref > classes.size()) {
                throw corrupt("a reference to class " + ref + " of " + (classes == null ? 0 : classes.size()));
            }
            Object known = classes.get((int) ref - 1);
            if (record != (known instanceof RecordShape)) {
                throw corrupt("a class reference " + ref + " used as " + (record ? "a record" : "an enum"));
            }
            return known;
        }
        String name = rawString();
        String[] names = null;
        String[] typeNames = null;
        if (record) {
            int n = count(2);
            names = new String[n];
            typeNames = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = rawString();
                typeNames[i] = rawString();
            }
        }
        if (!java.isAllowedName(name)) {
            throw CompactFormat.refused(name);
        }
        Class<?> type = Class.forName(name, false, loader());
        if (!CompactFormat.allowedUserType(type, java)) {
            throw CompactFormat.refused(name);
        }
        if (classes == null) {
            classes = new ArrayList<>();
        }
        if (record) {
            RecordShape shape = type.isRecord() ? CompactFormat.shape(type) : null;
            if (shape == null) {
                throw new InvalidClassException(name, type.isRecord() ? "its components cannot be reached here"
                        : "not a record here");
            }
            if (!shape.matches(names, typeNames)) {
                throw new InvalidClassException(name, "written with components " + describe(names, typeNames)
                        + ", but the class here has " + shape.describe());
            }
            classes.add(shape);
            return shape;
        }
        if (!type.isEnum()) {
            throw new InvalidClassException(name, "not an enum here");
        }
        classes.add(type);
        return type;
    }

    private static String describe(String[] names, String[] typeNames) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < names.length; i++) {
            s.append(i == 0 ? "" : ", ").append(typeNames[i]).append(' ').append(names[i]);
        }
        return s.append(')').toString();
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : CompactReader.class.getClassLoader();
    }

    /** A count of items that take at least {@code minBytes} each: never more than the bytes left allow. */
    private int count(int minBytes) throws StreamCorruptedException {
        long n = varlong();
        if (n < 0 || n > (long) (end - pos) / minBytes) {
            throw corrupt("a count of " + n + " with " + (end - pos) + " bytes left");
        }
        return (int) n;
    }

    private String rawString() throws StreamCorruptedException {
        int n = count(1);
        String s = new String(b, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private byte[] bytes() throws StreamCorruptedException {
        int n = count(1);
        byte[] a = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return a;
    }

    private byte next() throws StreamCorruptedException {
        if (pos >= end) {
            throw corrupt("the value ends early");
        }
        return b[pos++];
    }

    private long fixed(int n) throws StreamCorruptedException {
        if (end - pos < n) {
            throw corrupt("the value ends early");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[pos++] & 0xFF);
        }
        return v;
    }

    private long varlong() throws StreamCorruptedException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = next();
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw corrupt("a varint longer than 10 bytes");
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static StreamCorruptedException corrupt(String what) {
        return new StreamCorruptedException("compact codec: corrupt entry: " + what);
    }
}
