package dev.cachet.internal.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JavaSerializationCodecTest {
    record Point(int x, int y) implements Serializable {
    }

    record Shape(String name, List<Point> points) implements Serializable {
    }

    private final JavaSerializationCodec plain = new JavaSerializationCodec(List.of());

    private Object roundTrip(JavaSerializationCodec codec, Object value) throws Exception {
        byte[] b = codec.encode(value);
        return codec.decode(b, 0, b.length);
    }

    @Test
    void jdkValueTypesAndCollectionsRoundTrip() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decimal", new BigDecimal("12.50"));
        m.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        m.put("instant", Instant.ofEpochSecond(1_700_000_000L));
        m.put("date", LocalDate.of(2026, 11, 21));
        m.put("list", List.of(1, 2L, "three", 4.0, true));
        m.put("tree", new TreeMap<>(Map.of("b", 2, "a", 1)));
        m.put("set", Set.of("x"));
        m.put("unmodifiable", Collections.unmodifiableList(new ArrayList<>(List.of('c'))));
        m.put("enumset", EnumSet.of(TimeUnit.SECONDS));
        m.put("array", new int[] {1, 2, 3});
        m.put("nested", new HashMap<>(Map.of("k", List.of(Map.of("z", 26)))));
        Object back = roundTrip(plain, m);
        assertThat(back).isInstanceOf(LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) back;
        assertThat(b.get("array")).isEqualTo(new int[] {1, 2, 3});
        b.remove("array");
        m.remove("array");
        assertThat(b).isEqualTo(m);
    }

    @Test
    void refusesAClassOutsideTheAllowListAtEncodeTimeNamingIt() {
        assertThatThrownBy(() -> plain.encode(new Point(1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Point.class.getName())
                .hasMessageContaining("codec_allow");
        assertThatThrownBy(() -> plain.encode(List.of(new Point(1, 2))))
                .as("nested inside an allowed collection")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Point.class.getName());
    }

    @Test
    void refusesNonSerializableNamingIt() {
        assertThatThrownBy(() -> plain.encode(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void allowPatternsAdmitUserClasses() throws Exception {
        String pkg = Point.class.getPackageName();
        for (List<String> allow : List.of(List.of(Point.class.getName(), Shape.class.getName()), List.of(pkg + ".*"),
                List.of("dev.cachet.**"))) {
            JavaSerializationCodec codec = new JavaSerializationCodec(allow);
            Shape s = new Shape("tri", List.of(new Point(0, 0), new Point(1, 0), new Point(0, 1)));
            assertThat(roundTrip(codec, s)).as(allow.toString()).isEqualTo(s);
        }
        JavaSerializationCodec onlyPoint = new JavaSerializationCodec(List.of(Point.class.getName()));
        assertThatThrownBy(() -> onlyPoint.encode(new Shape("x", List.of()))).hasMessageContaining(Shape.class.getName());
        assertThat(new JavaSerializationCodec(List.of("dev.other.*")).isAllowed(Point.class)).isFalse();
    }

    @Test
    void bytesNamingAForbiddenClassNeverInstantiateIt() throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(raw)) {
            out.writeObject(new ArrayList<>(List.of("ok", new GadgetProbe("boom"))));
        }
        byte[] evil = raw.toByteArray();
        int before = GadgetProbe.READS.get();
        assertThatThrownBy(() -> plain.decode(evil, 0, evil.length))
                .hasMessageContaining(GadgetProbe.class.getName());
        assertThat(GadgetProbe.READS.get()).isEqualTo(before);
    }
}
