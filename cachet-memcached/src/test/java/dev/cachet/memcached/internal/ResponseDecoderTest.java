package dev.cachet.memcached.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder in a real Netty pipeline, fed replies in the pieces a socket delivers. */
class ResponseDecoderTest {
    private static byte[] value(int n, long seed) {
        byte[] v = new byte[n];
        new Random(seed).nextBytes(v);
        return v;
    }

    private static byte[] reply(byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("VA " + value.length + " f7 c42\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Feeds {@code bytes} in pieces of random sizes up to {@code maxPiece}; returns the pieces (to check they were released). */
    private static List<ByteBuf> feed(EmbeddedChannel ch, byte[] bytes, int maxPiece, long seed) {
        Random r = new Random(seed);
        List<ByteBuf> pieces = new ArrayList<>();
        for (int pos = 0; pos < bytes.length; ) {
            int n = Math.min(bytes.length - pos, 1 + r.nextInt(maxPiece));
            ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(bytes, pos, n);
            pieces.add(b);
            ch.writeInbound(b);
            pos += n;
        }
        return pieces;
    }

    @Test
    void largeValuesArrivingInPiecesDecodeWholeAndReleaseEveryPiece() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseDecoder());
        byte[] first = value(300_000, 1);
        byte[] second = value(70_000, 2);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(reply(first));
        stream.writeBytes("HD c9\r\n".getBytes(StandardCharsets.US_ASCII));
        stream.writeBytes(reply(second));
        for (int maxPiece : new int[] {1_000, 65_536}) {
            List<ByteBuf> pieces = feed(ch, stream.toByteArray(), maxPiece, maxPiece);
            MetaResponse a = ch.readInbound();
            MetaResponse hd = ch.readInbound();
            MetaResponse b = ch.readInbound();
            assertThat(a.code).isEqualTo(MetaResponse.Code.VA);
            assertThat(a.value).isEqualTo(first);
            assertThat(a.clientFlags).isEqualTo(7);
            assertThat(a.cas).isEqualTo(42);
            assertThat(hd.code).isEqualTo(MetaResponse.Code.HD);
            assertThat(hd.cas).isEqualTo(9);
            assertThat(b.value).isEqualTo(second);
            assertThat((Object) ch.readInbound()).isNull();
            assertThat(pieces).allSatisfy(p -> assertThat(p.refCnt()).isZero());
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anAnnouncedLengthAloneAllocatesNothingBig() {
        ResponseDecoder decoder = new ResponseDecoder();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        byte[] start = ("VA 1000000000 f0\r\n").getBytes(StandardCharsets.US_ASCII);
        feed(ch, start, 64, 3);
        feed(ch, value(10_000, 4), 1_000, 5);
        assertThat((Object) ch.readInbound()).isNull();
        // grown towards the announced gigabyte only as bytes arrive: at most twice what came, or 64 KiB
        assertThat(decoder.heldCapacity()).isLessThanOrEqualTo(1 << 16);
        feed(ch, value(200_000, 6), 65_536, 7);
        assertThat(decoder.heldCapacity()).isLessThanOrEqualTo(2 * (start.length + 210_000));
        ch.finishAndReleaseAll();
    }
}
