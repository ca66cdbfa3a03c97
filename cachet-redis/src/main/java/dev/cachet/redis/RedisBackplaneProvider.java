package dev.cachet.redis;

import dev.cachet.CacheConfig;
import dev.cachet.redis.internal.RedisBackplane;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.BackplaneProvider;
import java.util.Set;

/**
 * The Redis backplane of two-level caches ({@link dev.cachet.TwoLevel}): pub/sub on a channel
 * ({@code cachet-<cache name>} unless the location's {@code channel} option names one), on
 * connections of its own. Locations {@code redis://host:6379}, {@code redis://:password@host},
 * {@code rediss://...} as for the cache; options {@code channel}, {@code connect_timeout},
 * {@code command_timeout}, {@code verify_peer}, {@code ca_file}, {@code client_name}. Redis
 * pub/sub keeps nothing for a subscriber that is away: the core's sequence numbers, heartbeats
 * and resets make such a loss cost at most the staleness bound.
 */
public final class RedisBackplaneProvider implements BackplaneProvider {
    /** For {@link java.util.ServiceLoader}. */
    public RedisBackplaneProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-cluster", "rediss-cluster");
    }

    @Override
    public Set<String> options() {
        return Set.of("connect_timeout", "command_timeout", "verify_peer", "ca_file", "client_name");
    }

    @Override
    public Backplane open(CacheConfig location, String channel, long heartbeatMillis) {
        return RedisBackplane.open(location, channel);
    }
}
