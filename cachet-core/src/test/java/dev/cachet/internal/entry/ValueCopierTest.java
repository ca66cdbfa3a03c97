package dev.cachet.internal.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.KeyFunction;
import dev.cachet.NotAnIntegerException;
import dev.cachet.internal.FailureLog;
import dev.cachet.internal.KeyPolicy;
import dev.cachet.internal.Stamped;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Memory by value copies values instead of encoding them, with the codec's rules: same classes, same refusals. */
class ValueCopierTest {
    record Point(int x, int y) implements Serializable {
    }

    record Route(String name, List<Point> stops) implements Serializable {
    }

    record Secret(String name) implements Serializable {
    }

    /** A record whose accessor hands out a copy of its list, not the list itself. */
    record Names(List<String> list) implements Serializable {
        @Override
        public List<String> list() {
            return List.copyOf(list);
        }
    }

    /** A record whose constructor refuses what it took before, once {@code refuse} is set. */
    record Moody(String name) implements Serializable {
        static volatile boolean refuse;

        Moody {
            if (refuse) {
                throw new IllegalArgumentException("not today");
            }
        }
    }

    enum Kind { FEED, ENTRY }

    /** An enum whose constants have bodies (each its own subclass). */
    enum Op {
        PLUS {
            @Override
            long apply(long a) {
                return a + 1;
            }
        };

        abstract long apply(long a);
    }

    enum Hidden { A }

    /** Serializable but outside the compact format: held encoded. */
    static final class Box implements Serializable {
        private static final long serialVersionUID = 1L;
        final List<String> items = new ArrayList<>();

        @Override
        public boolean equals(Object o) {
            return o instanceof Box b && b.items.equals(items);
        }

        @Override
        public int hashCode() {
            return items.hashCode();
        }
    }

    private static final String MINE = Stream.of("Point", "Route", "Kind", "Box", "Names", "Moody", "Op")
            .map(n -> ValueCopierTest.class.getName() + "$" + n).collect(java.util.stream.Collectors.joining(","));
    private final CompactCodec codec = new CompactCodec(
            Stream.concat(Stream.of(MINE.split(",")), Stream.of("java.lang.String$CaseInsensitiveComparator")).toList());
    private final FailureLog log = new FailureLog("t");
    private final ValueCopier copier = new ValueCopier(codec, new KeyPolicy("t", "", KeyFunction.DEFAULT, false), log);

    private Object decoded(Object value) throws Exception {
        byte[] b = codec.encode(value);
        return codec.decode(b, 0, b.length);
    }

    private static List<Object> values() {
        Map<String, Object> nested = new HashMap<>(Map.of("ints", new int[] {1, 2}, "list", new ArrayList<>(List.of("a"))));
        return Arrays.asList(null, "héllo ✓", 7L, 3, (short) 2, 'c', 1.5f, 2.5, true, new BigDecimal("-1.50"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new Date(1_700_000_000_123L),
                Instant.ofEpochSecond(5, 7), DayOfWeek.MONDAY, Kind.ENTRY,
                new ArrayList<>(List.of("x", "y")), new LinkedList<>(List.of(1L, 2L)), List.of("a", "b"), List.of(),
                List.of(new ArrayList<>(List.of("in"))), Stream.of("s", "t").toList(),
                new HashMap<>(Map.of("k", 1L)), new LinkedHashMap<>(Map.of("k", "v")), new TreeMap<>(Map.of("b", 2, "a", 1)),
                Map.of("k", new ArrayList<>(List.of("v"))), Map.of("k", "v"),
                new HashSet<>(Set.of("p")), new LinkedHashSet<>(List.of("q", "r")), new TreeSet<>(Set.of(3, 1, 2)),
                Set.of("z"), Set.of(List.of("deep")), Stream.of("n", "o", "p").toList(), Op.PLUS,
                new byte[] {1, 2, 3}, new int[] {4, 5}, new long[] {6}, new double[] {7.5}, new String[] {"u", null},
                new Object[] {new ArrayList<>(List.of("w")), "x", new int[] {9}},
                new Point(1, 2), new Route("r", new ArrayList<>(List.of(new Point(3, 4)))), nested);
    }

    @Test
    void aCopyIsWhatADecodeWouldGiveOfTheSameClass() throws Exception {
        for (Object v : values()) {
            Object held = copier.copyIn(v);
            assertThat(held instanceof ValueCopier.Encoded).as("%s is copied, not encoded", v).isFalse();
            Object out = copier.copyOut(held);
            Object expected = decoded(v);
            if (v == null) {
                assertThat(out).isNull();
                continue;
            }
            assertThat(deepEqual(out, expected)).as("%s copied is its decode, class by class", v).isTrue();
            assertThat(out.equals(v) || v.getClass().isArray() || v instanceof Map<?, ?> || v instanceof Object[])
                    .as("%s copied equals itself", v).isTrue();
        }
        TreeMap<?, ?> sorted = (TreeMap<?, ?>) copier.copyOut(copier.copyIn(new TreeMap<>(Map.of("b", 2, "a", 1))));
        assertThat(sorted.firstKey()).isEqualTo("a");
    }

    @Test
    void mutableValuesAreNeverHandedOutImmutableLeavesAreShared() {
        ArrayList<String> list = new ArrayList<>(List.of("x"));
        Object held = copier.copyIn(list);
        assertThat(held).isNotSameAs(list).isEqualTo(list);
        list.add("changed after set");
        @SuppressWarnings("unchecked")
        List<String> first = (List<String>) copier.copyOut(held);
        first.add("changed after get");
        assertThat(copier.copyOut(held)).isEqualTo(List.of("x")).isNotSameAs(first).isNotSameAs(held);

        Map<String, Object> nested = new HashMap<>(Map.of("ints", new int[] {1}));
        Object heldMap = copier.copyIn(nested);
        ((int[]) nested.get("ints"))[0] = 99;
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) copier.copyOut(heldMap);
        assertThat((int[]) back.get("ints")).containsExactly(1);

        Date date = new Date(5);
        Object heldDate = copier.copyIn(date);
        date.setTime(6);
        assertThat(copier.copyOut(heldDate)).isEqualTo(new Date(5)).isNotSameAs(heldDate);

        String leaf = "leaf";
        assertThat(copier.copyOut(copier.copyIn(leaf))).isSameAs(leaf); // immutable leaves are shared
        assertThat(copier.copyOut(copier.copyIn(Op.PLUS))).isSameAs(Op.PLUS);
        // an immutable container around a mutable one is rebuilt around a copy
        List<List<String>> around = List.of(new ArrayList<>(List.of("in")));
        Object heldAround = copier.copyIn(around);
        around.get(0).add("changed");
        assertThat(copier.copyOut(heldAround)).isEqualTo(List.of(List.of("in"))).isNotSameAs(around);
        Route route = new Route("r", new ArrayList<>(List.of(new Point(1, 1))));
        Object heldRoute = copier.copyIn(route);
        route.stops().clear();
        assertThat(((Route) copier.copyOut(heldRoute)).stops()).containsExactly(new Point(1, 1));

        // an accessor that returns a copy must not let the caller's own record, and its list, be held
        List<String> names = new ArrayList<>(List.of("n"));
        Names record = new Names(names);
        Object heldNames = copier.copyIn(record);
        assertThat(heldNames).isNotSameAs(record);
        names.add("changed");
        Names namesBack = (Names) copier.copyOut(heldNames);
        assertThat(namesBack.list()).containsExactly("n");
        assertThat(namesBack).isNotSameAs(heldNames);
    }

    @Test
    void whatTheFormatLeavesToJdkSerializationIsHeldEncodedKeepingSharing() {
        ArrayList<String> shared = new ArrayList<>(List.of("s"));
        List<Object> twice = new ArrayList<>(List.of(shared, shared));
        Object held = copier.copyIn(twice);
        assertThat(held).isInstanceOf(ValueCopier.Encoded.class);
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) copier.copyOut(held);
        assertThat(back.get(0)).isEqualTo(List.of("s")).isSameAs(back.get(1)).isNotSameAs(shared);

        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        @SuppressWarnings("unchecked")
        List<Object> cycleBack = (List<Object>) copier.copyOut(copier.copyIn(cycle));
        assertThat(cycleBack.get(0)).isSameAs(cycleBack);

        Box box = new Box();
        box.items.add("b");
        Object heldBox = copier.copyIn(box);
        assertThat(heldBox).isInstanceOf(ValueCopier.Encoded.class);
        assertThat(((ValueCopier.Encoded) heldBox).typeName()).isEqualTo(Box.class.getName());
        box.items.add("changed");
        Box expected = new Box();
        expected.items.add("b");
        assertThat(copier.copyOut(heldBox)).isEqualTo(expected).isNotSameAs(box);
        assertThat(copier.matches(heldBox, copier.copyOut(heldBox))).isTrue();
        assertThat(copier.matches(heldBox, box)).isFalse();
    }

    @Test
    void classesOutsideTheAllowListAreRefusedAsTheCodecRefusesThem() {
        assertThatThrownBy(() -> copier.copyIn(new Secret("s"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Secret.class.getName());
        assertThatThrownBy(() -> copier.copyIn(new ArrayList<>(List.of(new Secret("nested")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Secret.class.getName());
        assertThatThrownBy(() -> codec.encode(new Secret("s"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copier.copyIn(new Thread())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWritersLimitsAndRefusalsHoldTheSame() {
        // 64 levels of lists, then a null at level 65: the writer gives up on the depth before the null
        Object deep = null;
        for (int i = 0; i < 65; i++) {
            deep = new ArrayList<>(java.util.Collections.singletonList(deep));
        }
        assertThat(CompactWriter.tryWrite(deep, codec.java(), 0)).isNull();
        assertThat(copier.copyIn(deep)).isInstanceOf(ValueCopier.Encoded.class);
        Object strings = new String[] {"s"};
        for (int i = 0; i < 64; i++) {
            strings = new ArrayList<>(List.of(strings));
        }
        assertThat(CompactWriter.tryWrite(strings, codec.java(), 0)).isNull();
        assertThat(copier.copyIn(strings)).isInstanceOf(ValueCopier.Encoded.class);

        assertThatThrownBy(() -> copier.copyIn(Hidden.A)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Hidden.class.getName());
        TreeMap<String, Integer> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        folded.put("b", 2);
        folded.put("A", 1);
        ValueCopier strict = new ValueCopier(new CompactCodec(List.of()), new KeyPolicy("t", "", KeyFunction.DEFAULT, false), log);
        assertThatThrownBy(() -> strict.copyIn(folded)).as("a comparator outside the allow-list, as the codec")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CaseInsensitiveComparator");
        Object heldFolded = copier.copyIn(folded);
        assertThat(heldFolded).as("a comparator is the JDK's to write").isInstanceOf(ValueCopier.Encoded.class);
        @SuppressWarnings("unchecked")
        TreeMap<String, Integer> foldedBack = (TreeMap<String, Integer>) copier.copyOut(heldFolded);
        assertThat(foldedBack.get("a")).isEqualTo(1);
        assertThat(foldedBack.firstKey()).isEqualTo("A");

        // a set whose elements changed to equal ones after it was built: not refused here, left to the JDK as the writer does
        List<Integer> a = new ArrayList<>(List.of(1));
        List<Integer> b = new ArrayList<>(List.of(2));
        Set<List<Integer>> broken = Set.of(a, b);
        b.set(0, 1);
        assertThat(copier.copyIn(broken)).isInstanceOf(ValueCopier.Encoded.class);
    }

    @Test
    void aHeldValueThatCannotBeReadBackIsAMissAndStays() {
        try (Cache c = Caches.open("memory:?store_by_value=true&codec_allow=" + MINE)) {
            Moody.refuse = false;
            c.set("moody", new Moody("m"));
            c.set("fine", "f");
            Moody.refuse = true;
            assertThat(c.get("moody")).isNull();
            assertThat(c.getMany(List.of("moody", "fine"))).containsOnly(Map.entry("fine", "f"));
            assertThat(c.hasKey("moody")).as("the entry stays").isTrue();
            FailureLog cacheLog = ((dev.cachet.internal.CoreCache) c).failureLog();
            assertThat(cacheLog.unreadableEntries()).isEqualTo(2);
            assertThat(cacheLog.lastUnreadable().className()).isEqualTo(Moody.class.getName());
            assertThat(cacheLog.lastUnreadable().shownKey()).isEqualTo("moody");
            Moody.refuse = false;
            assertThat(c.get("moody")).isEqualTo(new Moody("m"));
        } finally {
            Moody.refuse = false;
        }
    }

    @Test
    void aStampedValueKeepsItsStampAndIsCopied() {
        ArrayList<String> list = new ArrayList<>(List.of("v"));
        Stamped s = new Stamped(list, 100, 50, 3, new String[] {"tag"}, new long[] {2});
        Stamped held = (Stamped) copier.copyIn(s);
        list.add("changed");
        Stamped out = (Stamped) copier.copyOut(held);
        assertThat(out.value()).isEqualTo(List.of("v")).isNotSameAs(held.value());
        assertThat(out.expiresAt()).isEqualTo(100);
        assertThat(out.freshUntil()).isEqualTo(50);
        assertThat(out.computeMillis()).isEqualTo(3);
        assertThat(out.tags()).containsExactly("tag");
        assertThat(out.tagVersions()).containsExactly(2);
        Stamped boxed = new Stamped(new Box(), 100, 100, 0, null, null);
        assertThat(copier.copyIn(boxed)).isInstanceOf(ValueCopier.Encoded.class);
        assertThat(((Stamped) copier.copyOut(copier.copyIn(boxed))).value()).isEqualTo(new Box());
    }

    @Test
    void aMemoryCacheByValueCopiesUnlessItNeedsTheBytes() {
        try (Cache copying = Caches.open("memory:?store_by_value=true&codec_allow=" + MINE);
                Cache encoding = Caches.open("memory:?store_by_value=true&max_item_bytes=1m&codec_allow=" + MINE)) {
            String leaf = "kept as it is";
            copying.set("leaf", leaf);
            encoding.set("leaf", leaf);
            assertThat(copying.get("leaf")).as("copied: the String is shared").isSameAs(leaf);
            assertThat(encoding.get("leaf")).as("encoded: a new String").isEqualTo(leaf).isNotSameAs(leaf);
            for (Cache c : List.of(copying, encoding)) {
                ArrayList<String> list = new ArrayList<>(List.of("a"));
                c.set("k", list);
                list.add("changed");
                assertThat(c.get("k")).isEqualTo(List.of("a")).isInstanceOf(ArrayList.class);
                assertThatThrownBy(() -> c.set("s", new Secret("x"))).hasMessageContaining(Secret.class.getName());
                assertThat(c.hasKey("s")).isFalse();
                c.set("box", new Box());
                assertThat(c.get("box")).isEqualTo(new Box());
                assertThatThrownBy(() -> c.incr("box")).isInstanceOf(NotAnIntegerException.class);
                c.set("n", 41);
                assertThat(c.incr("n")).isEqualTo(42L);
                assertThat(c.get("n")).isEqualTo(42L);
            }
        }
    }

    /** Equality of the same classes all the way down, looking into arrays wherever they are. */
    private static boolean deepEqual(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Object[] x) {
            Object[] y = (Object[]) b;
            if (x.length != y.length) {
                return false;
            }
            for (int i = 0; i < x.length; i++) {
                if (!deepEqual(x[i], y[i])) {
                    return false;
                }
            }
            return true;
        }
        if (a.getClass().isArray()) {
            return b.getClass().isArray() && Arrays.deepEquals(new Object[] {a}, new Object[] {b});
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!deepEqual(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream().allMatch(e -> deepEqual(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof Set<?> x && b instanceof Set<?> y) {
            return x.equals(y) && x.stream().allMatch(e -> y.stream().anyMatch(f -> f.equals(e) && deepEqual(e, f)));
        }
        if (a instanceof Record) {
            return a.equals(b) && Arrays.stream(a.getClass().getRecordComponents()).allMatch(c -> {
                try {
                    return deepEqual(c.getAccessor().invoke(a), c.getAccessor().invoke(b));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            });
        }
        return a.equals(b);
    }
}
