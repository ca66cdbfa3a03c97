package dev.cachet.internal.entry;

import java.io.InvalidClassException;

/**
 * An entry whose bytes are sound but which this reader cannot or may not turn into an object:
 * its class is missing here ({@link ClassNotFoundException}, a {@link LinkageError}), refused by
 * the codec's allow-list or incompatible ({@link InvalidClassException}), or it was written by
 * another codec. Such an entry is a miss for this reader and stays in the store, for readers
 * that can decode it; only corrupt entries are deleted.
 */
public final class UnreadableEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String codec;
    private final String className;
    private final long size;

    UnreadableEntryException(String codec, String className, long size, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.codec = codec;
        this.className = className;
        this.size = size;
    }

    /** The codec that wrote the entry, as {@code java} or {@code codec id 17}. */
    public String codec() {
        return codec;
    }

    /** The class this reader could not load or refused, or null when no class is known (a foreign codec). */
    public String className() {
        return className;
    }

    /** The entry's payload size in bytes. */
    public long size() {
        return size;
    }

    /**
     * The unreadable-entry form of {@code e}, a codec's failure to decode {@code size} bytes, or
     * null when {@code e} says the bytes are corrupt.
     */
    static UnreadableEntryException classify(String codec, long size, Throwable e) {
        if (e instanceof ClassNotFoundException) {
            return new UnreadableEntryException(codec, e.getMessage(), size,
                    "class " + e.getMessage() + " is not on this reader's class path", e);
        }
        if (e instanceof InvalidClassException ice) {
            return new UnreadableEntryException(codec, ice.classname, size, String.valueOf(ice.getMessage()), e);
        }
        if (e instanceof LinkageError) {
            String m = String.valueOf(e.getMessage());
            String cls = e instanceof NoClassDefFoundError ? m.replace('/', '.') : null;
            return new UnreadableEntryException(codec, cls, size, e.getClass().getSimpleName() + ": " + m, e);
        }
        return null;
    }
}
