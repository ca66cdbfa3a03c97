package dev.cachet.memcached;

import dev.cachet.CacheConfig;
import dev.cachet.memcached.internal.MemcachedBackplane;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.BackplaneProvider;
import java.util.Set;

/**
 * The memcached backplane of two-level caches ({@link dev.cachet.TwoLevel}): a generation
 * counter per channel, incremented by every change and polled by every instance once a
 * heartbeat (a quarter of the staleness bound). Memcached cannot tell which key changed, so a
 * change anywhere clears the local levels of the other instances: for read-mostly data.
 * Location {@code memcached://host:11211} (or a cluster, as for the cache); option
 * {@code channel}.
 */
public final class MemcachedBackplaneProvider implements BackplaneProvider {
    /** For {@link java.util.ServiceLoader}. */
    public MemcachedBackplaneProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memcached");
    }

    @Override
    public Backplane open(CacheConfig location, String channel, long heartbeatMillis) {
        return MemcachedBackplane.open(location, channel, heartbeatMillis);
    }
}
