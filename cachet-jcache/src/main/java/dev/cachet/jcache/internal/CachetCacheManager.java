package dev.cachet.jcache.internal;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import dev.cachet.spi.ValueCodec;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * A JSR-107 cache manager over one cachet location: each of its caches is a cachet cache at
 * that location whose key prefix is {@code jcache.<cache name>} (after the location's own
 * {@code key_prefix}, if any), stored by value through the codec, whose allow-list is the
 * location's {@code codec_allow} (plus cachet-jcache's own entry class).
 */
public final class CachetCacheManager implements CacheManager {
    /** Entries a memory cache holds before evicting when the location does not say (cachet's own default is 300). */
    static final String MEMORY_MAX_ENTRIES = "100000";

    /** The longest stored key cachet keeps verbatim (longer ones it hashes), in UTF-8 bytes. */
    private static final int MAX_STORED_KEY = 250;

    private final CachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final String location;
    private final Map<String, String> options;
    private final Map<String, JCache<?, ?>> caches = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final Runnable onClose;
    private volatile boolean closed;

    /**
     * @param location the cachet location (options may follow {@code ?})
     * @param extraOptions cachet options from the manager's properties
     * @param onClose tells the provider this manager is closed
     * @throws IllegalArgumentException for a bad location or option, naming it
     */
    public CachetCacheManager(CachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
            String location, Map<String, String> extraOptions, Runnable onClose) {
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = properties;
        CacheConfig parsed = CacheConfig.builder(location).options(extraOptions).build();
        this.options = new LinkedHashMap<>(parsed.options());
        this.location = parsed.scheme().equals("jdbc") ? location : parsed.scheme() + ":" + parsed.target();
        this.onClose = onClose;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cachet-jcache-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** The cachet configuration of the JCache cache {@code name}. */
    CacheConfig cacheConfig(String name) {
        Map<String, String> o = new LinkedHashMap<>(options);
        String prefix = o.getOrDefault("key_prefix", "");
        o.put("key_prefix", (prefix.isEmpty() ? "" : prefix + ".") + "jcache." + safeName(name));
        String allow = o.getOrDefault("codec_allow", "");
        o.put("codec_allow", (allow.isBlank() ? "" : allow + ",") + Stored.class.getName());
        if (location.startsWith("memory:")) {
            o.put("store_by_value", "true");
            o.putIfAbsent("max_entries", MEMORY_MAX_ENTRIES);
        }
        return CacheConfig.builder(location).name(name).options(o).build();
    }

    /** A cache name as a key prefix: kept when it is plain, else its base64url. */
    private static String safeName(String name) {
        return name.matches("[A-Za-z0-9_.-]{1,80}") ? name
                : "~" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Entries openEntries(String name) {
        CacheConfig config = cacheConfig(name);
        Store store = Stores.open(config);
        CacheConfig cacheOver = config;
        if (location.startsWith("memory:")) {
            // the store took the memory backend's own options (no provider of memory: checks them on a cache over a store)
            Map<String, String> common = new LinkedHashMap<>(config.options());
            common.keySet().removeAll(CacheConfig.MEMORY_OPTIONS);
            cacheOver = CacheConfig.builder(location).name(name).options(common).build();
        }
        Cache cache = Caches.open(cacheOver, store);
        // cachet stores a key verbatim up to 250 UTF-8 bytes with its prefix and version ("prefix:1:")
        int head = (config.keyPrefix() + ":" + config.version() + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        KeyCodec keys = new KeyCodec(ValueCodec.javaSerialization(config.codecAllow()), MAX_STORED_KEY - head);
        return new Entries(cache, store, config, keys);
    }

    @Override
    public <K, V, C extends Configuration<K, V>> javax.cache.Cache<K, V> createCache(String cacheName, C configuration) {
        open();
        Objects.requireNonNull(cacheName, "cacheName must not be null");
        Objects.requireNonNull(configuration, "configuration must not be null");
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("cache '" + cacheName + "' exists already in " + shownUri());
            }
            CompleteConfiguration<K, V> complete = configuration instanceof CompleteConfiguration<K, V> c ? c
                    : new MutableConfiguration<K, V>().setTypes(configuration.getKeyType(), configuration.getValueType())
                            .setStoreByValue(configuration.isStoreByValue());
            Entries entries;
            try {
                entries = openEntries(cacheName);
            } catch (IllegalArgumentException e) {
                throw new CacheException("cache '" + cacheName + "': " + e.getMessage(), e);
            }
            JCache<K, V> cache = new JCache<>(cacheName, this, complete, entries);
            caches.put(cacheName, cache);
            return cache;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> javax.cache.Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        open();
        Objects.requireNonNull(keyType, "keyType must not be null");
        Objects.requireNonNull(valueType, "valueType must not be null");
        JCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName must not be null"));
        if (cache == null) {
            return null;
        }
        Configuration<?, ?> c = cache.getConfiguration(CompleteConfiguration.class);
        if (!c.getKeyType().equals(keyType) || !c.getValueType().equals(valueType)) {
            throw new ClassCastException("cache '" + cacheName + "' holds " + c.getKeyType().getName() + " -> "
                    + c.getValueType().getName() + ", not " + keyType.getName() + " -> " + valueType.getName());
        }
        return (javax.cache.Cache<K, V>) cache;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> javax.cache.Cache<K, V> getCache(String cacheName) {
        open();
        return (javax.cache.Cache<K, V>) caches.get(Objects.requireNonNull(cacheName, "cacheName must not be null"));
    }

    @Override
    public Iterable<String> getCacheNames() {
        open();
        return Collections.unmodifiableList(new ArrayList<>(caches.keySet()));
    }

    @Override
    public void destroyCache(String cacheName) {
        open();
        Objects.requireNonNull(cacheName, "cacheName must not be null");
        JCache<?, ?> cache;
        synchronized (caches) {
            cache = caches.remove(cacheName);
        }
        if (cache != null) {
            cache.clear();
            cache.shutDown();
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        open();
        JCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName must not be null"));
        if (cache != null) {
            cache.setManagementEnabled(enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        open();
        JCache<?, ?> cache = caches.get(Objects.requireNonNull(cacheName, "cacheName must not be null"));
        if (cache != null) {
            cache.setStatisticsEnabled(enabled);
        }
    }

    /** A cache closed itself: it leaves the manager. */
    void released(String name, JCache<?, ?> cache) {
        caches.remove(name, cache);
    }

    java.util.concurrent.Executor executor() {
        return executor;
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        onClose.run();
        List<JCache<?, ?>> all;
        synchronized (caches) {
            all = new ArrayList<>(caches.values());
            caches.clear();
        }
        for (JCache<?, ?> c : all) {
            c.shutDown();
        }
        executor.shutdown();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.as(this, clazz, "a cache manager");
    }

    /** The URI as messages and JMX names show it: a password in it is masked. */
    String shownUri() {
        return CacheConfig.redact(uri.toString());
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("cache manager " + shownUri() + " is closed");
        }
    }
}
