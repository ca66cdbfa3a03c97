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
 * every backend uses (the freshness options through a configuration that holds only them), so
 * a duration or a boolean reads here as in a location string, and a bad one is refused with
 * the same message (naming the cache, the option and the value).
 */
final class CacheSpecs {
    static final Set<String> FRESHNESS_OPTIONS = Set.of("fresh_for", "fail_safe_max", "fail_safe_throttle",
            "soft_loader_timeout", "hard_loader_timeout", "eager_refresh", "xfetch", "jitter", "leases", "lease_time");

    private CacheSpecs() {
    }

    /**
     * The configuration of cache {@code name} as {@code properties} (its {@code cachet.caches.<name>}
     * entry) describe it: its location and options, the freshness options left out.
     *
     * @throws IllegalArgumentException naming the cache and the problem (no location, a bad option)
     */
    static CacheConfig config(String name, Map<String, String> properties) {
        CacheConfig config = configIfLocated(name, properties);
        if (config == null) {
            throw new IllegalArgumentException("cache '" + name + "' has no location: set cachet.caches." + name
                    + ".location (memory:, redis://host:6379/0, jdbc:..., ...)");
        }
        return config;
    }

    /** {@link #config}, or null when {@code properties} give no location. */
    static CacheConfig configIfLocated(String name, Map<String, String> properties) {
        Map<String, String> options = options(properties, false);
        String location = options.remove("location");
        if (location == null || location.isEmpty()) {
            return null;
        }
        return CacheConfig.builder(location).name(name).options(options).build();
    }

    /**
     * The freshness of cache {@code name} as the freshness options of {@code properties} say
     * ({@link Freshness#DEFAULT} when none is given).
     *
     * @throws IllegalArgumentException naming the cache, the option and the value
     */
    static Freshness freshness(String name, Map<String, String> properties) {
        return freshness(CacheConfig.builder("memory:").name(name).options(options(properties, true)).build());
    }

    /** The options of {@code properties} by their normalized names: the freshness ones, or the others. */
    private static Map<String, String> options(Map<String, String> properties, boolean freshnessOnes) {
        Map<String, String> out = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            String option = optionName(k);
            if (FRESHNESS_OPTIONS.contains(option) == freshnessOnes) {
                out.put(option, v.trim());
            }
        });
        return out;
    }

    /**
     * {@code fresh-for}, {@code freshFor}, {@code FRESH_FOR}, {@code fresh_for} and
     * {@code fresh.for} (an environment variable's {@code _} as Boot maps it) as {@code fresh_for}.
     */
    static String optionName(String bound) {
        String snake = bound.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_');
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
