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
     * other store holds; a {@code Cache} opened on {@code memory:?store_by_value=true} without a
     * byte bound or compression copies objects instead and has no such store), {@code file:} and
     * {@code dummy:} stores, or a {@link BackendProvider}'s.
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

    /**
     * The keys the cache {@code config} describes owns in its store, as its {@code clear}
     * removes them: its prefix's shape, or {@link KeyScope#everything()} with a custom key
     * function.
     *
     * @throws IllegalArgumentException for a bad option
     */
    public static KeyScope scope(CacheConfig config) {
        return CacheFactory.keyPolicy(config).scope();
    }

    /**
     * The stored key under which the cache {@code config} describes keeps {@code key} at its
     * version: the key function's result, or its hash when that cannot be stored verbatim.
     *
     * @throws IllegalArgumentException for a bad option, or a key strict mode refuses
     */
    public static String storedKey(CacheConfig config, String key) {
        dev.cachet.internal.KeyPolicy keys = CacheFactory.keyPolicy(config);
        return keys.storeKey(key, config.version(), keys.head(config.version()));
    }

    /**
     * The user's key that {@code storedKey} holds for the cache {@code config} describes, at its
     * version; empty when that cannot be told: a hashed key (too long or unusual to store
     * verbatim, or a piece of a chunked value), another version's key, or a custom key function.
     */
    public static java.util.Optional<String> userKey(CacheConfig config, String storedKey) {
        dev.cachet.internal.KeyPolicy keys = CacheFactory.keyPolicy(config);
        String head = keys.head(config.version());
        if (!keys.isDefaultFunction() || !storedKey.startsWith(head)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(storedKey.substring(head.length()));
    }
}
