package dev.cachet.internal.entry;

import java.io.InvalidClassException;
import java.io.Serializable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tags of {@link CompactCodec}'s format and what both sides know of records.
 *
 * <pre>
 *   value    = tag body
 *   NULL FALSE TRUE                       no body
 *   INT SHORT BYTE CHAR LONG              zigzag varint
 *   FLOAT DOUBLE                          4 / 8 bytes, big-endian IEEE 754 bits
 *   STRING                                varint length, UTF-8
 *   BIG_INTEGER                           varint length, two's-complement bytes
 *   BIG_DECIMAL                           zigzag varint scale, varint length, unscaled bytes
 *   UUID                                  16 bytes
 *   DATE INSTANT DURATION LOCAL_*         zigzag varints (millis; seconds + nanos; epoch day; nano of day)
 *   BYTES INTS LONGS DOUBLES              varint count, elements (bytes raw; ints, longs zigzag; doubles 8 bytes)
 *   STRINGS OBJECTS                       varint count, values (String[] / Object[])
 *   *_LIST *_SET *_MAP                    varint count, values (a map: key, value, key, value...)
 *   ENUM                                  class, varint ordinal and the constant's name
 *   RECORD                                class, its component values in order
 *   class    = varint 0, then name and, for a record, varint count { name, type name }  (a new class)
 *            | varint n > 0: the n-th class this payload introduced
 *   JAVA                                  only as the first byte: the rest is JDK serialization
 * </pre>
 */
final class CompactFormat {
    static final byte NULL = 0;
    static final byte FALSE = 1;
    static final byte TRUE = 2;
    static final byte INT = 3;
    static final byte LONG = 4;
    static final byte SHORT = 5;
    static final byte BYTE = 6;
    static final byte CHAR = 7;
    static final byte FLOAT = 8;
    static final byte DOUBLE = 9;
    static final byte STRING = 10;
    static final byte BIG_INTEGER = 11;
    static final byte BIG_DECIMAL = 12;
    static final byte UUID = 13;
    static final byte DATE = 14;
    static final byte INSTANT = 15;
    static final byte DURATION = 16;
    static final byte LOCAL_DATE = 17;
    static final byte LOCAL_TIME = 18;
    static final byte LOCAL_DATE_TIME = 19;
    static final byte BYTES = 20;
    static final byte INTS = 21;
    static final byte LONGS = 22;
    static final byte DOUBLES = 23;
    static final byte STRINGS = 24;
    static final byte OBJECTS = 25;
    static final byte ARRAY_LIST = 32;
    static final byte LINKED_LIST = 33;
    static final byte IMMUTABLE_LIST = 34;
    static final byte HASH_MAP = 40;
    static final byte LINKED_HASH_MAP = 41;
    static final byte IMMUTABLE_MAP = 42;
    static final byte TREE_MAP = 43;
    static final byte HASH_SET = 48;
    static final byte LINKED_HASH_SET = 49;
    static final byte IMMUTABLE_SET = 50;
    static final byte TREE_SET = 51;
    static final byte ENUM = 56;
    static final byte RECORD = 57;
    static final byte JAVA = 127;

    /** Nesting beyond this is written by JDK serialization (and refused when read here). */
    static final int MAX_DEPTH = 64;

    /** The classes of {@code List.of}, {@code Set.of}, {@code Map.of} and their copies (and {@code Stream.toList}). */
    static final Set<Class<?>> IMMUTABLE_LISTS = classes(List.of(), List.of(1), List.of(1, 2, 3),
            java.util.stream.Stream.of(1).toList());
    static final Set<Class<?>> IMMUTABLE_SETS = classes(Set.of(), Set.of(1), Set.of(1, 2, 3));
    static final Set<Class<?>> IMMUTABLE_MAPS = classes(Map.of(), Map.of(1, 1), Map.of(1, 1, 2, 2));

    private static Set<Class<?>> classes(Object... samples) {
        Set<Class<?>> s = new java.util.HashSet<>();
        for (Object o : samples) {
            s.add(o.getClass());
        }
        return Set.copyOf(s);
    }

    private CompactFormat() {
    }

    /** The initial capacity of a hash set or map that will hold {@code n} entries without growing. */
    static int capacity(int n) {
        return n < 3 ? n + 1 : (int) Math.min(Integer.MAX_VALUE, n * 4L / 3 + 1);
    }

    /** A record class as both sides see it: its components' names and types, accessors and canonical constructor. */
    static final class RecordShape {
        final Class<?> type;
        final String[] names;
        final String[] typeNames;
        final MethodHandle[] accessors;
        final Constructor<?> constructor;

        private RecordShape(Class<?> type) throws ReflectiveOperationException {
            this.type = type;
            RecordComponent[] cs = type.getRecordComponents();
            names = new String[cs.length];
            typeNames = new String[cs.length];
            accessors = new MethodHandle[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (int i = 0; i < cs.length; i++) {
                names[i] = cs[i].getName();
                types[i] = cs[i].getType();
                typeNames[i] = types[i].getName();
                var accessor = cs[i].getAccessor();
                accessor.setAccessible(true);
                accessors[i] = lookup.unreflect(accessor);
            }
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        }

        /** Whether {@code names} and {@code typeNames}, as an entry recorded them, are this record's components. */
        boolean matches(String[] names, String[] typeNames) {
            return java.util.Arrays.equals(this.names, names) && java.util.Arrays.equals(this.typeNames, typeNames);
        }

        String describe() {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < names.length; i++) {
                b.append(i == 0 ? "" : ", ").append(typeNames[i]).append(' ').append(names[i]);
            }
            return b.append(')').toString();
        }
    }

    private static final ClassValue<Object> SHAPES = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                return new RecordShape(type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not accessible (a named module that does not open it, say): JDK serialization writes it
                return e;
            }
        }
    };

    /**
     * The shape of record class {@code type}, or null when its components or canonical
     * constructor cannot be reached (a module that does not open it).
     */
    static RecordShape shape(Class<?> type) {
        Object s = SHAPES.get(type);
        return s instanceof RecordShape r ? r : null;
    }

    /** Whether {@code type}'s instances may be written compactly as a record or an enum under {@code java}'s allow-list. */
    static boolean allowedUserType(Class<?> type, JavaSerializationCodec java) {
        return Serializable.class.isAssignableFrom(type) && java.isAllowed(type);
    }

    /** The refusal of a class an entry names that this reader does not allow. */
    static InvalidClassException refused(String className) {
        return new InvalidClassException(className, "not in the compact codec's allow-list (add it to codec_allow"
                + " if it is yours)");
    }
}
