package dev.cachet.internal.entry;

import dev.cachet.internal.Stamped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a {@link Stamped}'s metadata in an envelope (see {@link EntryFormat}):
 * {@code expiresAt(8) freshUntil(8) computeMillis(4) tagCount(2)}, then per tag
 * {@code length(2) utf8 version(8)}, big-endian.
 */
final class StampCodec {
    static final int FIXED = 22;

    private StampCodec() {
    }

    /** A decoded stamp without its value, and how many bytes it took. */
    record Header(long expiresAt, long freshUntil, int computeMillis, String[] tags, long[] versions, int length) {
        Stamped stamp(Object value) {
            return new Stamped(value, expiresAt, freshUntil, computeMillis, tags, versions);
        }
    }

    static byte[] encode(Stamped s) {
        String[] tags = s.tags();
        byte[][] names = new byte[tags.length][];
        int size = FIXED;
        for (int i = 0; i < tags.length; i++) {
            names[i] = tags[i].getBytes(StandardCharsets.UTF_8);
            if (names[i].length > 0xffff) {
                throw new IllegalArgumentException("tag '" + tags[i].substring(0, 40) + "...' is longer than 65535 bytes");
            }
            size += 2 + names[i].length + 8;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(s.expiresAt()).putLong(s.freshUntil()).putInt(s.computeMillis()).putShort((short) tags.length);
        for (int i = 0; i < tags.length; i++) {
            out.putShort((short) names[i].length).put(names[i]).putLong(s.tagVersions()[i]);
        }
        return out.array();
    }

    /**
     * The stamp starting at {@code off}.
     *
     * @throws IllegalStateException when the bytes end inside it
     */
    static Header decode(byte[] b, int off) {
        if (b.length - off < FIXED) {
            throw new IllegalStateException("entry is truncated inside its stamp (" + (b.length - off) + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(b, off, b.length - off);
        long expiresAt = in.getLong();
        long freshUntil = in.getLong();
        int compute = in.getInt();
        int count = in.getShort() & 0xffff;
        String[] tags = new String[count];
        long[] versions = new long[count];
        for (int i = 0; i < count; i++) {
            if (in.remaining() < 2) {
                throw new IllegalStateException("entry is truncated inside its tags");
            }
            int len = in.getShort() & 0xffff;
            if (in.remaining() < len + 8) {
                throw new IllegalStateException("entry is truncated inside its tags");
            }
            tags[i] = new String(b, in.position(), len, StandardCharsets.UTF_8);
            in.position(in.position() + len);
            versions[i] = in.getLong();
        }
        return new Header(expiresAt, freshUntil, compute, tags, versions, in.position() - off);
    }
}
