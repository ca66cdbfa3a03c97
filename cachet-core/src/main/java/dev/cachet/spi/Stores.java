package dev.cachet.spi;

import dev.cachet.CacheConfig;
import dev.cachet.internal.CacheFactory;

/**
 * Opens the byte {@link Store} behind a location, without the cache around it: for backend
 * authors, store contract tests, and decorators that need a second store. Options are checked
 * as when a cache is opened.
 */
public final class Stores {
    private Stores() {
    }

    /**
     * The store {@code config} describes: the built-in {@code memory:} (by value: bytes, as every
     * other store holds), {@code file:} and {@code dummy:} stores, or a {@link BackendProvider}'s.
     * The caller closes it.
     *
     * @throws IllegalArgumentException for a bad location or option, naming it
     */
    public static Store open(CacheConfig config) {
        return CacheFactory.openStore(config);
    }

    /**
     * The options a cache at a location of {@code scheme} accepts: {@link
     * CacheConfig#COMMON_OPTIONS} and its backend's own (for {@code memory}, {@code max_entries},
     * {@code max_bytes} and {@code store_by_value}; for {@code file}, the culling options), names
     * normalized. Any other option is refused when the cache opens.
     *
     * @throws IllegalArgumentException for a scheme no backend on the class path opens
     */
    public static java.util.Set<String> options(String scheme) {
        java.util.Set<String> all = new java.util.TreeSet<>(CacheConfig.COMMON_OPTIONS);
        all.addAll(CacheFactory.backendOptions(scheme.toLowerCase(java.util.Locale.ROOT)));
        return java.util.Collections.unmodifiableSet(all);
    }
}
