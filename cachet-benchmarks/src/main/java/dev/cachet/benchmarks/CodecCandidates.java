package dev.cachet.benchmarks;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import dev.cachet.spi.ValueCodec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.Language;

/**
 * The object codecs CodecBenchmark compares, each set up as a thread-safe cachet codec would be
 * (a {@code ValueCodec} must be), each refusing classes it was not told about, and the data sets.
 */
final class CodecCandidates {
    private CodecCandidates() {
    }

    /** A codec under test: bytes of an object and back. */
    interface Candidate {
        byte[] encode(Object value);

        Object decode(byte[] bytes) throws Exception;
    }

    // ---- data ----

    /** A line of an order (part of the small record graph). */
    record Line(String sku, String title, int quantity, long priceCents) implements Serializable {
    }

    /** The small record graph: a few fields and a List of 10 lines. */
    record Order(long id, String customer, String currency, boolean paid, double total, List<Line> lines)
            implements Serializable {
    }

    /** (a) The seed workload's large value: 1000 strings gen(1000 + i, 100). */
    static List<String> large() {
        return Workload.largeValue();
    }

    /** (b) A record with a few fields and a List of 10 records. */
    static Order order() {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(new Line("SKU-" + (1000 + i), Workload.gen(50 + i, 24), 1 + i % 3, 199L + 100L * i));
        }
        double total = 0;
        for (Line l : lines) {
            total += l.quantity() * l.priceCents() / 100.0;
        }
        return new Order(4_211_337L, "customer-" + Workload.gen(7, 12), "EUR", true, total, lines);
    }

    /** (c) A HashMap of 20 mixed entries, as a session or a JSON-ish document holds. */
    static HashMap<String, Object> mixedMap() {
        HashMap<String, Object> m = new HashMap<>();
        m.put("user_id", 90210L);
        m.put("name", "Ada Lovelace");
        m.put("email", "ada@example.org");
        m.put("locale", "en_GB");
        m.put("theme", "dark");
        m.put("csrf", Workload.gen(3, 32));
        m.put("last_path", "/orders/4211337/lines?page=2");
        m.put("visits", 1234);
        m.put("cart_items", 3);
        m.put("failed_logins", 0);
        m.put("balance", 1234.56);
        m.put("score", 0.875);
        m.put("lat", 51.5072);
        m.put("created_at", 1_735_689_600_000L);
        m.put("expires_at", 1_735_693_200_000L);
        m.put("flags", 0x2fL);
        m.put("is_staff", false);
        m.put("mfa", true);
        m.put("roles", new ArrayList<>(List.of("reader", "writer", "billing")));
        m.put("recent", new ArrayList<>(List.of(101L, 202L, 303L, 404L)));
        return m;
    }

    // ---- codecs ----

    /** cachet's default: its compact format, JDK serialization for the rest, behind the allow-list as configured with codec_allow. */
    static Candidate compact() {
        return of(ValueCodec.compact(List.of("dev.cachet.benchmarks.*")));
    }

    /** cachet's {@code codec=java}: JDK serialization behind the allow-list, as configured with codec_allow. */
    static Candidate java() {
        return of(ValueCodec.javaSerialization(List.of("dev.cachet.benchmarks.*")));
    }

    private static Candidate of(ValueCodec codec) {
        return new Candidate() {
            @Override
            public byte[] encode(Object value) {
                return codec.encode(value);
            }

            @Override
            public Object decode(byte[] bytes) throws Exception {
                return codec.decode(bytes, 0, bytes.length);
            }
        };
    }

    /** Kryo 5: registration required (its default), pooled instances each with its own buffer. */
    static Candidate kryo() {
        final class Pooled {
            final Kryo kryo = new Kryo();
            final Output output = new Output(4096, -1);
            final Input input = new Input();

            Pooled() {
                kryo.setRegistrationRequired(true);
                kryo.register(ArrayList.class);
                kryo.register(HashMap.class);
                kryo.register(Line.class);
                kryo.register(Order.class);
            }
        }
        Pool<Pooled> pool = new Pool<>(true, false, 64) {
            @Override
            protected Pooled create() {
                return new Pooled();
            }
        };
        return new Candidate() {
            @Override
            public byte[] encode(Object value) {
                Pooled p = pool.obtain();
                try {
                    p.output.reset();
                    p.kryo.writeClassAndObject(p.output, value);
                    return p.output.toBytes();
                } finally {
                    pool.free(p);
                }
            }

            @Override
            public Object decode(byte[] bytes) {
                Pooled p = pool.obtain();
                try {
                    p.input.setBuffer(bytes);
                    return p.kryo.readClassAndObject(p.input);
                } finally {
                    p.input.setBuffer(new byte[0]);
                    pool.free(p);
                }
            }
        };
    }

    /** Apache Fory: Java mode, class registration required, the thread-safe form. */
    static Candidate fory() {
        ThreadSafeFory fory = Fory.builder()
                .withLanguage(Language.JAVA)
                .requireClassRegistration(true)
                .withRefTracking(false)
                .buildThreadSafeFory();
        fory.register(Line.class);
        fory.register(Order.class);
        return new Candidate() {
            @Override
            public byte[] encode(Object value) {
                return fory.serialize(value);
            }

            @Override
            public Object decode(byte[] bytes) {
                return fory.deserialize(bytes);
            }
        };
    }

    static Candidate named(String name) {
        return switch (name) {
            case "compact" -> compact();
            case "java" -> java();
            case "kryo" -> kryo();
            case "fory" -> fory();
            default -> throw new IllegalArgumentException("no codec " + name);
        };
    }

    static Object data(String name) {
        return switch (name) {
            case "large" -> large();
            case "record" -> order();
            case "map" -> mixedMap();
            default -> throw new IllegalArgumentException("no data set " + name);
        };
    }

    /** Prints the encoded size of every data set under every codec (and checks the round trip). */
    public static void main(String[] args) throws Exception {
        System.out.printf("%-8s %-8s %10s%n", "data", "codec", "bytes");
        for (String d : List.of("large", "record", "map")) {
            for (String c : List.of("compact", "java", "kryo", "fory")) {
                Object value = data(d);
                Candidate codec = named(c);
                byte[] bytes = codec.encode(value);
                Object back = codec.decode(bytes);
                if (!value.equals(back)) {
                    throw new IllegalStateException(c + " does not round-trip " + d + ": " + back);
                }
                System.out.printf("%-8s %-8s %10d%n", d, c, bytes.length);
            }
        }
    }
}
