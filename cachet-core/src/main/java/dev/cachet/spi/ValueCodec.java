package dev.cachet.spi;

/**
 * Turns objects into bytes and back, for backends that store bytes. Strings, byte arrays,
 * integers and {@code null} never reach a codec (the entry format has fast paths for them).
 *
 * <p>A codec must be safe against untrusted bytes: {@link #decode} may only instantiate
 * classes it was told to accept, and must fail with an exception for anything else. It must
 * be thread-safe. Its {@link #id()} is written into every entry, so it must never change
 * once data is stored; ids 0-15 are reserved for cachet ({@code compact} is 5, {@code java} 16).
 */
public interface ValueCodec {
    /**
     * cachet's default codec ({@code codec=java}): JDK serialization behind an allow-list of
     * the JDK's value types and collections plus {@code allowPatterns} (class names,
     * {@code package.*}, {@code package.**}, as the {@code codec_allow} option takes them).
     */
    static ValueCodec javaSerialization(java.util.List<String> allowPatterns) {
        return new dev.cachet.internal.entry.JavaSerializationCodec(allowPatterns);
    }

    /**
     * cachet's default codec ({@code codec=compact}): a compact binary format of its own for the
     * JDK's value types, its common collections and arrays, and allow-listed enums and records,
     * with {@link #javaSerialization} (on the same allow-list) inside the same payload for any
     * other graph. A cache with either built-in codec reads entries the other wrote.
     */
    static ValueCodec compact(java.util.List<String> allowPatterns) {
        return new dev.cachet.internal.entry.CompactCodec(allowPatterns);
    }

    /** The codec's id in the entry envelope (16-255; 0-15 are reserved). */
    int id();

    /** The codec's name, as given in the {@code codec} option. */
    String name();

    /**
     * The bytes of {@code value}.
     *
     * @throws IllegalArgumentException when the value (or an object it references) cannot be
     *     encoded or is not allowed; the message names the class
     */
    byte[] encode(Object value);

    /**
     * The object encoded in {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @throws ClassNotFoundException when a class the bytes name is not on this reader's class
     *     path; the cache reads the entry as a miss and leaves it for readers that have it (as
     *     for an {@link java.io.InvalidClassException}, a refused or incompatible class, and a
     *     {@link LinkageError})
     * @throws Exception any other failure means the bytes are corrupt: the cache reads the
     *     entry as a miss and deletes it
     */
    Object decode(byte[] bytes, int offset, int length) throws Exception;
}
