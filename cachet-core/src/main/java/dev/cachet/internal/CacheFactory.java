package dev.cachet.internal;

import dev.cachet.spi.Secrets;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.KeyFunction;
import dev.cachet.internal.entry.CompactCodec;
import dev.cachet.internal.entry.EncodedEntryStore;
import dev.cachet.internal.entry.EntryFormat;
import dev.cachet.internal.entry.JavaSerializationCodec;
import dev.cachet.internal.entry.ValueCopier;
import dev.cachet.internal.file.FileStore;
import dev.cachet.internal.memory.MemoryStores;
import dev.cachet.internal.memory.ReferenceEntryStore;
import dev.cachet.spi.BackendProvider;
import dev.cachet.spi.Store;
import dev.cachet.spi.ValueCodec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a {@link Cache} from a {@link CacheConfig}: checks every option, picks the backend by
 * scheme (built in: memory, file, dummy; others through {@link BackendProvider}s on the class
 * path) and wires the core around it.
 */
public final class CacheFactory {
    /** Options only memory by value uses (by reference there is no codec, compression or chunking). */
    private static final Set<String> BY_VALUE_OPTIONS = Set.of("codec", "codec_allow", "compression",
            "compress_threshold", "compress_level", "max_item_bytes", "max_bytes");

    private CacheFactory() {
    }

    /** Opens the cache {@code config} describes. */
    public static Cache open(CacheConfig config) {
        if (config.scheme().equals("memory")) {
            checkOptions(config, CacheConfig.MEMORY_OPTIONS);
            checkMemoryTarget(config);
            boolean byValue = config.boolOption("store_by_value", false);
            if (!byValue) {
                refuseByValueOptions(config);
            }
            if (!byValue || copies(config)) {
                KeyPolicy keys = keyPolicy(config);
                String head = keys.head(config.version());
                FailureLog log = new FailureLog(config.name(), Secrets.of(config));
                ValueCopier copier = byValue ? new ValueCopier((CompactCodec) codec(config), keys, log) : null;
                EntryStore entries = new ReferenceEntryStore(MemoryStores.byReference(config.maxEntries()),
                        keys.isDefaultFunction() && KeyPolicy.isPlainAscii(head) ? head : null, config.clock(),
                        config.maxEntries(), copier);
                return wire(config, keys, entries, log);
            }
        }
        KeyPolicy keys = keyPolicy(config); // a bad key function fails before any connection opens
        Store store = openStore(config);
        boolean compressByDefault = !config.scheme().equals("memory") && !config.scheme().equals("dummy");
        return encoded(config, store, keys, compressByDefault);
    }

    /**
     * The option names the backend of {@code scheme} accepts besides
     * {@link CacheConfig#COMMON_OPTIONS}, normalized.
     *
     * @throws IllegalArgumentException for a scheme no backend on the class path opens
     */
    public static Set<String> backendOptions(String scheme) {
        return switch (scheme) {
            case "memory" -> CacheConfig.MEMORY_OPTIONS;
            case "file", "dummy" -> CacheConfig.CULLING_OPTIONS;
            default -> provider(scheme, "").options();
        };
    }

    /** The provider of {@code scheme}; {@code where} ends the message of an unknown one. */
    private static BackendProvider provider(String scheme, String where) {
        BackendProvider provider = providers().get(scheme);
        if (provider == null) {
            Set<String> known = new TreeSet<>(List.of("memory", "file", "dummy"));
            known.addAll(providers().keySet());
            throw new IllegalArgumentException(where + "unknown location scheme '" + scheme + ":'; known schemes: " + known
                    + " (jdbc, memcached and redis need their cachet module on the class path)");
        }
        return provider;
    }

    /**
     * Opens the byte {@link Store} {@code config} describes, with every option checked: the
     * built-in memory (by value), file and dummy stores, or a provider's. The caller owns it.
     */
    public static Store openStore(CacheConfig config) {
        String scheme = config.scheme();
        String name = config.name();
        switch (scheme) {
            case "memory" -> {
                checkOptions(config, CacheConfig.MEMORY_OPTIONS);
                checkMemoryTarget(config);
                return MemoryStores.byValue(config.clock(), config.maxEntries(), config.bytesOption("max_bytes", 0),
                        config.maxItemBytes(Integer.MAX_VALUE));
            }
            case "file" -> {
                checkOptions(config, CacheConfig.CULLING_OPTIONS);
                if (config.target().isBlank()) {
                    throw new IllegalArgumentException("cache '" + name + "': file location needs a directory, e.g. file:/var/tmp/cachet");
                }
                return new FileStore(Path.of(config.target()), config.maxEntries(), config.cullFrequency(), config.clock(),
                        config.maxItemBytes(Integer.MAX_VALUE));
            }
            case "dummy" -> {
                checkOptions(config, CacheConfig.CULLING_OPTIONS);
                return new DummyStore();
            }
            default -> {
                BackendProvider provider = provider(scheme, "cache '" + name + "' at '" + config.redactedLocation() + "': ");
                checkOptions(config, provider.options());
                config.maxItemBytes(provider.defaultMaxItemBytes());
                return provider.open(config);
            }
        }
    }

    /**
     * Whether memory by value copies values ({@link ValueCopier}) rather than keeping their
     * encoded bytes: with the {@code compact} codec and nothing that needs the bytes (a byte
     * bound {@code max_bytes} or {@code max_item_bytes}, compression).
     */
    private static boolean copies(CacheConfig config) {
        return config.codec().isEmpty() && config.codecName().equals("compact") && !config.compression(false)
                && config.option("max_bytes").isEmpty() && config.option("max_item_bytes").isEmpty();
    }

    private static void checkMemoryTarget(CacheConfig config) {
        if (!config.target().isEmpty()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': memory location '" + config.location()
                    + "' takes no name or path (each memory cache has its own store; Django's shared LOCATION"
                    + " names are not supported); write memory: with options after ?, e.g. memory:?max_entries=1000");
        }
    }

    private static Cache wire(CacheConfig config, KeyPolicy keys, EntryStore entries, FailureLog log) {
        CacheCore core = new CacheCore(config.name(), keys, entries, log, config.clock(), config.onError(), config.timeout());
        return new CoreCache(core, config.version());
    }

    private static void refuseByValueOptions(CacheConfig config) {
        for (String o : config.options().keySet()) {
            if (BY_VALUE_OPTIONS.contains(o)) {
                throw new IllegalArgumentException("cache '" + config.name() + "': option " + o + " applies to memory caches"
                        + " with store_by_value=true only (by reference, values are kept as the objects given: no codec,"
                        + " compression, chunking or byte size)");
            }
        }
    }

    /** The key policy of the cache {@code config} describes (its key function loaded and checked). */
    public static KeyPolicy keyPolicy(CacheConfig config) {
        return new KeyPolicy(config.name(), config.keyPrefix(), keyFunction(config), config.strictKeys());
    }

    /**
     * Wires the core around {@code store}, a backend opened by the caller (e.g. over its own
     * connection pool), as {@link #open(CacheConfig)} does around a provider's store. Options
     * are checked as for the location's scheme: the common ones, plus those of the provider
     * registered for that scheme, if any. On any failure the store is closed.
     */
    public static Cache open(CacheConfig config, Store store) {
        java.util.Objects.requireNonNull(config, "config must not be null");
        java.util.Objects.requireNonNull(store, "store must not be null");
        KeyPolicy keys;
        try {
            BackendProvider provider = providers().get(config.scheme());
            checkOptions(config, provider == null ? Set.of() : provider.options());
            keys = keyPolicy(config);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return encoded(config, store, keys, true);
    }

    /** The cache over byte store {@code store}: the entry format, the key policy, the core. Closes the store on failure. */
    private static Cache encoded(CacheConfig config, Store store, KeyPolicy keys, boolean compressByDefault) {
        try {
            FailureLog log = new FailureLog(config.name(), Secrets.of(config));
            return wire(config, keys, new EncodedEntryStore(store, format(config, compressByDefault), keys, log), log);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    static EntryFormat format(CacheConfig config, boolean compressByDefault) {
        return new EntryFormat(codec(config), config.compression(compressByDefault), config.compressThreshold(),
                config.compressLevel());
    }

    static ValueCodec codec(CacheConfig config) {
        if (config.codec().isPresent()) {
            return config.codec().get();
        }
        String name = config.codecName();
        if (name.equals("compact")) {
            return new CompactCodec(config.codecAllow());
        }
        if (name.equals("java")) {
            return new JavaSerializationCodec(config.codecAllow());
        }
        for (ValueCodec c : ServiceLoader.load(ValueCodec.class)) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("cache '" + config.name() + "': unknown codec '" + name
                + "'; built in: compact, java (others register a dev.cachet.spi.ValueCodec service)");
    }

    private static KeyFunction keyFunction(CacheConfig config) {
        if (config.keyFunction().isPresent()) {
            return config.keyFunction().get();
        }
        String cls = config.option("key_function").orElse(null);
        if (cls == null) {
            return KeyFunction.DEFAULT;
        }
        try {
            Class<?> c = Class.forName(cls.trim(), true, Thread.currentThread().getContextClassLoader());
            if (!KeyFunction.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException("cache '" + config.name() + "': key_function " + cls
                        + " does not implement dev.cachet.KeyFunction");
            }
            return (KeyFunction) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cache '" + config.name() + "': key_function " + cls
                    + " cannot be loaded and instantiated with a no-argument constructor: " + e, e);
        }
    }

    private static void checkOptions(CacheConfig config, Set<String> extra) {
        config.requireOptions(extra);
        // parse every common option now, so a bad value fails at configuration time
        config.timeout();
        config.keyPrefix();
        config.version();
        config.strictKeys();
        config.onError();
        config.maxEntries();
        config.cullFrequency();
        config.codecAllow();
        config.codecName();
        config.compression(true);
        config.compressThreshold();
        config.compressLevel();
        config.maxItemBytes(Integer.MAX_VALUE);
    }

    private static volatile Map<String, BackendProvider> providers;

    private static Map<String, BackendProvider> providers() {
        Map<String, BackendProvider> p = providers;
        if (p == null) {
            p = new HashMap<>();
            for (BackendProvider bp : ServiceLoader.load(BackendProvider.class)) {
                for (String s : bp.schemes()) {
                    p.put(s, bp);
                }
            }
            providers = p;
        }
        return p;
    }
}
