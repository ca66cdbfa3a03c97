package dev.cachet.internal;

import dev.cachet.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the previous entries of an expired namespace's keys are ({@link dev.cachet.Namespace#expire()}),
 * as keys of the cache at the bottom of the namespace chain (the <i>root</i>: the first parent
 * that is not a namespace), for the {@link StaleFallback} pipeline.
 *
 * <p>A namespace's <i>previous worlds</i> are the places its keys were stored in before the
 * last expiry, most recent first:
 * <ol>
 *   <li>its own previous generation, when {@link Generation#recorded()} holds the generation
 *       right before the current one (an expiry not followed by any other move);</li>
 *   <li>for a nested namespace, in each previous world of its parent, its generation as
 *       stored there (the counter lives in the parent, so a parent's expiry leaves the nested
 *       counter behind in the parent's previous generation). Not when the nested namespace has
 *       a record that is not valid: it was invalidated (or expired again) since its parent's
 *       generation began, and the parent's old world is older than that.</li>
 * </ol>
 * Computing them reads the record (and, for nested namespaces, the parent's worlds and the
 * counters in them): done once per call, on the first key that misses, never on a hit.
 */
final class PreviousGenerations {

    private PreviousGenerations() {
    }

    /**
     * For a key of {@code ns} at generation {@code current} (the one its entry was just missed
     * at), the root keys that may hold its previous entry; the worlds are
     * found on the first call and reused by the later ones (one {@code getOrSet} or
     * {@code getOrSetMany}, in its calling thread).
     */
    static Function<String, List<String>> keysOf(NamespacedCache ns, long current) {
        return new Function<>() {
            private List<UnaryOperator<String>> worlds;

            @Override
            public List<String> apply(String key) {
                if (worlds == null) {
                    worlds = worlds(ns, current);
                }
                if (worlds.isEmpty()) {
                    return List.of();
                }
                List<String> out = new ArrayList<>(worlds.size());
                for (UnaryOperator<String> w : worlds) {
                    out.add(w.apply(key));
                }
                return out;
            }
        };
    }

    /** {@code ns}'s previous worlds when its generation is {@code current}, each as the map from its keys to root keys. */
    static List<UnaryOperator<String>> worlds(NamespacedCache ns, long current) {
        Generation gen = ns.generation();
        Long recorded = gen.recorded();
        boolean own = recorded != null && recorded != Generation.NONE && recorded == current - 1;
        List<UnaryOperator<String>> out = new ArrayList<>(2);
        if (own) {
            long previous = recorded;
            out.add(k -> parentRootKey(ns, ns.dataKey(previous, k)));
        }
        if (ns.parent() instanceof NamespacedCache outer && (recorded == null || own)) {
            Cache counters = root(gen.holder());
            for (UnaryOperator<String> w : worlds(outer, outer.generation().current())) {
                Long there = counters.get(w.apply(gen.key()), Long.class);
                if (there != null) {
                    long g = there;
                    out.add(k -> w.apply(ns.dataKey(g, k)));
                }
            }
        }
        return out;
    }

    /** The root key of {@code key} of {@code ns}, at its current generation. */
    private static String rootKey(NamespacedCache ns, String key) {
        return parentRootKey(ns, ns.dataKey(ns.generation().current(), key));
    }

    /** The root key of {@code parentKey}, a key of {@code ns}'s parent. */
    private static String parentRootKey(NamespacedCache ns, String parentKey) {
        return ns.parent() instanceof NamespacedCache outer ? rootKey(outer, parentKey) : parentKey;
    }

    /** The first cache under {@code cache} that is not a namespace. */
    private static Cache root(Cache cache) {
        Cache c = cache;
        while (c instanceof NamespacedCache ns) {
            c = ns.parent();
        }
        return c;
    }
}
