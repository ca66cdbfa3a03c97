package dev.cachet.spring.boot;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code cachet.caches} configures at least one cache and {@code spring.cache.type}
 * is not set (an application that names a Boot cache type wants that one).
 */
final class CachetCachesCondition extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        if (binder.bind("spring.cache.type", String.class).isBound()) {
            return ConditionOutcome.noMatch("spring.cache.type is set: Boot's cache type is used, not cachet");
        }
        boolean configured = binder.bind("cachet.caches", Bindable.mapOf(String.class, Object.class))
                .map(m -> !m.isEmpty()).orElse(false);
        return configured ? ConditionOutcome.match("cachet.caches configures caches")
                : ConditionOutcome.noMatch("no cachet.caches.<name>.location is set");
    }
}
