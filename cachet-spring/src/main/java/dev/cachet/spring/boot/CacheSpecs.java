package dev.cachet.spring.boot;

import dev.cachet.CacheConfig;
import dev.cachet.Freshness;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@code cachet.caches.<name>} entry into a {@link CacheConfig} and a
 * {@link Freshness}. Option values are read by {@link CacheConfig}'s accessors, the parser
 * every backend uses, so a duration or a boolean reads here as in a location string, and a
 * bad one is refused with the same message (naming the cache, the option and the value).
 */
final class CacheSpecs {
    static final Set<String> FRESHNESS_OPTIONS = Set.of("fresh_for", "fail_safe_max", "fail_safe_throttle",
            "soft_loader_timeout", "hard_loader_timeout", "eager_refresh", "xfetch", "jitter", "leases", "lease_time");

    private CacheSpecs() {
    }

    /** One cache: its configuration and its freshness. */
    record Spec(CacheConfig config, Freshness freshness) {
    }

    /**
     * The cache {@code name} as {@code properties} (its {@code cachet.caches.<name>} entry)
     * describe it.
     *
     * @throws IllegalArgumentException naming the cache and the problem
     */
    static Spec of(String name, Map<String, String> properties) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> freshness = new LinkedHashMap<>();
        String location = null;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String option = optionName(e.getKey());
            if (option.equals("location")) {
                location = e.getValue().trim();
            } else if (FRESHNESS_OPTIONS.contains(option)) {
                freshness.put(option, e.getValue().trim());
            } else {
                options.put(option, e.getValue().trim());
            }
        }
        if (location == null || location.isEmpty()) {
            throw new IllegalArgumentException("cache '" + name + "' has no location: set cachet.caches." + name
                    + ".location (memory:, redis://host:6379/0, jdbc:..., ...)");
        }
        CacheConfig config = CacheConfig.builder(location).name(name).options(options).build();
        return new Spec(config, freshness(CacheConfig.builder(location).name(name).options(freshness).build()));
    }

    /** {@code fresh-for}, {@code freshFor}, {@code FRESH_FOR} and {@code fresh_for} as {@code fresh_for}. */
    static String optionName(String bound) {
        String snake = bound.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return CacheConfig.normalize(snake).toLowerCase(Locale.ROOT);
    }

    private static Freshness freshness(CacheConfig f) {
        Freshness.Builder b = Freshness.builder();
        Duration freshFor = f.durationOption("fresh_for", null, false);
        if (freshFor != null) {
            b.freshFor(freshFor);
        }
        Duration failSafeMax = f.durationOption("fail_safe_max", null, false);
        Duration failSafeThrottle = f.durationOption("fail_safe_throttle", null, false);
        if ((failSafeMax == null) != (failSafeThrottle == null)) {
            throw new IllegalArgumentException("cache '" + f.name() + "': fail-safe needs both fail_safe_max and"
                    + " fail_safe_throttle; only " + (failSafeMax != null ? "fail_safe_max" : "fail_safe_throttle")
                    + " is set");
        }
        if (failSafeMax != null) {
            b.failSafe(failSafeMax, failSafeThrottle);
        }
        Duration soft = f.durationOption("soft_loader_timeout", null, false);
        if (soft != null) {
            b.softLoaderTimeout(soft);
        }
        Duration hard = f.durationOption("hard_loader_timeout", null, false);
        if (hard != null) {
            b.hardLoaderTimeout(hard);
        }
        double eager = f.doubleOption("eager_refresh", 0, 0, 1);
        if (eager > 0) {
            b.eagerRefresh(eager);
        }
        double beta = f.doubleOption("xfetch", 0, 0, 1e6);
        if (beta > 0) {
            b.xfetch(beta);
        }
        b.jitter(f.durationOption("jitter", Duration.ZERO, true));
        b.leases(f.boolOption("leases", true));
        Duration leaseTime = f.durationOption("lease_time", null, false);
        if (leaseTime != null) {
            b.leaseTime(leaseTime);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cache '" + f.name() + "': " + e.getMessage(), e);
        }
    }
}
