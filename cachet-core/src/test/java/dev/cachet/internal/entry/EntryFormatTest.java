package dev.cachet.internal.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntryFormatTest {
    private final EntryFormat format = new EntryFormat(new JavaSerializationCodec(List.of()), true, 64, 1);

    @Test
    void integersArePlainDecimalWithoutEnvelope() {
        assertThat(format.encode(42L)).isEqualTo("42".getBytes(StandardCharsets.US_ASCII));
        assertThat(format.encode(-7L)).isEqualTo("-7".getBytes(StandardCharsets.US_ASCII));
        assertThat(EntryFormat.kind(format.encode(Long.MIN_VALUE))).isEqualTo(EntryFormat.Kind.INTEGER);
    }

    @Test
    void stringsTakeTheUtf8FastPath() throws Exception {
        byte[] b = format.encode("héllo ✓");
        assertThat(b[0]).isEqualTo(EntryFormat.MAGIC);
        assertThat(b[1]).isEqualTo((byte) EntryFormat.CODEC_STRING);
        assertThat(new String(b, 3, b.length - 3, StandardCharsets.UTF_8)).isEqualTo("héllo ✓");
        assertThat(format.decode(b)).isEqualTo("héllo ✓");
    }

    @Test
    void bytesAndNullRoundTrip() throws Exception {
        byte[] raw = {0, 1, 2, (byte) 0xff};
        assertThat((byte[]) format.decode(format.encode(raw))).isEqualTo(raw);
        byte[] nul = format.encode(null);
        assertThat(nul).hasSize(3);
        assertThat(format.decode(nul)).isNull();
    }

    @Test
    void compressesAboveTheThresholdOnlyWhenSmaller() throws Exception {
        String text = "abc".repeat(1000);
        byte[] b = format.encode(text);
        assertThat(b[2] & EntryFormat.FLAG_DEFLATED).isEqualTo(EntryFormat.FLAG_DEFLATED);
        assertThat(b.length).isLessThan(200);
        assertThat(format.decode(b)).isEqualTo(text);

        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        byte[] n = format.encode(noise);
        assertThat(n[2] & EntryFormat.FLAG_DEFLATED).isZero();
        assertThat((byte[]) format.decode(n)).isEqualTo(noise);

        byte[] small = format.encode("abc".repeat(10));
        assertThat(small[2] & EntryFormat.FLAG_DEFLATED).as("below threshold").isZero();
    }

    @Test
    void largeNearIncompressiblePayloadsAreNotDeflated() throws Exception {
        // random base64-like text compresses only to ~75%: not worth deflate's time
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Random r = new Random(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            sb.append(alphabet.charAt(r.nextInt(64)));
        }
        byte[] b = format.encode(sb.toString());
        assertThat(b[2] & EntryFormat.FLAG_DEFLATED).isZero();
        assertThat(format.decode(b)).isEqualTo(sb.toString());

        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            json.append("{\"id\":").append(i).append(",\"name\":\"user").append(i).append("\",\"active\":true},");
        }
        byte[] j = format.encode(json.toString());
        assertThat(j[2] & EntryFormat.FLAG_DEFLATED).isEqualTo(EntryFormat.FLAG_DEFLATED);
        assertThat(j.length).isLessThan(json.length() / 4);
    }

    @Test
    void compressionOffStoresPayloadAsIs() throws Exception {
        EntryFormat off = new EntryFormat(new JavaSerializationCodec(List.of()), false, 0, 1);
        String text = "abc".repeat(1000);
        byte[] b = off.encode(text);
        assertThat(b).hasSize(3 + 3000);
        assertThat(format.decode(b)).as("a reader with compression on reads it too").isEqualTo(text);
    }

    @Test
    void objectsGoThroughTheCodec() throws Exception {
        Map<String, Object> value = Map.of("a", List.of(1, 2, 3), "b", "x");
        byte[] b = format.encode(value);
        assertThat(b[1] & 0xff).isEqualTo(JavaSerializationCodec.ID);
        assertThat(format.decode(b)).isEqualTo(value);
    }

    @Test
    void classifiesGarbageAsCorrupt() {
        assertThat(EntryFormat.kind(new byte[0])).isEqualTo(EntryFormat.Kind.CORRUPT);
        assertThat(EntryFormat.kind("12a".getBytes(StandardCharsets.US_ASCII))).isEqualTo(EntryFormat.Kind.CORRUPT);
        assertThat(EntryFormat.kind("-".getBytes(StandardCharsets.US_ASCII))).isEqualTo(EntryFormat.Kind.CORRUPT);
        assertThat(EntryFormat.kind("99999999999999999999".getBytes(StandardCharsets.US_ASCII)))
                .as("overflows a long").isEqualTo(EntryFormat.Kind.CORRUPT);
        assertThat(EntryFormat.kind(new byte[] {EntryFormat.MAGIC, 1})).isEqualTo(EntryFormat.Kind.CORRUPT);
        assertThat(EntryFormat.kind(new byte[] {'{', '}'})).isEqualTo(EntryFormat.Kind.CORRUPT);
    }

    @Test
    void truncatedDeflatedPayloadFailsToDecode() {
        byte[] b = format.encode("abc".repeat(1000));
        byte[] cut = java.util.Arrays.copyOf(b, b.length - 5);
        assertThatThrownBy(() -> format.decode(cut)).isInstanceOf(Exception.class);
    }

    @Test
    void aFailedInflateLeavesNothingBehindForTheNextEntry() throws Exception {
        String text = "abc".repeat(1000);
        byte[] good = format.encode(text);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
        for (int i = 0; i < 3 * Zlib.KEEP; i++) { // every pooled inflater fails once, then reads a sound entry
            assertThatThrownBy(() -> format.decode(cut)).isInstanceOf(Exception.class);
            assertThat(format.decode(good)).isEqualTo(text);
        }
    }

    @Test
    void pooledDeflatersKeepTheirLevelAndShareNothingAcrossThreads() throws Exception {
        EntryFormat fast = new EntryFormat(new JavaSerializationCodec(List.of()), true, 64, 1);
        EntryFormat best = new EntryFormat(new JavaSerializationCodec(List.of()), true, 64, 9);
        String text = "the quick brown fox jumps over the lazy dog ".repeat(500) + "and some more words".repeat(300);
        byte[] atBest = best.encode(text);
        assertThat(atBest.length).as("level 9 packs tighter than level 1").isLessThan(fast.encode(text).length);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                all.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 300; i++) {
                        String v = text.substring(r.nextInt(100)) + i;
                        EntryFormat f = i % 2 == 0 ? fast : best;
                        byte[] b = f.encode(v);
                        if ((b[2] & EntryFormat.FLAG_DEFLATED) == 0 || !v.equals(f.decode(b))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> f : all) {
                assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(best.encode(text)).as("a pooled level-9 deflater still writes level 9").isEqualTo(atBest);
    }

    @Test
    void aCompressionLevelOutsideZlibsIsRefused() {
        assertThatThrownBy(() -> new EntryFormat(new JavaSerializationCodec(List.of()), true, 64, 10))
                .hasMessageContaining("compress_level must be 0-9, not 10");
    }

    @Test
    void foreignCodecIdIsRefused() {
        byte[] b = {EntryFormat.MAGIC, (byte) 99, 0, 1, 2};
        assertThatThrownBy(() -> format.decode(b)).hasMessageContaining("codec id 99");
    }
}
