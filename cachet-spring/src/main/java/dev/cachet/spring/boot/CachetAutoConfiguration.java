package dev.cachet.spring.boot;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.spring.CachetCacheManager;
import dev.cachet.spring.CachetSpringCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Spring Boot auto-configuration (Boot 3 and 4): a {@link CachetCacheManager} over the caches
 * of {@code cachet.caches.<name>.*} (see {@link CachetProperties}), built before Boot's own
 * cache auto-configuration so that it steps aside. Nothing applies when {@code spring.cache.type}
 * is set. The {@link Caches} registry is a bean (closed with the context) when
 * {@code cachet.caches} configures at least one cache and the application defines no
 * {@code Caches} of its own; the manager is made over whichever {@code Caches} bean there is,
 * unless the application defines a {@link CacheManager} of its own. With an application's own
 * {@code Caches}, {@code cachet.caches.<name>} may give freshness options alone (no location).
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
        "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"})
@ConditionalOnClass({CacheManager.class, Cache.class})
@Conditional(CachetConditions.NoSpringCacheType.class)
@EnableConfigurationProperties(CachetProperties.class)
public class CachetAutoConfiguration {

    /** The auto-configuration; Spring makes it. */
    public CachetAutoConfiguration() {
    }

    /**
     * Opens every configured cache (a bad location or option fails the start, naming it).
     *
     * @throws IllegalArgumentException naming the cache and the problem
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @Conditional(CachetConditions.CachesConfigured.class)
    public Caches cachetCaches(CachetProperties properties) {
        Caches.Builder b = Caches.builder();
        properties.getCaches().forEach((name, options) -> b.cache(CacheSpecs.config(name, options)));
        return b.build();
    }

    /** The Spring cache manager over the cachet caches, each decorated by every {@link CachetCacheDecorator}. */
    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    @ConditionalOnBean(Caches.class)
    public CachetCacheManager cacheManager(Caches caches, CachetProperties properties,
            ObjectProvider<CachetCacheDecorator> decorators) {
        Map<String, Map<String, String>> configured = properties.getCaches();
        List<CachetCacheDecorator> chain = decorators.orderedStream().toList();
        List<CachetSpringCache> springCaches = new ArrayList<>();
        for (String name : caches.names()) {
            Map<String, String> options = configured.get(name);
            Cache cache = caches.get(name);
            for (CachetCacheDecorator d : chain) {
                cache = d.decorate(name, options != null ? CacheSpecs.configIfLocated(name, options) : null, cache);
            }
            springCaches.add(new CachetSpringCache(cache, options != null ? CacheSpecs.freshness(name, options)
                    : Freshness.DEFAULT, properties.isAllowNullValues()));
        }
        return new CachetCacheManager(springCaches);
    }
}
