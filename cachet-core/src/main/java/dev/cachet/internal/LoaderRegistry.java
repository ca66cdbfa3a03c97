package dev.cachet.internal;

import dev.cachet.Freshness;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Loaders registered per key prefix, so the cache can recompute a key with no caller present
 * ({@code refresh}, {@code prefetch}, a namespace's hot keys after an invalidation). The longest
 * matching prefix wins; registering a prefix again replaces its loader. Thread-safe.
 */
final class LoaderRegistry {
    /** A registered loader. */
    record Registered(String prefix, Function<String, ?> loader, Freshness freshness) {
    }

    private final CopyOnWriteArrayList<Registered> loaders = new CopyOnWriteArrayList<>();

    synchronized void register(String prefix, Function<String, ?> loader, Freshness freshness) {
        Objects.requireNonNull(prefix, "keyPrefix must not be null (an empty prefix matches every key)");
        Objects.requireNonNull(loader, "loader must not be null");
        Objects.requireNonNull(freshness, "freshness must not be null");
        loaders.removeIf(r -> r.prefix.equals(prefix));
        loaders.add(new Registered(prefix, loader, freshness));
    }

    /** True when nothing is registered. */
    boolean isEmpty() {
        return loaders.isEmpty();
    }

    /** The loader for {@code key} (longest matching prefix), or null. */
    Registered find(String key) {
        Registered best = null;
        for (Registered r : loaders) {
            if (key.startsWith(r.prefix) && (best == null || r.prefix.length() > best.prefix.length())) {
                best = r;
            }
        }
        return best;
    }
}
