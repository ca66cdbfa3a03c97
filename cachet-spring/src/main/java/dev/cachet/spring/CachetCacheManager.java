package dev.cachet.spring;

import dev.cachet.Caches;
import dev.cachet.Freshness;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} over named cachet caches: a fixed set, known when it is built
 * (a name it does not hold answers {@code null}, and Spring reports the cache as missing; no
 * cache is made on the fly, so every cache's location and options are checked at startup).
 * Thread-safe and immutable. It does not close the cachet caches: their {@link Caches}
 * registry (a bean of the application context, under Spring Boot) does.
 */
public class CachetCacheManager implements CacheManager {
    private final Map<String, CachetSpringCache> caches;

    /**
     * A manager of {@code caches}, by their names.
     *
     * @throws IllegalArgumentException if two caches have one name
     */
    public CachetCacheManager(Collection<? extends CachetSpringCache> caches) {
        Map<String, CachetSpringCache> byName = new LinkedHashMap<>();
        for (CachetSpringCache c : caches) {
            if (byName.put(c.getName(), c) != null) {
                throw new IllegalArgumentException("two caches are named '" + c.getName() + "'");
            }
        }
        this.caches = Collections.unmodifiableMap(byName);
    }

    /** Every cache of {@code caches}, with {@link Freshness#DEFAULT} and null values allowed. */
    public static CachetCacheManager of(Caches caches) {
        return of(caches, name -> Freshness.DEFAULT, true);
    }

    /**
     * Every cache of {@code caches}, each with the freshness {@code freshness} gives for its
     * name, and null values allowed or not.
     */
    public static CachetCacheManager of(Caches caches, Function<String, Freshness> freshness, boolean allowNullValues) {
        return new CachetCacheManager(caches.names().stream()
                .map(n -> new CachetSpringCache(caches.get(n), freshness.apply(n), allowNullValues))
                .toList());
    }

    /** The cache named {@code name}, or {@code null} when there is none. */
    @Override
    public Cache getCache(String name) {
        return caches.get(name);
    }

    @Override
    public Collection<String> getCacheNames() {
        return caches.keySet();
    }
}
