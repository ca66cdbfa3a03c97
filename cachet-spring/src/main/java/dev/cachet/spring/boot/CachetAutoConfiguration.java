package dev.cachet.spring.boot;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.spring.CachetCacheManager;
import dev.cachet.spring.CachetSpringCache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Spring Boot auto-configuration (Boot 3 and 4): a {@link CachetCacheManager} over the caches
 * of {@code cachet.caches.<name>.*} (see {@link CachetProperties}), built before Boot's own
 * cache auto-configuration so that it steps aside. It applies only when at least one cache is
 * configured, no {@code spring.cache.type} is set, and the application defines no
 * {@link CacheManager} of its own. The {@link Caches} registry is a bean too (closed with the
 * context); an application that defines its own {@code Caches} bean gets a manager over it,
 * with the freshness options of {@code cachet.caches} where they name its caches.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
        "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration"})
@ConditionalOnClass({CacheManager.class, Cache.class})
@Conditional(CachetCachesCondition.class)
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
    public Caches cachetCaches(CachetProperties properties) {
        Caches.Builder b = Caches.builder();
        properties.getCaches().forEach((name, options) -> b.cache(CacheSpecs.of(name, options).config()));
        return b.build();
    }

    /** The Spring cache manager over the cachet caches, each decorated by every {@link CachetCacheDecorator}. */
    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    public CachetCacheManager cacheManager(Caches caches, CachetProperties properties,
            ObjectProvider<CachetCacheDecorator> decorators) {
        Map<String, CacheSpecs.Spec> specs = new LinkedHashMap<>();
        properties.getCaches().forEach((name, options) -> specs.put(name, CacheSpecs.of(name, options)));
        List<CachetCacheDecorator> chain = decorators.orderedStream().toList();
        List<CachetSpringCache> springCaches = new ArrayList<>();
        for (String name : caches.names()) {
            Cache cache = caches.get(name);
            CacheSpecs.Spec spec = specs.get(name);
            for (CachetCacheDecorator d : chain) {
                cache = d.decorate(spec != null ? spec.config() : dev.cachet.CacheConfig.builder("memory:").name(name).build(),
                        cache);
            }
            springCaches.add(new CachetSpringCache(cache, spec != null ? spec.freshness() : Freshness.DEFAULT,
                    properties.isAllowNullValues()));
        }
        return new CachetCacheManager(springCaches);
    }
}
