package dev.cachet.internal.entry;

import dev.cachet.spi.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The default object codec ({@code java}, id 16): JDK serialization behind an allow-list, so
 * it is safe against deserialization gadgets.
 *
 * <p>Allowed are the JDK's value types (boxed primitives, String, BigInteger, BigDecimal,
 * java.time, UUID, Date, Locale, enums' base), its collections (java.util lists, sets, maps,
 * deques, their immutable and unmodifiable forms, the concurrent maps and lists), arrays of
 * allowed types, plus the patterns the user lists in {@code codec_allow} ({@code a.b.C},
 * {@code a.b.*} for a package, {@code a.b.**} for a package and its subpackages).
 *
 * <p>Encoding checks every object of the graph and refuses a class outside the list with an
 * {@link IllegalArgumentException} naming it, before anything is stored. Decoding installs an
 * {@link ObjectInputFilter} that rejects any other class before it is instantiated (and caps
 * depth, references and array sizes), so bytes that name a gadget class never run its code.
 */
public final class JavaSerializationCodec implements ValueCodec {
    /** The codec id written into entries. */
    public static final int ID = 16;

    private static final Set<String> JDK_CLASSES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Character", "java.lang.Byte",
            "java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float",
            "java.lang.Double", "java.lang.Number", "java.lang.Enum", "java.lang.Void",
            "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID", "java.util.Date",
            "java.util.Locale", "java.util.Currency", "java.util.BitSet", "java.net.URI",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayDeque", "java.util.PriorityQueue", "java.util.Vector", "java.util.Hashtable",
            "java.util.IdentityHashMap", "java.util.EnumMap", "java.util.Arrays$ArrayList",
            "java.util.CollSer", "java.util.KeyValueHolder", "java.util.AbstractMap$SimpleEntry",
            "java.util.AbstractMap$SimpleImmutableEntry", "java.util.EnumSet$SerializationProxy",
            "java.util.EnumSet", "java.util.RegularEnumSet", "java.util.JumboEnumSet",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentHashMap$Segment",
            "java.util.concurrent.ConcurrentSkipListMap", "java.util.concurrent.ConcurrentSkipListSet",
            "java.util.concurrent.CopyOnWriteArrayList", "java.util.concurrent.CopyOnWriteArraySet",
            "java.util.concurrent.atomic.AtomicInteger", "java.util.concurrent.atomic.AtomicLong",
            "java.util.concurrent.atomic.AtomicBoolean", "java.time.Ser", "java.time.Duration",
            "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime",
            "java.time.OffsetDateTime", "java.time.ZonedDateTime", "java.time.Period", "java.time.Year",
            "java.time.YearMonth", "java.time.MonthDay", "java.time.ZoneOffset", "java.time.ZoneRegion",
            "java.time.DayOfWeek", "java.time.Month", "java.util.Optional");

    private static final List<String> JDK_PREFIXES = List.of(
            "java.util.Collections$", "java.util.ImmutableCollections$");

    private final List<String> exact = new ArrayList<>();
    private final List<String> packages = new ArrayList<>();
    private final List<String> subtrees = new ArrayList<>();

    /** A codec that also allows the classes matching {@code allowPatterns}. */
    public JavaSerializationCodec(List<String> allowPatterns) {
        for (String p : allowPatterns) {
            if (p.endsWith(".**")) {
                subtrees.add(p.substring(0, p.length() - 2));
            } else if (p.endsWith(".*")) {
                packages.add(p.substring(0, p.length() - 1));
            } else {
                exact.add(p);
            }
        }
    }

    private ObjectInputFilter.Status check(ObjectInputFilter.FilterInfo info, String[] rejected) {
        if (info.depth() > 64 || info.references() > 5_000_000 || info.arrayLength() > 100_000_000) {
            rejected[0] = "a graph beyond the limits (depth " + info.depth() + ", references " + info.references()
                    + ", array length " + info.arrayLength() + ")";
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        if (c == null || isAllowed(c)) {
            return c == null ? ObjectInputFilter.Status.UNDECIDED : ObjectInputFilter.Status.ALLOWED;
        }
        rejected[0] = "class " + c.getName() + " (not in the allow-list; add it to codec_allow if it is yours)";
        rejected[1] = c.getName();
        return ObjectInputFilter.Status.REJECTED;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String name() {
        return "java";
    }

    /** True when instances of {@code c} may be encoded and decoded. */
    public boolean isAllowed(Class<?> c) {
        if (c.isArray()) {
            // an array instantiates no component; its elements are checked one by one
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c == Object.class || c.isInterface()) {
                return true;
            }
        }
        if (c.isPrimitive()) {
            return true;
        }
        String n = c.getName();
        if (JDK_CLASSES.contains(n)) {
            return true;
        }
        for (String p : JDK_PREFIXES) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        if (c.isEnum() || (c.getSuperclass() != null && c.getSuperclass().isEnum())) {
            Class<?> e = c.isEnum() ? c : c.getSuperclass();
            if (e.getName().startsWith("java.")) {
                return true;
            }
            n = e.getName();
        }
        return matchesUserPatterns(n);
    }

    /**
     * Whether a class named {@code n} may be loaded to be checked by {@link #isAllowed}: a JDK
     * class, or one the user's patterns name. A reader asks this before it loads a class an
     * entry names, so bytes naming any other class never load it.
     */
    public boolean isAllowedName(String n) {
        return n.startsWith("java.") || matchesUserPatterns(n);
    }

    private boolean matchesUserPatterns(String n) {
        if (exact.contains(n)) {
            return true;
        }
        int dot = n.lastIndexOf('.');
        String pkg = dot < 0 ? "" : n.substring(0, dot + 1);
        if (packages.contains(pkg)) {
            return true;
        }
        for (String s : subtrees) {
            if (n.startsWith(s)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        CheckingOutput out = null;
        try {
            out = new CheckingOutput(bytes);
            out.writeObject(value);
            out.close();
        } catch (IOException e) {
            // ObjectOutputStream tries to serialize the exception itself; report the first refusal
            String refusal = out == null ? null : out.refusal;
            if (refusal != null) {
                throw new IllegalArgumentException(refusal);
            }
            if (e instanceof java.io.NotSerializableException) {
                throw new IllegalArgumentException("class " + e.getMessage() + " is not Serializable; the java codec cannot store it");
            }
            throw new UncheckedIOException("java codec failed to encode a " + value.getClass().getName(), e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object decode(byte[] bytes, int offset, int length) throws IOException, ClassNotFoundException {
        String[] rejected = new String[2];
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            in.setObjectInputFilter(info -> check(info, rejected));
            return in.readObject();
        } catch (InvalidClassException e) {
            if (rejected[0] == null) {
                throw e;
            }
            throw rejected[1] == null ? new InvalidClassException("java codec refused to decode " + rejected[0])
                    : new InvalidClassException(rejected[1], "not in the java codec's allow-list (add it to codec_allow"
                            + " if it is yours)");
        }
    }

    /** Checks each object written against the allow-list. */
    private final class CheckingOutput extends ObjectOutputStream {
        String refusal;

        CheckingOutput(ByteArrayOutputStream out) throws IOException {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(Object obj) throws IOException {
            if (refusal != null) {
                throw new java.io.NotSerializableException(refusal);
            }
            if (obj != null && !(obj instanceof Serializable)) {
                refusal = "class " + obj.getClass().getName() + " is not Serializable; the java codec cannot store it";
            } else if (obj != null && !isAllowed(obj.getClass())) {
                refusal = "class " + obj.getClass().getName()
                        + " is not in the java codec's allow-list; add it (or its package, as pkg.*) to the codec_allow option";
            }
            if (refusal != null) {
                throw new java.io.NotSerializableException(refusal);
            }
            return obj;
        }
    }
}
