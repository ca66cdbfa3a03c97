package dev.cachet;

import dev.cachet.spi.ValueCodec;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One cache's configuration: a location string plus options, like an entry of Django's
 * {@code CACHES}. Immutable and thread-safe.
 *
 * <p>A location is {@code scheme:rest}: {@code memory:}, {@code file:/path},
 * {@code dummy:}, and, with their modules, {@code jdbc:...}, {@code memcached://...},
 * {@code redis://...}. Options may be given on the builder or as a query string on the
 * location ({@code file:/tmp/c?max_entries=1000&timeout=60}). Option names are
 * case-insensitive, and {@code -} equals {@code _} ({@code MAX_ENTRIES},
 * {@code max-entries} and {@code max_entries} are one option). Options are checked when the
 * cache is opened: an unknown option or bad value is an {@link IllegalArgumentException}
 * naming it.
 *
 * <p>Common options: {@code timeout} (seconds, or with a unit {@code ms s m h d}, or
 * {@code none}/{@code forever}; default 300 s), {@code key_prefix} (default empty),
 * {@code version} (default 1), {@code key_function} (a class name implementing
 * {@link KeyFunction}), {@code strict_keys} (default false), {@code on_error}
 * ({@code raise} or {@code degrade}, default raise), {@code codec} (default {@code compact}),
 * {@code codec_allow} (class-name patterns the object codec may decode besides the JDK's
 * value types and collections, comma separated: {@code com.example.Dto},
 * {@code com.example.model.*}, {@code com.example.**}), {@code compression}
 * ({@code deflate} or {@code none}; default deflate, none for local memory by value), {@code compress_threshold} (bytes,
 * default 4096), {@code compress_level} (0-9, default 1), {@code max_item_bytes} (values
 * larger are chunked; default per backend). Backends that bound their entry count also take
 * {@code max_entries} (default 300) and, where they cull, {@code cull_frequency} (default 3);
 * an option the location's backend does not use is refused ({@link #requireOptions}). Every
 * value is read by one parser: durations, sizes, booleans and choices mean the same on every
 * backend.
 */
public final class CacheConfig {
    private final String name;
    private final String location;
    private final String scheme;
    private final String target;
    private final Map<String, String> options;
    private final Clock clock;
    private final KeyFunction keyFunction;
    private final ValueCodec codec;

    private CacheConfig(Builder b) {
        this.name = b.name;
        this.location = b.location;
        int colon = b.location.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("cache '" + b.name + "': location '" + redact(b.location)
                    + "' has no scheme; expected e.g. memory:, file:/path, dummy:, jdbc:..., memcached://host:11211, redis://host:6379");
        }
        this.scheme = b.location.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = b.location.substring(colon + 1);
        Map<String, String> opts = new LinkedHashMap<>();
        if (!scheme.equals("jdbc")) {
            int q = rest.indexOf('?');
            if (q >= 0) {
                parseQuery(rest.substring(q + 1), opts);
                rest = rest.substring(0, q);
            }
        }
        for (Map.Entry<String, String> e : b.options.entrySet()) {
            String key = normalize(e.getKey());
            if (opts.containsKey(key) && !opts.get(key).equals(e.getValue())) {
                throw new IllegalArgumentException("cache '" + name + "': option '" + key
                        + "' is given twice with different values ('" + opts.get(key) + "' in the location, '"
                        + e.getValue() + "' in the options)");
            }
            opts.put(key, e.getValue());
        }
        this.target = rest;
        this.options = Collections.unmodifiableMap(opts);
        this.clock = b.clock;
        this.keyFunction = b.keyFunction;
        this.codec = b.codec;
    }

    private void parseQuery(String query, Map<String, String> into) {
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                // a '?' inside a password (it must be percent-encoded) lands here: then the pair is secret
                String shown = location.contains("@") ? "" : " '" + pair + "'";
                throw new IllegalArgumentException("cache '" + name + "': location option" + shown
                        + " in '" + redact(location) + "' is not name=value (percent-encode '?', '@', '/' and '%'"
                        + " in user names and passwords)");
            }
            String key = normalize(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8));
            String value = java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            if (into.put(key, value) != null) {
                throw new IllegalArgumentException("cache '" + name + "': option '" + key + "' appears twice in '" + redact(location) + "'");
            }
        }
    }

    /** Normalizes an option name: lower case, {@code -} as {@code _}. */
    public static String normalize(String optionName) {
        return optionName.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** A configuration of {@code location} named {@code default} with no options. */
    public static CacheConfig of(String location) {
        return builder(location).build();
    }

    /** A builder for a cache at {@code location}. */
    public static Builder builder(String location) {
        return new Builder(location);
    }

    /** The cache's name (default {@code default}). */
    public String name() {
        return name;
    }

    /** The location string as given. */
    public String location() {
        return location;
    }

    /** The scheme of the location, lower case ({@code memory}, {@code file}, ...). */
    public String scheme() {
        return scheme;
    }

    /**
     * What follows {@code scheme:} in the location, without the option query (for
     * {@code jdbc:} the whole JDBC URL after {@code jdbc:}, query included).
     */
    public String target() {
        return target;
    }

    /** All options, names normalized, in the order given. */
    public Map<String, String> options() {
        return options;
    }

    /** The raw value of option {@code name}, if given. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(normalize(name)));
    }

    /** The clock used for expiry (the system UTC clock unless a test injects one). */
    public Clock clock() {
        return clock;
    }

    /** A key function given in code, if any (overrides the {@code key_function} option). */
    public Optional<KeyFunction> keyFunction() {
        return Optional.ofNullable(keyFunction);
    }

    /** A codec given in code, if any (overrides the {@code codec} option). */
    public Optional<ValueCodec> codec() {
        return Optional.ofNullable(codec);
    }

    /** The option names every backend accepts (besides the dummy backend, which accepts these and {@link #CULLING_OPTIONS}). */
    public static final java.util.Set<String> COMMON_OPTIONS = java.util.Set.of(
            "timeout", "key_prefix", "version", "key_function", "strict_keys", "on_error",
            "codec", "codec_allow", "compression", "compress_threshold", "compress_level", "max_item_bytes");

    /**
     * {@code max_entries} and {@code cull_frequency}: accepted only by the backends that bound
     * their entry count (memory: {@code max_entries}; file and SQL: both), so that a bound given
     * to a backend without one (Redis, memcached: the server evicts) is refused, not ignored.
     */
    public static final java.util.Set<String> CULLING_OPTIONS = java.util.Set.of("max_entries", "cull_frequency");

    /** The options of {@code memory:} caches besides the common ones (the entry bound, and storing by value). */
    public static final java.util.Set<String> MEMORY_OPTIONS = java.util.Set.of("max_entries", "max_bytes", "store_by_value");

    /**
     * Refuses every option that is neither common ({@link #COMMON_OPTIONS}) nor one of
     * {@code backendOptions} (normalized names: what this location's backend uses): an unknown
     * name, or one another backend uses but this one would ignore ({@code max_entries} on Redis,
     * whose server evicts), is an {@link IllegalArgumentException} listing the options this
     * backend does use. Opening a cache calls it; a provider may call it earlier.
     */
    public void requireOptions(java.util.Set<String> backendOptions) {
        java.util.List<String> unknown = new java.util.ArrayList<>();
        java.util.List<String> unused = new java.util.ArrayList<>();
        for (String o : options.keySet()) {
            if (!COMMON_OPTIONS.contains(o) && !backendOptions.contains(o)) {
                (CULLING_OPTIONS.contains(o) || MEMORY_OPTIONS.contains(o) ? unused : unknown).add(o);
            }
        }
        if (unknown.isEmpty() && unused.isEmpty()) {
            return;
        }
        java.util.Set<String> known = new java.util.TreeSet<>(COMMON_OPTIONS);
        known.addAll(backendOptions);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("cache '" + name + "': unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + unknown + " for " + scheme + ": caches; known options: " + known);
        }
        throw new IllegalArgumentException("cache '" + name + "': option" + (unused.size() > 1 ? "s " : " ") + unused
                + (unused.size() > 1 ? " are" : " is") + " not used by " + scheme + ": caches, which would ignore "
                + (unused.size() > 1 ? "them" : "it") + "; the options they use: " + known);
    }

    /** The {@code timeout} option: 300 s by default; {@link Timeout#FOREVER} for none/forever. */
    public Timeout timeout() {
        String v = options.get("timeout");
        if (v == null) {
            return Timeout.ofSeconds(300);
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("forever")) {
            return Timeout.FOREVER;
        }
        return Timeout.of(parser("timeout", v).signedDuration());
    }

    /** The {@code key_prefix} option (default empty); it may not hold spaces or control characters. */
    public String keyPrefix() {
        String p = options.getOrDefault("key_prefix", "");
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException(err("key_prefix", p, "must not contain spaces or control characters"));
            }
        }
        if (p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new IllegalArgumentException(err("key_prefix", p, "must be at most 100 UTF-8 bytes"));
        }
        return p;
    }

    /** The {@code version} option (default 1). */
    public int version() {
        return (int) longOption("version", 1, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** The {@code strict_keys} option (default false). */
    public boolean strictKeys() {
        return boolOption("strict_keys", false);
    }

    /** The {@code on_error} option (default raise). */
    public ErrorPolicy onError() {
        return enumOption("on_error", ErrorPolicy.class, ErrorPolicy.RAISE);
    }

    /** The {@code max_entries} option (default 300, as Django). */
    public long maxEntries() {
        return longOption("max_entries", 300, 1, Long.MAX_VALUE);
    }

    /** The {@code cull_frequency} option (default 3; 0 clears everything when full, as Django). */
    public int cullFrequency() {
        return (int) longOption("cull_frequency", 3, 0, Integer.MAX_VALUE);
    }

    /** The {@code codec} option (default {@code compact}). */
    public String codecName() {
        return options.getOrDefault("codec", "compact").trim().toLowerCase(Locale.ROOT);
    }

    /** The {@code codec_allow} option as a list of class-name patterns. */
    public java.util.List<String> codecAllow() {
        String v = options.get("codec_allow");
        if (v == null || v.isBlank()) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : v.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (!p.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*(\\.\\*\\*?)?")) {
                throw new IllegalArgumentException(err("codec_allow", v, "holds '" + p
                        + "', which is not a class name, package.* or package.**"));
            }
            out.add(p);
        }
        return java.util.List.copyOf(out);
    }

    /**
     * The {@code compression} option: true for {@code deflate}, false for {@code none}; when not
     * given, {@code backendDefault} (deflate everywhere but local memory by value, where bytes
     * cost nothing to move).
     */
    public boolean compression(boolean backendDefault) {
        String given = options.get("compression");
        if (given == null) {
            return backendDefault;
        }
        String v = given.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "deflate", "zlib", "true", "on" -> true;
            case "none", "false", "off" -> false;
            default -> throw new IllegalArgumentException(err("compression", v, "must be deflate or none"));
        };
    }

    /** The {@code compress_threshold} option in bytes (default 4096). */
    public long compressThreshold() {
        return bytesOption("compress_threshold", 4096);
    }

    /** The {@code compress_level} option, 0-9 (default 1, the fastest). */
    public int compressLevel() {
        return (int) longOption("compress_level", 1, 0, 9);
    }

    /** The {@code max_item_bytes} option, or {@code backendDefault} when not given. */
    public long maxItemBytes(long backendDefault) {
        long v = bytesOption("max_item_bytes", backendDefault);
        if (v < 256) {
            throw new IllegalArgumentException(err("max_item_bytes", options.get("max_item_bytes"), "must be at least 256 bytes"));
        }
        return v;
    }

    /** An integer option within {@code [min, max]}, or {@code def}. */
    public long longOption(String name, long def, long min, long max) {
        String v = options.get(normalize(name));
        return v == null ? def : parser(name, v).integer(min, max);
    }

    /** A decimal option within {@code [min, max]} ({@code 0.01}, {@code 1}), or {@code def}. */
    public double doubleOption(String name, double def, double min, double max) {
        String v = options.get(normalize(name));
        return v == null ? def : parser(name, v).decimal(min, max);
    }

    /** A boolean option ({@code true/false/yes/no/on/off/1/0}), or {@code def}. */
    public boolean boolOption(String name, boolean def) {
        String v = options.get(normalize(name));
        return v == null ? def : parser(name, v).bool();
    }

    /** A size option in bytes, with an optional unit {@code k m g} (powers of 1024), or {@code def}. */
    public long bytesOption(String name, long def) {
        String v = options.get(normalize(name));
        return v == null ? def : parser(name, v).bytes();
    }

    /**
     * A duration option, or {@code def}: seconds ({@code 60}, {@code 0.5}) or a number with a
     * unit ({@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}), the same forms as
     * {@code timeout} on every backend. Never negative; zero only when {@code zeroAllowed}
     * (which the message then offers as "0 for off").
     */
    public java.time.Duration durationOption(String name, java.time.Duration def, boolean zeroAllowed) {
        String v = options.get(normalize(name));
        return v == null ? def : parser(name, v).duration(zeroAllowed);
    }

    /**
     * An option naming one constant of {@code type}, case-insensitive ({@code raise},
     * {@code DEGRADE}), or {@code def}; the message of a bad value lists the constants.
     */
    public <E extends Enum<E>> E enumOption(String name, Class<E> type, E def) {
        String v = options.get(normalize(name));
        return v == null ? def : parser(name, v).choice(type);
    }

    private OptionParser parser(String option, String value) {
        return new OptionParser(this.name, normalize(option), value);
    }

    private String err(String option, String value, String problem) {
        return "cache '" + name + "': option " + option + "='" + value + "' " + problem;
    }

    /** A builder with this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(location).name(name).clock(clock).keyFunction(keyFunction).codec(codec);
        if (!scheme.equals("jdbc") && location.indexOf('?') >= 0) {
            b.location = scheme + ":" + target;
        }
        b.options.putAll(options);
        return b;
    }

    @Override
    public String toString() {
        return "CacheConfig[" + name + " " + redact(location) + " " + options + "]";
    }

    /** {@link #location()} with secrets masked, for messages, logs and displays: see {@link #redact(String)}. */
    public String redactedLocation() {
        return redact(location);
    }

    private static final java.util.regex.Pattern SECRET_PARAMETER =
            java.util.regex.Pattern.compile("(?i)(password|passwd|pwd)=[^&;]*");

    /**
     * {@code location} with its secrets masked, for messages, logs and displays: the user
     * information of a {@code scheme://user:password@host} location (everything between
     * {@code //} and the last {@code @}, so a password holding an unencoded {@code /} or
     * {@code @} is masked too) becomes {@code ***}, and {@code password=}, {@code passwd=} and
     * {@code pwd=} parameters (as in JDBC URLs) become {@code password=***}. Never fails.
     */
    public static String redact(String location) {
        if (location == null) {
            return null;
        }
        String r = SECRET_PARAMETER.matcher(location).replaceAll("$1=***");
        int start = r.indexOf("//");
        int at = r.lastIndexOf('@');
        if (start >= 0 && at > start) {
            r = r.substring(0, start + 2) + "***" + r.substring(at);
        }
        return r;
    }

    /** Builds a {@link CacheConfig}. Not thread-safe. */
    public static final class Builder {
        private String name = "default";
        private String location;
        private final Map<String, String> options = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private KeyFunction keyFunction;
        private ValueCodec codec;

        private Builder(String location) {
            this.location = Objects.requireNonNull(location, "location must not be null").trim();
        }

        /** The cache's name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /** Sets option {@code name} to {@code value} (its text form). */
        public Builder option(String name, Object value) {
            Objects.requireNonNull(name, "option name must not be null");
            Objects.requireNonNull(value, () -> "option '" + name + "' must not be null");
            options.put(normalize(name), String.valueOf(value));
            return this;
        }

        /** Sets every option of {@code values}. */
        public Builder options(Map<String, ?> values) {
            values.forEach(this::option);
            return this;
        }

        /** The clock for expiry (tests inject one to move time without sleeping). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** A key function (overrides the {@code key_function} option); null for the default. */
        public Builder keyFunction(KeyFunction keyFunction) {
            this.keyFunction = keyFunction;
            return this;
        }

        /** A codec instance (overrides the {@code codec} option); null for the configured one. */
        public Builder codec(ValueCodec codec) {
            this.codec = codec;
            return this;
        }

        /** The configuration; options are checked when a cache is opened with it. */
        public CacheConfig build() {
            return new CacheConfig(this);
        }
    }
}
