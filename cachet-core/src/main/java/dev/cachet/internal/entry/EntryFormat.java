package dev.cachet.internal.entry;

import dev.cachet.internal.Stamped;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The bytes of one entry.
 *
 * <pre>
 *   integer:  -?[0-9]+                       plain ASCII decimal, no envelope (servers can incr it)
 *   envelope: 0xC1 codec flags payload
 *     codec   0 null, 1 UTF-8 string, 2 raw bytes, 3 chunk piece, 4 decimal integer, 5 compact, 16+ object codecs (16 = java)
 *     flags   bit 0: payload is deflated; bit 1: payload is a chunk manifest; bit 2: a stamp precedes the payload
 *   stamp:            expiresAt(8) freshUntil(8) computeMillis(4) tagCount(2) { length(2) utf8 version(8) }*
 *   manifest payload: token(8) count(4) length(4) crc32(4)  (of the reassembled, maybe deflated payload)
 *   chunk piece:      0xC1 3 0 token(8) index(4) data
 * </pre>
 *
 * The first byte tells the kinds apart: 0xC1 is neither a digit nor {@code -}. A format change
 * takes a new first byte, so old and new entries can be read side by side. A stamp (the
 * fresh-data pipeline's and tags' metadata, {@link Stamped}) is never deflated; an integer with a
 * stamp is an envelope with codec 4, so it no longer counts for {@code incr}.
 */
public final class EntryFormat {
    static final byte MAGIC = (byte) 0xC1;
    static final int HEADER = 3;
    static final int CODEC_NULL = 0;
    static final int CODEC_STRING = 1;
    static final int CODEC_BYTES = 2;
    static final int CODEC_PIECE = 3;
    static final int FLAG_DEFLATED = 1;
    static final int FLAG_MANIFEST = 2;
    static final int FLAG_STAMPED = 4;
    static final int CODEC_LONG = 4;
    static final int MANIFEST_PAYLOAD = 20;
    static final int PIECE_HEADER = HEADER + 12;

    private final ValueCodec codec;
    /** The other built-in object codec, on the same allow-list: a cache on either reads what the other wrote. */
    private final ValueCodec sibling;
    private final boolean compression;
    private final long compressThreshold;
    private final int compressLevel;

    /** The format encoding objects with {@code codec}, deflating payloads of {@code compressThreshold} bytes or more at {@code compressLevel} when {@code compression}. */
    public EntryFormat(ValueCodec codec, boolean compression, long compressThreshold, int compressLevel) {
        if (compressLevel < Deflater.NO_COMPRESSION || compressLevel > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("compress_level must be 0-9, not " + compressLevel);
        }
        this.codec = codec;
        this.sibling = codec instanceof CompactCodec c ? c.java()
                : codec instanceof JavaSerializationCodec j ? new CompactCodec(j) : null;
        this.compression = compression;
        this.compressThreshold = compressThreshold;
        this.compressLevel = compressLevel;
    }

    /** The stored bytes of {@code value} (Integers arrive normalized to Long). */
    byte[] encode(Object value) {
        Stamped stamp = null;
        if (value instanceof Stamped st) {
            stamp = st;
            value = st.value();
        } else if (value instanceof Long n) {
            return DecimalValues.bytes(n);
        }
        byte[] stampBytes = stamp == null ? null : StampCodec.encode(stamp);
        int room = HEADER + (stampBytes == null ? 0 : stampBytes.length);
        int codecId;
        byte[] payload;
        int off = 0;
        if (value instanceof Long n) {
            codecId = CODEC_LONG;
            payload = DecimalValues.bytes(n);
        } else if (value == null) {
            codecId = CODEC_NULL;
            payload = new byte[0];
        } else if (value instanceof String s) {
            codecId = CODEC_STRING;
            payload = s.getBytes(StandardCharsets.UTF_8);
        } else if (value instanceof byte[] b) {
            codecId = CODEC_BYTES;
            payload = b;
        } else if (codec instanceof CompactCodec compact) {
            // written after room for the envelope: a large value is not copied once more
            codecId = codec.id();
            payload = compact.encode(value, room);
            off = room;
        } else {
            codecId = codec.id();
            payload = codec.encode(value);
        }
        int len = payload.length - off;
        int flags = 0;
        if (compression && len >= compressThreshold && len > 0 && worthDeflating(payload, off, len)) {
            byte[] deflated = deflate(payload, off, len);
            if (deflated != null) {
                payload = deflated;
                off = 0;
                len = deflated.length;
                flags = FLAG_DEFLATED;
            }
        }
        byte[] out;
        if (off == room) {
            out = payload; // the envelope goes into the room left in front
        } else {
            out = new byte[room + len];
            System.arraycopy(payload, off, out, room, len);
        }
        out[0] = MAGIC;
        out[1] = (byte) codecId;
        out[2] = (byte) (flags | (stamp == null ? 0 : FLAG_STAMPED));
        if (stampBytes != null) {
            System.arraycopy(stampBytes, 0, out, HEADER, stampBytes.length);
        }
        return out;
    }

    /**
     * The value in an entry that is not a manifest.
     *
     * @throws UnreadableEntryException when the bytes are sound but this reader cannot or may
     *     not decode them (a missing or refused class, another codec's entry)
     * @throws Exception when the bytes are corrupt
     */
    Object decode(byte[] b) throws Exception {
        return decode(b[1] & 0xff, b[2] & 0xff, b, HEADER, b.length - HEADER);
    }

    /** The value (a {@link Stamped} when the flags say so) in {@code len} bytes at {@code off}, which end the array. */
    Object decode(int codecId, int flags, byte[] b, int off, int len) throws Exception {
        if ((flags & FLAG_STAMPED) == 0) {
            return decodeValue(codecId, flags, b, off, len);
        }
        StampCodec.Header h = StampCodec.decode(b, off);
        return h.stamp(decodeValue(codecId, flags, b, off + h.length(), len - h.length()));
    }

    private Object decodeValue(int codecId, int flags, byte[] b, int off, int len) throws Exception {
        if ((flags & FLAG_DEFLATED) != 0) {
            b = inflate(b, off, len);
            off = 0;
            len = b.length;
        }
        switch (codecId) {
            case CODEC_NULL:
                if (len != 0) {
                    throw new IllegalStateException("null entry with a payload of " + len + " bytes");
                }
                return null;
            case CODEC_STRING:
                return new String(b, off, len, StandardCharsets.UTF_8);
            case CODEC_BYTES:
                return off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
            case CODEC_LONG:
                return Long.parseLong(new String(b, off, len, StandardCharsets.US_ASCII));
            default:
                ValueCodec reader = codecId == codec.id() ? codec
                        : sibling != null && codecId == sibling.id() ? sibling : null;
                if (reader == null) {
                    throw new UnreadableEntryException("id " + codecId, null, len, "written by codec id " + codecId
                            + ", but this cache's codec is '" + codec.name() + "' (id " + codec.id() + ")", null);
                }
                try {
                    return reader.decode(b, off, len);
                } catch (Exception | LinkageError e) {
                    UnreadableEntryException u = UnreadableEntryException.classify(reader.name(), len, e);
                    if (u != null) {
                        throw u;
                    }
                    throw e;
                }
        }
    }

    /** What kind of entry {@code b} is: a plain integer, an envelope, or garbage. */
    static Kind kind(byte[] b) {
        if (b.length == 0) {
            return Kind.CORRUPT;
        }
        if (b[0] == MAGIC) {
            if (b.length < HEADER) {
                return Kind.CORRUPT;
            }
            if ((b[2] & FLAG_MANIFEST) != 0) {
                return b.length == HEADER + MANIFEST_PAYLOAD ? Kind.MANIFEST : Kind.CORRUPT;
            }
            return (b[1] & 0xff) == CODEC_PIECE ? Kind.CORRUPT : Kind.VALUE;
        }
        return DecimalValues.isDecimal(b) ? Kind.INTEGER : Kind.CORRUPT;
    }

    enum Kind { INTEGER, VALUE, MANIFEST, CORRUPT }

    /** Payloads up to this size are deflated without a guess (the guess reads half of it). */
    static final int GUESS_ABOVE = 4096;

    /**
     * Whether deflating {@code payload} is worth its time: a payload larger than
     * {@value #GUESS_ABOVE} bytes must be guessed (by {@link Compressibility}, from its first
     * bytes) to shrink to 60% or less. Near-incompressible data (already compressed, encrypted,
     * random) costs deflate the most time and saves the least, so it is stored as is.
     */
    private static boolean worthDeflating(byte[] payload, int off, int len) {
        return len <= GUESS_ABOVE || Compressibility.worthDeflating(payload, off, len);
    }

    /** The {@code len} bytes at {@code off} deflated, or null when deflating does not make them smaller. */
    private byte[] deflate(byte[] in, int off, int len) {
        Deflater d = Zlib.deflater(compressLevel);
        try {
            d.setInput(in, off, len);
            d.finish();
            byte[] out = new byte[len];
            int n = 0;
            while (!d.finished()) {
                if (n == out.length) {
                    return null; // no smaller
                }
                n += d.deflate(out, n, out.length - n);
            }
            return n < len ? java.util.Arrays.copyOf(out, n) : null;
        } finally {
            Zlib.release(d, compressLevel);
        }
    }

    private static byte[] inflate(byte[] in, int off, int len) throws DataFormatException {
        Inflater inf = Zlib.inflater();
        try {
            inf.setInput(in, off, len);
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, len * 3));
            byte[] buf = new byte[64 * 1024];
            while (!inf.finished()) {
                int n = inf.inflate(buf);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    throw new DataFormatException("deflated payload is truncated");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            Zlib.release(inf);
        }
    }
}
