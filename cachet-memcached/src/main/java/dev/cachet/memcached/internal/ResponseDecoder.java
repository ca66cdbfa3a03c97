package dev.cachet.memcached.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses meta-protocol replies into {@link MetaResponse}s, strictly: a line must end with CRLF
 * and be at most {@value #MAX_LINE} bytes; its code must be one the client knows; a value must
 * have exactly its announced length, then CRLF; return flags must be ones cachet asks for
 * ({@code f t c O W X Z}) with well-formed numbers. Anything else throws
 * {@link ProtocolException}, and the connection is dropped. {@code ERROR} (an unknown command)
 * and a {@code CLIENT_ERROR} other than incr's non-numeric value mean the connection's framing
 * can no longer be trusted, so they are anomalies too. Each line is copied out of the buffer once
 * and parsed from the copy. One per connection (it keeps the line): in a Netty pipeline on its
 * event loop, or, through {@link #parse}, on the thread of a {@link SocketConnection}'s caller.
 */
final class ResponseDecoder extends ByteToMessageDecoder {
    static final int MAX_LINE = 8192;
    static final String NON_NUMERIC = "cannot increment or decrement non-numeric value";
    /** memcached's largest item ({@code -I} at most 1g); a longer value announces garbage. */
    static final long MAX_VALUE = 1L << 30;

    /** The reply line being parsed, copied out of the buffer once (its CRLF left out). */
    private final byte[] line = new byte[MAX_LINE + 2];

    /** The readable bytes the reply at the buffer's start needs in all, once its value's length is known (0: none pending). */
    private int awaiting;

    ResponseDecoder() {
        setCumulator(this::cumulate);
    }

    /**
     * Netty's merging cumulation, but a buffer too small for a value whose length is known grows
     * towards that length at once instead of doubling (and copying what it holds) read after read.
     * It never grows past twice the bytes that actually arrived, so a length a server announces
     * allocates nothing by itself.
     */
    private ByteBuf cumulate(ByteBufAllocator alloc, ByteBuf cumulation, ByteBuf in) {
        int need = awaiting;
        if (need <= cumulation.capacity() || in.readableBytes() <= cumulation.writableBytes()) {
            return MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
        }
        long have = (long) cumulation.readableBytes() + in.readableBytes();
        ByteBuf grown = null;
        try {
            grown = alloc.buffer((int) capacityFor(have, need));
            grown.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            ByteBuf out = grown;
            grown = null;
            return out;
        } finally {
            in.release();
            if (grown != null) {
                grown.release();
            }
        }
    }

    /**
     * The room for a reply of which {@code have} bytes arrived and {@code need} are announced in
     * all: towards {@code need} at once, but never past twice what arrived (at least 64 KiB), so
     * that an announced length allocates nothing by itself.
     */
    static long capacityFor(long have, long need) {
        return Math.max(have, Math.min(need, Math.max(2 * have, 1 << 16)));
    }

    /**
     * How many bytes, from the reader index {@link #parse} left, the reply it stopped at needs in
     * all, once that reply's value length is known; 0 when not known.
     */
    int awaiting() {
        return awaiting;
    }

    /** The capacity of the bytes held for a reply not yet whole. */
    int heldCapacity() {
        return internalBuffer().capacity();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        parse(in, out);
    }

    /**
     * Parses the whole replies at the start of {@code in} into {@code out}, leaving the reader
     * index at the first reply not yet whole.
     *
     * @throws ProtocolException when the bytes break the protocol
     */
    void parse(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int lf = in.indexOf(start, Math.min(end, start + MAX_LINE + 2), (byte) '\n');
            if (lf < 0) {
                if (end - start > MAX_LINE + 1) {
                    throw new ProtocolException("a reply line longer than " + MAX_LINE + " bytes");
                }
                return;
            }
            if (lf == start || in.getByte(lf - 1) != '\r') {
                throw new ProtocolException("a reply line ended by LF without CR: " + printable(in, start, lf - start));
            }
            int len = lf - 1 - start; // up to the CR
            in.getBytes(start, line, 0, len);
            MetaResponse r = new MetaResponse();
            int pos = parseCode(len, r);
            int next = lf + 1;
            if (r.code == MetaResponse.Code.VA) {
                int sp = indexOfSpace(pos, len);
                long size = parseUnsigned(pos, sp, "value length", len);
                if (size > MAX_VALUE) {
                    throw new ProtocolException("a value length of " + size + " bytes, larger than any memcached item");
                }
                if (end - next < size + 2) {
                    awaiting = (int) Math.min(Integer.MAX_VALUE, next - start + size + 2);
                    return; // wait for the whole value
                }
                awaiting = 0;
                int dataEnd = next + (int) size;
                if (in.getByte(dataEnd) != '\r' || in.getByte(dataEnd + 1) != '\n') {
                    throw new ProtocolException("a value of " + size + " bytes not followed by CRLF");
                }
                byte[] v = new byte[(int) size];
                in.getBytes(next, v);
                r.value = v;
                next = dataEnd + 2;
                pos = sp;
            }
            if (r.message == null) {
                parseFlags(pos, len, r);
            }
            in.readerIndex(next);
            out.add(r);
        }
    }

    /** Parses the code of the line of {@code len} bytes; returns where its flags (or the value length) begin. */
    private int parseCode(int len, MetaResponse r) {
        byte[] l = line;
        if (len >= 2 && (len == 2 || l[2] == ' ')) {
            char a = (char) l[0];
            char b = (char) l[1];
            MetaResponse.Code c = switch (a) {
                case 'V' -> b == 'A' ? MetaResponse.Code.VA : null;
                case 'H' -> b == 'D' ? MetaResponse.Code.HD : null;
                case 'E' -> b == 'N' ? MetaResponse.Code.EN : b == 'X' ? MetaResponse.Code.EX : null;
                case 'N' -> b == 'S' ? MetaResponse.Code.NS : b == 'F' ? MetaResponse.Code.NF : null;
                case 'M' -> b == 'N' ? MetaResponse.Code.MN : null;
                case 'O' -> b == 'K' ? MetaResponse.Code.OK : null;
                default -> null;
            };
            if (c != null) {
                r.code = c;
                if (c == MetaResponse.Code.VA && len == 2) {
                    throw new ProtocolException("VA without a value length");
                }
                return Math.min(3, len);
            }
        }
        String text = new String(l, 0, len, StandardCharsets.ISO_8859_1);
        if (text.startsWith("SERVER_ERROR")) {
            r.code = MetaResponse.Code.SERVER_ERROR;
            r.message = text.substring("SERVER_ERROR".length()).trim();
            return len;
        }
        if (text.startsWith("CLIENT_ERROR")) {
            String message = text.substring("CLIENT_ERROR".length()).trim();
            if (message.equals(NON_NUMERIC)) {
                r.code = MetaResponse.Code.CLIENT_ERROR;
                r.message = message;
                return len;
            }
            throw new ProtocolException("the server refused a command: CLIENT_ERROR " + printable(message));
        }
        if (text.equals("ERROR")) {
            throw new ProtocolException("the server did not know a command (ERROR)");
        }
        throw new ProtocolException("an unknown reply line: " + printable(text));
    }

    private void parseFlags(int pos, int len, MetaResponse r) {
        byte[] l = line;
        while (pos < len) {
            if (l[pos] == ' ') {
                pos++;
                continue;
            }
            int sp = indexOfSpace(pos, len);
            char f = (char) l[pos];
            switch (f) {
                case 'f' -> r.clientFlags = parseUnsigned(pos + 1, sp, "client flags", len);
                case 'c' -> r.cas = parseUnsigned(pos + 1, sp, "cas", len);
                case 's' -> r.size = parseUnsigned(pos + 1, sp, "size", len);
                case 'O' -> r.opaque = parseUnsigned(pos + 1, sp, "opaque", len);
                case 't' -> {
                    r.hasTtl = true;
                    if (sp - pos == 3 && l[pos + 1] == '-' && l[pos + 2] == '1') {
                        r.ttl = -1;
                    } else {
                        r.ttl = parseUnsigned(pos + 1, sp, "ttl", len);
                    }
                }
                case 'W', 'X', 'Z' -> {
                    if (sp != pos + 1) {
                        throw new ProtocolException("return flag " + f + " with a token: " + printableLine(len));
                    }
                    if (f == 'W') {
                        r.won = true;
                    } else if (f == 'X') {
                        r.stale = true;
                    } else {
                        r.winnerExists = true;
                    }
                }
                default -> throw new ProtocolException("an unexpected return flag '" + printable(String.valueOf(f))
                        + "' in " + printableLine(len));
            }
            pos = sp;
        }
    }

    private int indexOfSpace(int from, int to) {
        byte[] l = line;
        for (int i = from; i < to; i++) {
            if (l[i] == ' ') {
                return i;
            }
        }
        return to;
    }

    private long parseUnsigned(int from, int to, String what, int len) {
        if (from >= to || to - from > 20) {
            throw new ProtocolException("a malformed " + what + " in " + printableLine(len));
        }
        byte[] l = line;
        long n = 0;
        for (int i = from; i < to; i++) {
            byte b = l[i];
            if (b < '0' || b > '9') {
                throw new ProtocolException("a malformed " + what + " in " + printableLine(len));
            }
            n = n * 10 + (b - '0');
            if (n < 0) {
                throw new ProtocolException("an out-of-range " + what + " in " + printableLine(len));
            }
        }
        return n;
    }

    private String printableLine(int len) {
        return printable(new String(line, 0, Math.min(len, 120), StandardCharsets.ISO_8859_1));
    }

    private static String printable(ByteBuf in, int from, int len) {
        return printable(in.toString(from, Math.min(len, 120), StandardCharsets.ISO_8859_1));
    }

    /** The text with control and non-ASCII characters escaped, at most 120 characters, quoted. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < s.length() && i < 120; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(s.length() > 120 ? "...'" : "'").toString();
    }
}
