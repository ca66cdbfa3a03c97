package dev.cachet;

import dev.cachet.internal.CacheFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A registry of named caches, like Django's {@code CACHES}: an alias per cache, {@code default}
 * among them. Every cache is opened (and its configuration checked) when the registry is built,
 * so a bad location or option fails at startup, naming it. Thread-safe; {@link #close()}
 * closes every cache.
 *
 * <p>From properties (e.g. a file, or part of {@code application.properties}):
 * <pre>
 * cachet.default.location = memory:
 * cachet.default.max_entries = 10000
 * cachet.pages.location = file:/var/tmp/cachet-pages
 * cachet.pages.timeout = 10m
 * </pre>
 * Keys that do not start with {@code cachet.} are ignored.
 */
public final class Caches implements AutoCloseable {
    /** The alias of the default cache. */
    public static final String DEFAULT = "default";

    private final Map<String, Cache> caches;

    private Caches(Map<String, Cache> caches) {
        this.caches = Collections.unmodifiableMap(caches);
    }

    /** Opens one cache at {@code location} (options may follow {@code ?}), named {@code default}. */
    public static Cache open(String location) {
        return open(CacheConfig.of(location));
    }

    /** Opens one cache as {@code config} says. */
    public static Cache open(CacheConfig config) {
        return CacheFactory.open(config);
    }

    /**
     * Opens one cache over {@code store}, a backend the caller built itself (for instance a
     * database store over the application's own {@code DataSource}): the core wraps it exactly
     * as it wraps a {@link dev.cachet.spi.BackendProvider}'s store (keys, entry format,
     * compression, chunking, error policy). {@code config} supplies the name and options;
     * options are checked against the common ones and those of the provider registered for
     * its scheme. The cache owns the store from then on: closing the cache closes it, and so
     * does a failure here.
     *
     * @throws IllegalArgumentException naming a bad or unknown option
     */
    public static Cache open(CacheConfig config, dev.cachet.spi.Store store) {
        return CacheFactory.open(config, store);
    }

    /**
     * The last value {@code cache} read but could not decode and left in place (see
     * {@link UnreadableValue}), for tools that explain a miss; empty when it has seen none, or when
     * {@code cache} was not opened by {@code Caches} (a decorator, say: pass the cache it wraps).
     */
    public static java.util.Optional<UnreadableValue> lastUnreadable(Cache cache) {
        return cache instanceof dev.cachet.internal.CoreCache core
                ? java.util.Optional.ofNullable(core.failureLog().lastUnreadable()) : java.util.Optional.empty();
    }

    /** A builder for a registry configured in code. */
    public static Builder builder() {
        return new Builder();
    }

    /** Opens every cache configured in {@code properties} (see the class comment for the form). */
    public static Caches fromProperties(Properties properties) {
        Map<String, Map<String, String>> byAlias = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("cachet.")) {
                continue;
            }
            String rest = key.substring("cachet.".length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new IllegalArgumentException("property '" + key + "' is not cachet.<alias>.<option>");
            }
            byAlias.computeIfAbsent(rest.substring(0, dot), a -> new LinkedHashMap<>())
                    .put(CacheConfig.normalize(rest.substring(dot + 1)), properties.getProperty(key).trim());
        }
        Builder b = builder();
        for (Map.Entry<String, Map<String, String>> e : byAlias.entrySet()) {
            Map<String, String> opts = new LinkedHashMap<>(e.getValue());
            String location = opts.remove("location");
            if (location == null) {
                throw new IllegalArgumentException("cache '" + e.getKey() + "' has options but no cachet." + e.getKey() + ".location");
            }
            b.cache(CacheConfig.builder(location).name(e.getKey()).options(opts).build());
        }
        return b.build();
    }

    /** Opens every cache configured in the properties file at {@code path}. */
    public static Caches load(Path path) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(path)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache configuration " + path + ": " + e.getMessage(), e);
        }
        return fromProperties(p);
    }

    /**
     * The cache named {@code alias}.
     *
     * @throws IllegalArgumentException naming the alias and the configured ones, if unknown
     */
    public Cache get(String alias) {
        Cache c = caches.get(alias);
        if (c == null) {
            throw new IllegalArgumentException("no cache named '" + alias + "'; configured: " + caches.keySet());
        }
        return c;
    }

    /** The cache named {@code default}. */
    public Cache defaultCache() {
        return get(DEFAULT);
    }

    /** The configured aliases. */
    public Set<String> names() {
        return caches.keySet();
    }

    /** Closes every cache (each close is attempted; the first failure is rethrown). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Cache c : caches.values()) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Builds a {@link Caches}. Not thread-safe. */
    public static final class Builder {
        private final List<CacheConfig> configs = new ArrayList<>();

        private Builder() {
        }

        /** Adds cache {@code alias} at {@code location} with {@code options}. */
        public Builder cache(String alias, String location, Map<String, ?> options) {
            return cache(CacheConfig.builder(location).name(alias).options(options).build());
        }

        /** Adds cache {@code alias} at {@code location}. */
        public Builder cache(String alias, String location) {
            return cache(alias, location, Map.of());
        }

        /** Adds a cache configured in full. */
        public Builder cache(CacheConfig config) {
            if (!config.name().matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("cache alias '" + config.name() + "' must be letters, digits, _ or -");
            }
            for (CacheConfig c : configs) {
                if (c.name().equals(config.name())) {
                    throw new IllegalArgumentException("cache alias '" + config.name() + "' is configured twice");
                }
            }
            configs.add(config);
            return this;
        }

        /** Opens every cache; on a failure, closes those already opened and rethrows. */
        public Caches build() {
            Map<String, Cache> opened = new LinkedHashMap<>();
            try {
                for (CacheConfig c : configs) {
                    opened.put(c.name(), Caches.open(c));
                }
            } catch (RuntimeException e) {
                opened.values().forEach(Cache::close);
                throw e;
            }
            return new Caches(opened);
        }
    }
}
