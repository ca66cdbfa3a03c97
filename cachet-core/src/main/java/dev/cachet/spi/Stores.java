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
}
