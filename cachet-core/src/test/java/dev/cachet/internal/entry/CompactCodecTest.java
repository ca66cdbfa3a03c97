package dev.cachet.internal.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InvalidClassException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CompactCodecTest {
    record Point(int x, int y) implements Serializable {
    }

    record Link(String url, double score, long id, Kind kind, List<Point> path) implements Serializable {
    }

    enum Kind { FEED, ENTRY }

    /** A record whose constructor counts its calls: bytes naming it must never reach it unless allowed. */
    record Probe(String name) implements Serializable {
        static final AtomicInteger MADE = new AtomicInteger();

        Probe {
            MADE.incrementAndGet();
        }
    }

    private static final String PKG = CompactCodecTest.class.getName() + "$";
    private final CompactCodec plain = new CompactCodec(List.of());
    private final CompactCodec mine = new CompactCodec(List.of(CompactCodecTest.class.getPackageName() + ".*"));

    private static Object roundTrip(CompactCodec codec, Object value) throws Exception {
        byte[] b = codec.encode(value);
        return codec.decode(b, 0, b.length);
    }

    private static boolean compact(CompactCodec codec, Object value) {
        return codec.encode(value)[0] != CompactFormat.JAVA;
    }

    @Test
    void jdkValuesRoundTripCompactlyAsTheSameClasses() throws Exception {
        List<Object> values = List.of(1, -7L, (short) 3, (byte) -2, 'x', 1.5f, -2.25, true, false, "héllo ✓",
                new BigInteger("-123456789012345678901234567890"), new BigDecimal("-12.50"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new Date(1_700_000_000_123L),
                Instant.ofEpochSecond(-5, 7), Duration.ofMillis(-1500), LocalDate.of(1969, 7, 20),
                LocalTime.of(23, 59, 59, 999), LocalDateTime.of(2026, 12, 7, 2, 30), DayOfWeek.FRIDAY,
                Long.MIN_VALUE, Integer.MIN_VALUE, Double.NaN);
        for (Object v : values) {
            assertThat(compact(plain, v)).as("%s (%s) written compactly", v, v.getClass()).isTrue();
            Object back = roundTrip(plain, v);
            assertThat(back).as("%s", v).isEqualTo(v).hasSameClassAs(v);
        }
        Object[] nulls = {null};
        assertThat((Object[]) roundTrip(plain, nulls)).containsExactly((Object) null);
    }

    @Test
    void collectionsKeepTheirClassOrderAndContents() throws Exception {
        List<Object> values = new ArrayList<>();
        values.add(new ArrayList<>(Arrays.asList("a", null, 3)));
        values.add(new LinkedList<>(List.of(1, 2)));
        values.add(List.of());
        values.add(List.of("one"));
        values.add(List.of("a", "b", "c"));
        values.add(Stream.of("x", null).toList());
        values.add(new HashMap<>(Map.of("k", 1, "j", List.of(2))));
        LinkedHashMap<String, Integer> ordered = new LinkedHashMap<>();
        ordered.put("z", 26);
        ordered.put("a", 1);
        values.add(ordered);
        values.add(new TreeMap<>(Map.of("b", 2, "a", 1)));
        values.add(Map.of());
        values.add(Map.of("k", "v"));
        values.add(Map.of("a", 1, "b", 2, "c", 3));
        values.add(new HashSet<>(Set.of(1, 2, 3)));
        values.add(new LinkedHashSet<>(List.of("q", "p")));
        values.add(new TreeSet<>(Set.of(3, 1, 2)));
        values.add(Set.of("only"));
        values.add(Set.of(1, 2, 3, 4));
        for (Object v : values) {
            assertThat(compact(plain, v)).as("%s (%s) written compactly", v, v.getClass()).isTrue();
            Object back = roundTrip(plain, v);
            assertThat(back).as("%s", v).isEqualTo(v).hasSameClassAs(v);
            if (v instanceof LinkedHashMap<?, ?> || v instanceof List<?> || v instanceof TreeMap<?, ?>
                    || v instanceof LinkedHashSet<?> || v instanceof TreeSet<?>) {
                assertThat(back.toString()).as("order of %s", v).isEqualTo(v.toString());
            }
        }
        assertThatThrownBy(() -> ((List<?>) roundTrip(plain, List.of(1))).add(null))
                .as("List.of stays immutable").isInstanceOf(UnsupportedOperationException.class);
        assertThat((int[]) roundTrip(plain, new int[] {1, -2, Integer.MAX_VALUE})).containsExactly(1, -2,
                Integer.MAX_VALUE);
        assertThat((long[]) roundTrip(plain, new long[] {Long.MIN_VALUE, 0})).containsExactly(Long.MIN_VALUE, 0);
        assertThat((double[]) roundTrip(plain, new double[] {0.5, -1})).containsExactly(0.5, -1);
        assertThat((byte[]) roundTrip(plain, new byte[] {1, 2, -1})).containsExactly(1, 2, -1);
        assertThat((String[]) roundTrip(plain, new String[] {"a", null})).containsExactly("a", null);
    }

    @Test
    void theSeedsLargeValueIsCompactAndAboutItsTextsSize() throws Exception {
        List<String> links = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            links.add(String.format("%0100d", i));
        }
        byte[] b = plain.encode(links);
        assertThat(b[0]).isEqualTo(CompactFormat.ARRAY_LIST);
        assertThat(b.length).as("1000 strings of 100 bytes, a tag and a length byte each").isBetween(102_000, 102_010);
        assertThat(plain.decode(b, 0, b.length)).isEqualTo(links);
    }

    @Test
    void allowListedRecordsAndEnumsRoundTripCompactly() throws Exception {
        Link link = new Link("https://example.com/a", 0.75, 42L, Kind.ENTRY, List.of(new Point(1, 2), new Point(3, 4)));
        List<Link> page = List.of(link, new Link("b", 1, 1, Kind.FEED, List.of()), link);
        assertThat(compact(mine, page)).isTrue();
        assertThat(roundTrip(mine, page)).isEqualTo(page);
        byte[] once = mine.encode(List.of(link));
        byte[] twice = mine.encode(List.of(link, link));
        assertThat(new String(twice, StandardCharsets.ISO_8859_1).split(java.util.regex.Pattern.quote(Link.class.getName()), -1))
                .as("a class's name and components are written once per entry").hasSize(2);
        assertThat(twice.length).isLessThan(2 * once.length);
    }

    @Test
    void aClassOutsideTheAllowListIsRefusedAtEncodeNamingIt() {
        for (Object v : List.of(new Point(1, 2), List.of(new Point(1, 2)), Map.of("k", Kind.FEED))) {
            assertThatThrownBy(() -> plain.encode(v)).as("%s", v)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(PKG)
                    .hasMessageContaining("codec_allow");
        }
        assertThatThrownBy(() -> plain.encode(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void bytesNamingARecordOutsideTheAllowListNeverLoadOrBuildIt() throws Exception {
        CompactCodec everything = new CompactCodec(List.of("dev.**"));
        byte[] written = everything.encode(List.of(new Probe("boom")));
        int made = Probe.MADE.get();
        assertThatThrownBy(() -> plain.decode(written, 0, written.length))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining(Probe.class.getName())
                .hasMessageContaining("allow-list");
        assertThat(Probe.MADE.get()).as("constructor never called").isEqualTo(made);
        // a name the allow-list would accept but that is not on this class path: not found, kept by the cache
        byte[] renamed = replace(written, Probe.class.getName(), "dev.cachet.internal.entry.NoSuchRecordX");
        assertThatThrownBy(() -> everything.decode(renamed, 0, renamed.length))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aRecordWhoseShapeChangedIsUnreadableNotFilledWrongly() throws Exception {
        byte[] written = mine.encode(new Point(1, 2));
        // the entry says the components are (int y, int x): same types, other names
        byte[] swapped = replace(replace(replace(written, "\u0001x", "\u0001#"), "\u0001y", "\u0001x"), "\u0001#", "\u0001y");
        assertThatThrownBy(() -> mine.decode(swapped, 0, swapped.length))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("written with components (int y, int x)")
                .hasMessageContaining("(int x, int y)");
        assertThat(UnreadableEntryException.classify("compact", swapped.length,
                catchThrowable(() -> mine.decode(swapped, 0, swapped.length)))).isNotNull();
    }

    @Test
    void sharedOrCyclicContainersAndOtherClassesGoThroughJdkSerializationKeepingIdentity() throws Exception {
        List<String> shared = new ArrayList<>(List.of("x"));
        List<List<String>> twice = new ArrayList<>(List.of(shared, shared));
        assertThat(compact(plain, twice)).isFalse();
        @SuppressWarnings("unchecked")
        List<List<String>> back = (List<List<String>>) roundTrip(plain, twice);
        assertThat(back.get(0)).isSameAs(back.get(1)).containsExactly("x");

        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        @SuppressWarnings("unchecked")
        List<Object> cycleBack = (List<Object>) roundTrip(plain, cycle);
        assertThat(cycleBack.get(0)).isSameAs(cycleBack);

        Object unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of(1)));
        assertThat(compact(plain, unmodifiable)).isFalse();
        assertThat(roundTrip(plain, unmodifiable)).isEqualTo(unmodifiable).hasSameClassAs(unmodifiable);
        TreeSet<String> reversed = new TreeSet<>(java.util.Comparator.reverseOrder());
        reversed.addAll(List.of("a", "b"));
        assertThat(compact(plain, reversed)).as("a comparator is the JDK's to keep").isFalse();
        assertThat(roundTrip(plain, reversed).toString()).isEqualTo("[b, a]");
    }

    @Test
    void corruptBytesFailWithoutAllocatingWhatALengthClaims() {
        byte[][] bad = {
            {},
            {CompactFormat.ARRAY_LIST, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
            {CompactFormat.STRING, 0x7F, 'a'},
            {CompactFormat.INTS, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
            {CompactFormat.LONG, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01},
            {CompactFormat.INT, 2, 0},
            {99},
            {CompactFormat.RECORD, 5},
        };
        for (byte[] b : bad) {
            assertThatThrownBy(() -> plain.decode(b, 0, b.length)).as(Arrays.toString(b))
                    .isInstanceOfAny(StreamCorruptedException.class, IllegalStateException.class)
                    .satisfies(e -> assertThat(UnreadableEntryException.classify("compact", b.length, e))
                            .as("corrupt, not merely unreadable").isNull());
        }
    }

    @Test
    void aCacheOnEitherBuiltInCodecReadsWhatTheOtherWrote() throws Exception {
        EntryFormat compactFormat = new EntryFormat(plain, false, 0, 1);
        EntryFormat javaFormat = new EntryFormat(plain.java(), false, 0, 1);
        Map<String, List<Integer>> v = new HashMap<>(Map.of("k", List.of(1, 2)));
        assertThat(javaFormat.decode(compactFormat.encode(v))).isEqualTo(v);
        assertThat(compactFormat.decode(javaFormat.encode(v))).isEqualTo(v);
        assertThat(compactFormat.encode(v)[1]).isEqualTo((byte) CompactCodec.ID);
        assertThat(javaFormat.encode(v)[1]).isEqualTo((byte) JavaSerializationCodec.ID);
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        return org.assertj.core.api.Assertions.catchThrowable(c);
    }

    /** {@code b} with every occurrence of {@code from} (as Latin-1) replaced by {@code to}, lengths fixed up when they differ by none. */
    private static byte[] replace(byte[] b, String from, String to) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        String r = s.replace(from, to);
        if (from.length() != to.length()) {
            // only same-length replacements keep the varint lengths right; fix the one before the name
            int at = s.indexOf(from);
            byte[] out = r.getBytes(StandardCharsets.ISO_8859_1);
            out[at - 1] = (byte) (out[at - 1] + to.length() - from.length());
            return out;
        }
        return r.getBytes(StandardCharsets.ISO_8859_1);
    }
}
