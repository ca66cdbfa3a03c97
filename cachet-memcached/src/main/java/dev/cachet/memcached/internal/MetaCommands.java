package dev.cachet.memcached.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Writes meta-protocol commands into one buffer, on the caller's thread: {@code <cm> <key>
 * [<datalen>] [b] <flags> [O<opaque>]\r\n[<data>\r\n]}. Keys come as {@link WireKey}s, which are
 * printable ASCII without spaces by construction, so no command text can be injected. Values
 * of 16 KiB or more are referenced, not copied. Not thread-safe; used once.
 */
final class MetaCommands {
    private static final int WRAP_THRESHOLD = 16 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final ByteBufAllocator alloc;
    private ByteBuf current;
    private CompositeByteBuf composite;
    private int count;

    MetaCommands(ByteBufAllocator alloc, int sizeHint) {
        this.alloc = alloc;
        this.current = alloc.buffer(Math.max(64, sizeHint));
    }

    /** How many commands were written. */
    int count() {
        return count;
    }

    /** A command without data: {@code cm key [b] flags [O<opaque>]}; opaque -1 for none. */
    MetaCommands command(String cm, WireKey key, String flags, long opaque) {
        head(cm, key);
        tail(key, flags, opaque);
        return this;
    }

    /**
     * {@link #command(String, WireKey, String, long)} for the wire key of {@code namespace + key}:
     * a key memcached can take verbatim is written straight into the buffer, with no
     * {@link WireKey} made; any other goes through {@link WireKeys#encode}.
     */
    MetaCommands command(String cm, String namespace, String key, String flags, long opaque) {
        int mark = current.writerIndex();
        current.writeCharSequence(cm, StandardCharsets.US_ASCII);
        current.writeByte(' ');
        if (!WireKeys.writeVerbatim(current, namespace, key)) {
            current.writerIndex(mark);
            return command(cm, WireKeys.encode(namespace, key), flags, opaque);
        }
        if (!flags.isEmpty()) {
            current.writeByte(' ');
            current.writeCharSequence(flags, StandardCharsets.US_ASCII);
        }
        if (opaque >= 0) {
            current.writeByte(' ').writeByte('O');
            writeNumber(opaque);
        }
        current.writeBytes(CRLF);
        count++;
        return this;
    }

    /** A command with data ({@code ms}): {@code ms key <len> [b] flags [O<opaque>]} then the value. */
    MetaCommands set(WireKey key, byte[] value, String flags, long opaque) {
        head("ms", key);
        current.writeByte(' ');
        writeNumber(value.length);
        tail(key, flags, opaque);
        if (value.length >= WRAP_THRESHOLD) {
            if (composite == null) {
                composite = alloc.compositeBuffer(Integer.MAX_VALUE);
            }
            composite.addComponent(true, current);
            composite.addComponent(true, Unpooled.wrappedBuffer(value));
            current = alloc.buffer(256);
        } else {
            current.writeBytes(value);
        }
        current.writeBytes(CRLF);
        return this;
    }

    /** A command that is a bare line, e.g. {@code mn} or {@code flush_all}. */
    MetaCommands line(String text) {
        current.writeCharSequence(text, StandardCharsets.US_ASCII);
        current.writeBytes(CRLF);
        count++;
        return this;
    }

    private void head(String cm, WireKey key) {
        current.writeCharSequence(cm, StandardCharsets.US_ASCII);
        current.writeByte(' ');
        current.writeBytes(key.wire());
    }

    private void tail(WireKey key, String flags, long opaque) {
        if (key.base64()) {
            current.writeByte(' ').writeByte('b');
        }
        if (!flags.isEmpty()) {
            current.writeByte(' ');
            current.writeCharSequence(flags, StandardCharsets.US_ASCII);
        }
        if (opaque >= 0) {
            current.writeByte(' ').writeByte('O');
            writeNumber(opaque);
        }
        current.writeBytes(CRLF);
        count++;
    }

    private void writeNumber(long n) {
        if (n >= 0 && n < 10) {
            current.writeByte('0' + (int) n);
        } else if (n >= 0 && n < 100_000) {
            // the opaques of a batch: digits straight into the buffer, no String
            int digits = n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5;
            int at = current.writerIndex();
            current.ensureWritable(digits);
            for (int i = digits - 1; i >= 0; i--) {
                current.setByte(at + i, '0' + (int) (n % 10));
                n /= 10;
            }
            current.writerIndex(at + digits);
        } else {
            current.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
        }
    }

    /** The bytes written; ownership passes to the caller. */
    ByteBuf build() {
        if (composite == null) {
            return current;
        }
        composite.addComponent(true, current);
        current = null;
        return composite;
    }
}
