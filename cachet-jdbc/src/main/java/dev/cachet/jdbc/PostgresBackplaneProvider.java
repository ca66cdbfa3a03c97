package dev.cachet.jdbc;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.internal.PostgresBackplane;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.BackplaneProvider;
import java.util.Set;

/**
 * The PostgreSQL backplane of two-level caches ({@link dev.cachet.TwoLevel}): {@code LISTEN} and
 * {@code pg_notify} on a channel ({@code cachet-<cache name>} unless
 * {@link dev.cachet.TwoLevel.Builder#channel} names one), on two connections of its own.
 * Location: a {@code jdbc:postgresql://...} URL, credentials as for the cache (handed to the
 * driver as properties, never in a message). A {@code jdbc:} URL's query is the driver's, so
 * the channel is given on the builder. For invalidations made inside the application's own
 * transactions, see {@link PostgresOutbox}.
 */
public final class PostgresBackplaneProvider implements BackplaneProvider {
    /** For {@link java.util.ServiceLoader}. */
    public PostgresBackplaneProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("jdbc");
    }

    @Override
    public Backplane open(CacheConfig location, String channel, long heartbeatMillis) {
        return PostgresBackplane.open(location, channel);
    }
}
