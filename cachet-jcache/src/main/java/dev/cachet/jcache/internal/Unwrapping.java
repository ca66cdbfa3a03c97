package dev.cachet.jcache.internal;

/** JSR-107's {@code unwrap}: an object gives itself as any type it is, and refuses the others. */
final class Unwrapping {
    private Unwrapping() {
    }

    /**
     * {@code self} as {@code clazz}.
     *
     * @param what names {@code self} in the message ("a cache entry")
     * @throws IllegalArgumentException when {@code self} is not a {@code clazz}
     */
    static <T> T as(Object self, Class<T> clazz, String what) {
        if (clazz.isInstance(self)) {
            return clazz.cast(self);
        }
        throw new IllegalArgumentException(what + " cannot be unwrapped to " + clazz.getName());
    }
}
