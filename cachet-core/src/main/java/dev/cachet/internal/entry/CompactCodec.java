package dev.cachet.internal.entry;

import dev.cachet.spi.ValueCodec;
import java.util.List;

/**
 * The default object codec ({@code compact}, id 5): a tagged binary format of our own for the
 * values most caches hold (the JDK's value types, its common collections and arrays, enums and
 * records), with JDK serialization ({@link JavaSerializationCodec}, behind the same allow-list)
 * inside the same payload for every other graph.
 *
 * <p>Payload: one tag byte, then the value; the tag {@link CompactFormat#JAVA} says the rest is
 * JDK serialization. What is written compactly decodes to an equal value of the same class
 * (an {@code ArrayList} stays an {@code ArrayList}, {@code List.of} stays immutable, a
 * {@code TreeMap} keeps natural order); a graph that holds a class outside that set, a
 * comparator, a mutable container reached twice (shared or cyclic), or nesting deeper than
 * {@value CompactFormat#MAX_DEPTH} is written whole by JDK serialization, which keeps those.
 *
 * <p>Safety is the allow-list's, as for {@code java}: an enum or record class outside it is
 * refused at encode (the message names it), and decoding checks a class's name against the list
 * before it loads the class (without initializing it); the other tags instantiate only fixed JDK
 * classes. Lengths and counts are checked against the bytes left before anything is allocated.
 * A record is matched by its component names and types: a record whose shape changed since the
 * entry was written is unreadable here (kept for readers that have the old shape), never filled
 * wrongly.
 */
public final class CompactCodec implements ValueCodec {
    /** The codec id written into entries. */
    public static final int ID = 5;

    private final JavaSerializationCodec java;

    /** A codec allowing what {@code java} allows, and writing through it what it cannot write itself. */
    public CompactCodec(JavaSerializationCodec java) {
        this.java = java;
    }

    /** A codec allowing the JDK's types plus {@code allowPatterns}, as {@link JavaSerializationCodec#JavaSerializationCodec(List)}. */
    public CompactCodec(List<String> allowPatterns) {
        this(new JavaSerializationCodec(allowPatterns));
    }

    /** The JDK serialization codec behind this one, with the same allow-list. */
    public JavaSerializationCodec java() {
        return java;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String name() {
        return "compact";
    }

    @Override
    public byte[] encode(Object value) {
        return encode(value, 0);
    }

    /**
     * The encoding of {@code value} after {@code room} bytes left for the caller (an entry's
     * envelope), so a large value is not copied once more to put a header in front of it.
     */
    byte[] encode(Object value, int room) {
        byte[] compact = CompactWriter.tryWrite(value, java, room);
        if (compact != null) {
            return compact;
        }
        byte[] serialized = java.encode(value);
        byte[] out = new byte[room + 1 + serialized.length];
        out[room] = CompactFormat.JAVA;
        System.arraycopy(serialized, 0, out, room + 1, serialized.length);
        return out;
    }

    @Override
    public Object decode(byte[] bytes, int offset, int length) throws Exception {
        if (length < 1) {
            throw new IllegalStateException("compact payload is empty");
        }
        if (bytes[offset] == CompactFormat.JAVA) {
            return java.decode(bytes, offset + 1, length - 1);
        }
        return new CompactReader(bytes, offset, length, java).readRoot();
    }
}
