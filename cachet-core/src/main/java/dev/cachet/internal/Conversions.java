package dev.cachet.internal;

/** Typed reads: a cast that names the key, with exact conversions between integral boxes (public for the two-level decorator in {@code internal.twolevel}). */
public final class Conversions {
    private Conversions() {
    }

    @SuppressWarnings("unchecked")
    public static <T> T cast(Object value, Class<T> type, String cacheName, String key) {
        if (value == null) {
            return null;
        }
        Class<?> boxed = box(type);
        if (boxed.isInstance(value)) {
            return (T) value;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long n = ((Number) value).longValue();
            if (boxed == Long.class) {
                return (T) Long.valueOf(n);
            }
            if (boxed == Integer.class && n == (int) n) {
                return (T) Integer.valueOf((int) n);
            }
            if (boxed == Short.class && n == (short) n) {
                return (T) Short.valueOf((short) n);
            }
            if (boxed == Byte.class && n == (byte) n) {
                return (T) Byte.valueOf((byte) n);
            }
        }
        throw new ClassCastException("cache '" + cacheName + "': key '" + KeyPolicy.abbreviate(key) + "' holds a "
                + value.getClass().getName() + (value instanceof Number ? " (" + value + ")" : "")
                + ", not a " + type.getName());
    }

    private static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }
}
