package dev.cachet.jcache;

import dev.cachet.jcache.internal.CachetCacheManager;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;

/**
 * The JSR-107 {@link CachingProvider} of cachet, found by {@link javax.cache.Caching} through
 * {@code META-INF/services/javax.cache.spi.CachingProvider}.
 *
 * <h2>Where the caches live</h2>
 * A {@link CacheManager}'s URI names a cachet location: either the location itself when it is a
 * valid URI ({@code redis://127.0.0.1:6379/0}), or {@code cachet:} followed by any location
 * ({@code cachet:memory:}, {@code cachet:redis://host/0?codec_allow=com.example.**}). The
 * default URI is {@code cachet:memory:}, or {@code cachet:} plus the system property
 * {@value #LOCATION_PROPERTY} when it is set. A manager's properties whose names start with
 * {@code cachet.} add cachet options ({@code cachet.codec_allow}, {@code cachet.max_entries},
 * ...), over the defaults every manager takes from system properties {@code cachet.jcache.<option>}
 * ({@code -Dcachet.jcache.codec_allow=com.example.**}); other properties are kept for the
 * application and ignored.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Each JCache cache named {@code N} is a cachet cache at the manager's location with key
 *       prefix {@code jcache.N}; on a shared backend, managers in several processes with the same
 *       location see the same entries.</li>
 *   <li>Keys and values are stored by value through cachet's codec: classes outside its
 *       allow-list (the JDK's value types and collections, plus the {@code codec_allow}
 *       option) are refused when stored. Store-by-reference is not supported
 *       ({@link #isSupported} answers false; such a configuration is stored by value).</li>
 *   <li>Compound operations and entry processors are atomic per key within one process (a lock
 *       per key); across processes on a shared backend they are not.</li>
 *   <li>Managers are kept per class loader and URI until closed.</li>
 * </ul>
 */
public final class CachetCachingProvider implements CachingProvider {
    /** System property: the location the default URI names ({@code memory:} when unset). */
    public static final String LOCATION_PROPERTY = "cachet.jcache.location";

    /** The URI scheme that wraps any cachet location. */
    public static final String SCHEME = "cachet";

    private static final String OPTION_PREFIX = "cachet.";

    private static final String SYSTEM_OPTION_PREFIX = "cachet.jcache.";

    private final Map<ClassLoader, Map<URI, CachetCacheManager>> managers = new WeakHashMap<>();

    /** Creates the provider ({@link javax.cache.Caching} does, through the service loader). */
    public CachetCachingProvider() {
    }

    @Override
    public synchronized CacheManager getCacheManager(URI uri, ClassLoader classLoader, Properties properties) {
        URI u = uri == null ? getDefaultURI() : uri;
        ClassLoader cl = classLoader == null ? getDefaultClassLoader() : classLoader;
        Properties p = properties == null ? new Properties() : properties;
        Map<URI, CachetCacheManager> byUri = managers.computeIfAbsent(cl, k -> new HashMap<>());
        CachetCacheManager m = byUri.get(u);
        if (m == null) {
            try {
                m = new CachetCacheManager(this, u, cl, p, location(u), options(p), () -> release(cl, u));
            } catch (IllegalArgumentException e) {
                throw new CacheException("cache manager " + dev.cachet.CacheConfig.redact(u.toString()) + ": " + e.getMessage(), e);
            }
            byUri.put(u, m);
        }
        return m;
    }

    /** The cachet location {@code uri} names. */
    static String location(URI uri) {
        if (SCHEME.equalsIgnoreCase(uri.getScheme())) {
            return uri.getRawSchemeSpecificPart();
        }
        return uri.toString();
    }

    /** The manager's cachet options: system properties {@code cachet.jcache.<option>}, then its own {@code cachet.<option>}. */
    private static Map<String, String> options(Properties p) {
        Map<String, String> out = new LinkedHashMap<>();
        Properties system = System.getProperties();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_OPTION_PREFIX) && !name.equals(LOCATION_PROPERTY)) {
                out.put(name.substring(SYSTEM_OPTION_PREFIX.length()), system.getProperty(name));
            }
        }
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(OPTION_PREFIX)) {
                out.put(name.substring(OPTION_PREFIX.length()), p.getProperty(name));
            }
        }
        return out;
    }

    private synchronized void release(ClassLoader cl, URI uri) {
        Map<URI, CachetCacheManager> byUri = managers.get(cl);
        if (byUri != null) {
            byUri.remove(uri);
            if (byUri.isEmpty()) {
                managers.remove(cl);
            }
        }
    }

    @Override
    public ClassLoader getDefaultClassLoader() {
        return getClass().getClassLoader();
    }

    @Override
    public URI getDefaultURI() {
        return URI.create(SCHEME + ":" + System.getProperty(LOCATION_PROPERTY, "memory:"));
    }

    @Override
    public Properties getDefaultProperties() {
        return new Properties();
    }

    @Override
    public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
        return getCacheManager(uri, classLoader, getDefaultProperties());
    }

    @Override
    public CacheManager getCacheManager() {
        return getCacheManager(getDefaultURI(), getDefaultClassLoader());
    }

    @Override
    public void close() {
        for (CachetCacheManager m : snapshot(null)) {
            m.close();
        }
    }

    @Override
    public void close(ClassLoader classLoader) {
        for (CachetCacheManager m : snapshot(classLoader == null ? getDefaultClassLoader() : classLoader)) {
            m.close();
        }
    }

    @Override
    public void close(URI uri, ClassLoader classLoader) {
        CachetCacheManager m;
        synchronized (this) {
            Map<URI, CachetCacheManager> byUri = managers.get(classLoader == null ? getDefaultClassLoader() : classLoader);
            m = byUri == null ? null : byUri.get(uri == null ? getDefaultURI() : uri);
        }
        if (m != null) {
            m.close();
        }
    }

    private synchronized java.util.List<CachetCacheManager> snapshot(ClassLoader only) {
        java.util.List<CachetCacheManager> out = new java.util.ArrayList<>();
        managers.forEach((cl, byUri) -> {
            if (only == null || only == cl) {
                out.addAll(byUri.values());
            }
        });
        return out;
    }

    @Override
    public boolean isSupported(OptionalFeature optionalFeature) {
        return false;
    }
}
