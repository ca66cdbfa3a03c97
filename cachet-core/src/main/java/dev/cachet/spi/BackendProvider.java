package dev.cachet.spi;

import dev.cachet.CacheConfig;
import java.util.Set;

/**
 * A backend module's entry point, found with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.cachet.spi.BackendProvider}). It opens a byte {@link Store} for
 * the location schemes it owns; the core wraps the store with the whole cache API, the entry
 * format, compression and chunking.
 */
public interface BackendProvider {
    /** The location schemes this provider opens, lower case (e.g. {@code redis}, {@code rediss}). */
    Set<String> schemes();

    /**
     * The backend-specific option names it accepts besides {@link
     * dev.cachet.CacheConfig#COMMON_OPTIONS}, normalized (lower case, {@code _}).
     */
    default Set<String> options() {
        return Set.of();
    }

    /** The item limit when {@code max_item_bytes} is not given. */
    default long defaultMaxItemBytes() {
        return Integer.MAX_VALUE;
    }

    /**
     * Opens the store {@code config} describes. Bad options or a bad location throw
     * {@link IllegalArgumentException} naming them. A server that does not answer should not
     * fail the open: the store connects later, by itself (the built-in providers wrap their
     * open in {@link DeferredStore#open}, or connect lazily as memcached does); a server that
     * answers and refuses (a wrong password) is a {@link StoreException}.
     */
    Store open(CacheConfig config);
}
