package dev.cachet.spring.boot;

import dev.cachet.metrics.CachetCacheMetrics;
import dev.cachet.metrics.MeteredCache;
import dev.cachet.spring.CachetCacheManager;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the auto-configured caches, when Micrometer and cachet-metrics are on
 * the class path: every cache is wrapped in a {@link MeteredCache}, and one {@link MeterBinder}
 * bean (which Boot binds to every registry, so the meters appear under
 * {@code /actuator/metrics}) binds a {@link CachetCacheMetrics} per cache, tagged
 * {@code cache=<name>} and {@code cache.manager=cacheManager} as Boot tags its own caches' meters.
 */
@AutoConfiguration(before = CachetAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.cachet.metrics.MeteredCache", "io.micrometer.core.instrument.MeterRegistry"})
public class CachetMetricsAutoConfiguration {

    /** The auto-configuration; Spring makes it. */
    public CachetMetricsAutoConfiguration() {
    }

    /** Wraps every auto-configured cache in a {@link MeteredCache}. */
    @Bean
    public CachetCacheDecorator cachetMeteredCaches() {
        return (name, config, cache) -> new MeteredCache(cache, config != null ? config.scheme() : "unknown");
    }

    /** Binds the meters of every metered cache of the {@link CachetCacheManager} beans. */
    @Bean
    public MeterBinder cachetCacheMeters(ObjectProvider<CachetCacheManager> managers) {
        return registry -> managers.orderedStream().forEach(manager -> {
            for (String name : manager.getCacheNames()) {
                if (manager.getCache(name).getNativeCache() instanceof MeteredCache metered) {
                    new CachetCacheMetrics(metered, name, Tags.of("cache.manager", "cacheManager")).bindTo(registry);
                }
            }
        });
    }
}
