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
    /** Where a batch's command is put together before it goes into the buffer in one write. */
    private byte[] scratch;

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
     * The fixed parts of many commands {@code cm <namespace + key> flags O<opaque>} that differ
     * only by key and opaque (a batch): encoded once, so that each command is a key and a number.
     */
    static final class Template {
        final String cm;
        final String namespace;
        final String flags;
        /** {@code cm <namespace>}, or null when the namespace cannot go verbatim. */
        private final byte[] head;
        /** {@code  flags O}. */
        private final byte[] tail;

        Template(String cm, String namespace, String flags) {
            this.cm = cm;
            this.namespace = namespace;
            this.flags = flags;
            this.head = WireKeys.isVerbatim(namespace) ? (cm + " " + namespace).getBytes(StandardCharsets.US_ASCII) : null;
            this.tail = (flags.isEmpty() ? " O" : " " + flags + " O").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * {@code t}'s command for the wire key of {@code t.namespace + key} and {@code opaque} (at
     * least 0): a key memcached can take verbatim is written straight into the buffer, with no
     * {@link WireKey} made; any other goes through {@link WireKeys#encode}.
     */
    MetaCommands command(Template t, String key, long opaque) {
        byte[] head = t.head;
        if (head == null || t.namespace.length() + key.length() > WireKeys.MAX_RAW) {
            return command(t.cm, WireKeys.encode(t.namespace, key), t.flags, opaque);
        }
        int need = head.length + key.length() + t.tail.length + 22;
        if (scratch == null || scratch.length < need) {
            scratch = new byte[Math.max(need, head.length + WireKeys.MAX_RAW + t.tail.length + 22)];
        }
        byte[] b = scratch;
        System.arraycopy(head, 0, b, 0, head.length);
        if (!WireKeys.copyPrintable(key, b, head.length)) {
            return command(t.cm, WireKeys.encode(t.namespace, key), t.flags, opaque);
        }
        int p = head.length + key.length();
        System.arraycopy(t.tail, 0, b, p, t.tail.length);
        p += t.tail.length;
        p = writeNumber(opaque, b, p);
        b[p++] = '\r';
        b[p++] = '\n';
        current.writeBytes(b, 0, p);
        count++;
        return this;
    }

    /** Writes {@code n} (0 or more) in decimal at {@code b[p]}; returns the position after it. */
    private static int writeNumber(long n, byte[] b, int p) {
        int digits = 1;
        for (long x = n; x >= 10; x /= 10) {
            digits++;
        }
        for (int i = p + digits - 1; i >= p; i--) {
            b[i] = (byte) ('0' + (int) (n % 10));
            n /= 10;
        }
        return p + digits;
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
