package dev.cachet.spi;

import dev.cachet.CacheConfig;
import java.util.Set;

/**
 * A backend module's backplane, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.cachet.spi.BackplaneProvider}), as {@link BackendProvider}s are.
 * It opens a {@link Backplane} for the location schemes it owns.
 */
public interface BackplaneProvider {
    /** The location schemes this provider opens, lower case (e.g. {@code redis}). */
    Set<String> schemes();

    /** The options it accepts in the location's query besides {@code channel}, normalized. */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Opens the backplane at {@code location} (its {@link CacheConfig#name()} is the cache's
     * name, its options those of the location's query), on channel {@code channel}. A polling
     * backplane polls every {@code heartbeatMillis}. Bad options or a bad location throw
     * {@link IllegalArgumentException} naming them (and no secret); a server that does not
     * answer does not fail the open: the backplane connects by itself later.
     */
    Backplane open(CacheConfig location, String channel, long heartbeatMillis);
}
