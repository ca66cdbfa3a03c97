package dev.cachet.internal.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.internal.Stamped;
import dev.cachet.spi.Store;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StampedFormatTest {
    private final EntryFormat format = new EntryFormat(new JavaSerializationCodec(List.of()), true, 64, 1);

    @Test
    void aStampTravelsWithTheValueAndTheValueKeepsItsCodec() throws Exception {
        Stamped s = new Stamped("héllo", 5_000L, 3_000L, 250, new String[] {"user:42", "feed ✓"}, new long[] {7L, -1L});
        byte[] b = format.encode(s);
        assertThat(b[1]).isEqualTo((byte) EntryFormat.CODEC_STRING);
        assertThat(b[2] & EntryFormat.FLAG_STAMPED).isEqualTo(EntryFormat.FLAG_STAMPED);
        assertThat(EntryFormat.kind(b)).isEqualTo(EntryFormat.Kind.VALUE);
        Stamped back = (Stamped) format.decode(b);
        assertThat(back).isEqualTo(s);
        assertThat(back.tags()).containsExactly("user:42", "feed ✓");
        assertThat(back.tagVersions()).containsExactly(7L, -1L);
    }

    @Test
    void aStampedIntegerIsAnEnvelopeNotACounter() throws Exception {
        byte[] b = format.encode(Stamped.of(42L, Store.NEVER, 10L, 3));
        assertThat(EntryFormat.kind(b)).isEqualTo(EntryFormat.Kind.VALUE);
        assertThat(b[1]).isEqualTo((byte) EntryFormat.CODEC_LONG);
        assertThat(((Stamped) format.decode(b)).value()).isEqualTo(42L);
    }

    @Test
    void aCompressedPayloadAfterAStampRoundTrips() throws Exception {
        String text = "abc".repeat(2000);
        byte[] b = format.encode(Stamped.of(text, 9L, 8L, 1));
        assertThat(b[2] & EntryFormat.FLAG_DEFLATED).isEqualTo(EntryFormat.FLAG_DEFLATED);
        assertThat(b.length).isLessThan(300);
        assertThat(((Stamped) format.decode(b)).value()).isEqualTo(text);
    }

    @Test
    void theCompactCodecWritesBehindTheEnvelopeWithOrWithoutStampOrDeflate() throws Exception {
        EntryFormat compact = new EntryFormat(new CompactCodec(List.of()), true, 64, 1);
        EntryFormat plain = new EntryFormat(new CompactCodec(List.of()), false, 64, 1);
        List<String> words = new java.util.ArrayList<>(java.util.Collections.nCopies(200, "the same words again"));
        List<String> noise = new java.util.ArrayList<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            noise.add(Long.toString(r.nextLong(), 36) + Long.toString(r.nextLong(), 36));
        }
        Stamped stamped = new Stamped(noise, 5_000L, 3_000L, 250, new String[] {"t"}, new long[] {4L});
        List<String> shared = new java.util.ArrayList<>(List.of("x"));
        List<List<String>> viaJdk = new java.util.ArrayList<>(List.of(shared, shared)); // identity: JDK serialization writes it
        for (EntryFormat f : List.of(compact, plain)) {
            byte[] w = f.encode(words);
            assertThat(w[0]).isEqualTo(EntryFormat.MAGIC);
            assertThat(w[1]).isEqualTo((byte) CompactCodec.ID);
            assertThat(w[2] & EntryFormat.FLAG_DEFLATED).isEqualTo(f == compact ? EntryFormat.FLAG_DEFLATED : 0);
            assertThat(f.decode(w)).isEqualTo(words);
            byte[] n = f.encode(noise);
            assertThat(n[2]).as("random text is stored as written").isZero();
            assertThat(f.decode(n)).isEqualTo(noise);
            byte[] st = f.encode(stamped);
            assertThat(st[2]).isEqualTo((byte) EntryFormat.FLAG_STAMPED);
            assertThat(f.decode(st)).isEqualTo(stamped);
            byte[] sw = f.encode(Stamped.of(words, 9L, 8L, 1));
            assertThat(((Stamped) f.decode(sw)).value()).isEqualTo(words);
            byte[] j = f.encode(Stamped.of(viaJdk, 9L, 8L, 1));
            if (f == plain) {
                assertThat(j[EntryFormat.HEADER + StampCodec.encode(Stamped.of(viaJdk, 9L, 8L, 1)).length]).isEqualTo(CompactFormat.JAVA);
            }
            assertThat(((Stamped) f.decode(j)).value()).isEqualTo(viaJdk);
            assertThat(f.decode(f.encode(viaJdk))).isEqualTo(viaJdk);
        }
        assertThat(compact.encode(words).length).isLessThan(plain.encode(words).length / 10);
    }

    @Test
    void entriesWithoutAStampReadAsBefore() throws Exception {
        assertThat(format.decode(format.encode("plain"))).isEqualTo("plain");
        assertThat(format.encode(5L)).isEqualTo("5".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aTruncatedStampIsRefusedNotMisread() {
        byte[] b = format.encode(new Stamped("v", 5L, 3L, 1, new String[] {"tag"}, new long[] {1L}));
        for (int cut = EntryFormat.HEADER + 1; cut < EntryFormat.HEADER + StampCodec.FIXED + 6; cut++) {
            byte[] shorter = Arrays.copyOf(b, cut);
            assertThatThrownBy(() -> format.decode(shorter)).as("cut at " + cut)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void theLogicalExpiryNeverPassesThePhysicalOne() {
        assertThat(Stamped.of("v", 100L, 500L, 0).freshUntil()).isEqualTo(100L);
        assertThatThrownBy(() -> Stamped.of(Stamped.of("v", 1L, 1L, 0), 1L, 1L, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
