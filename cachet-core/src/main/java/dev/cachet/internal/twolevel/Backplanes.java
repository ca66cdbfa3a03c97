package dev.cachet.internal.twolevel;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.BackplaneProvider;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens a {@link Backplane} from a location, as {@link dev.cachet.Caches} opens a backend:
 * {@code memory:} is built in, other schemes come from {@link BackplaneProvider}s on the class
 * path. The location's options (after {@code ?}, except for {@code jdbc:} locations, whose query
 * is the driver's) are checked against {@code channel} and the provider's own.
 */
public final class Backplanes {
    private static volatile Map<String, BackplaneProvider> providers;

    private Backplanes() {
    }

    /**
     * Opens the backplane at {@code location} for cache {@code cacheName}, on {@code channel}
     * unless the location names one.
     *
     * @throws IllegalArgumentException naming an unknown scheme or option, or a bad value
     */
    public static Backplane open(String cacheName, String location, String channel, long heartbeatMillis) {
        CacheConfig config = CacheConfig.builder(location).name(cacheName).build();
        String scheme = config.scheme();
        Set<String> allowed = new HashSet<>(Set.of("channel"));
        BackplaneProvider provider = null;
        if (!scheme.equals("memory")) {
            provider = providers().get(scheme);
            if (provider == null) {
                Set<String> known = new TreeSet<>(providers().keySet());
                known.add("memory");
                throw new IllegalArgumentException("cache '" + cacheName + "': unknown backplane scheme '" + scheme
                        + ":' in '" + config.redactedLocation() + "'; known: " + known
                        + " (redis, jdbc and memcached backplanes need their cachet module on the class path)");
            }
            allowed.addAll(provider.options());
        }
        for (String o : config.options().keySet()) {
            if (!allowed.contains(o)) {
                throw new IllegalArgumentException("cache '" + cacheName + "': unknown backplane option [" + o
                        + "] in '" + config.redactedLocation() + "'; known options: " + new TreeSet<>(allowed));
            }
        }
        String ch = config.option("channel").orElse(channel);
        if (ch.isBlank()) {
            throw new IllegalArgumentException("cache '" + cacheName + "': backplane channel must not be blank");
        }
        return provider == null ? new InProcessBackplane(ch) : provider.open(config, ch, heartbeatMillis);
    }

    private static Map<String, BackplaneProvider> providers() {
        Map<String, BackplaneProvider> p = providers;
        if (p == null) {
            p = new HashMap<>();
            for (BackplaneProvider bp : ServiceLoader.load(BackplaneProvider.class)) {
                for (String s : bp.schemes()) {
                    p.put(s, bp);
                }
            }
            providers = p;
        }
        return p;
    }

    /** Wires a two-level cache: called by {@link dev.cachet.TwoLevel.Builder#build()}. */
    public static TwoLevelCache twoLevel(dev.cachet.Cache shared, Backplane backplane, long maxEntries, long localTtlMillis,
            long boundMillis, java.time.Clock clock) {
        long heartbeat = Math.max(1, boundMillis / 4);
        Levels levels = new Levels(maxEntries, localTtlMillis, boundMillis);
        BackplaneLink link = new BackplaneLink(shared.name(), backplane, levels, clock, heartbeat);
        return new TwoLevelCache(shared, new TwoLevelCache.Shared(levels, link, clock, heartbeat));
    }
}
