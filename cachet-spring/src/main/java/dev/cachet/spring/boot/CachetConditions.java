package dev.cachet.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The conditions of {@link CachetAutoConfiguration}, read through Boot's binder (relaxed names, env vars). */
final class CachetConditions {
    private CachetConditions() {
    }

    /** Matches unless {@code spring.cache.type} is set: an application that names a Boot cache type wants that one. */
    static final class NoSpringCacheType extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment()).bind("spring.cache.type", String.class).isBound()
                    ? ConditionOutcome.noMatch("spring.cache.type is set: Boot's cache type is used, not cachet")
                    : ConditionOutcome.match("spring.cache.type is not set");
        }
    }

    /** Matches when {@code cachet.caches} configures at least one cache. */
    static final class CachesConfigured extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean configured = Binder.get(context.getEnvironment())
                    .bind("cachet.caches", Bindable.mapOf(String.class, Object.class)).map(m -> !m.isEmpty()).orElse(false);
            return configured ? ConditionOutcome.match("cachet.caches configures caches")
                    : ConditionOutcome.noMatch("no cachet.caches.<name>.location is set");
        }
    }
}
