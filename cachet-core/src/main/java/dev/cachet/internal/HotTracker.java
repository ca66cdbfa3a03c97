package dev.cachet.internal;

import dev.cachet.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent read frequencies of one cache's namespaces and of their keys, in bounded memory:
 * one {@link FrequencySketch} counting namespace names, one counting (namespace, key) pairs,
 * and beside each a bounded set of {@link TopCandidates} (the most frequent names; the most
 * frequent pairs over all namespaces). A namespace's hottest keys are therefore found when
 * they are among the cache's {@value #PAIR_CANDIDATES} hottest (namespace, key) pairs: the
 * keys of a namespace nobody reads much are not tracked, which is what a refresh of hot keys
 * wants. Nested namespaces count under their path, the names joined by {@code /}.
 *
 * <p>Every namespace view made from one cache object shares its tracker (see
 * {@link Namespaces#tracker}). A read costs eight atomic increments spread over two tables and
 * two volatile reads; only a key above the admission bar touches the candidate maps.
 *
 * <p>The invalidation hook: {@link #onInvalidate} registers a listener that every
 * {@link Namespace#invalidate()} of a view of this tracker calls, in the invalidating thread
 * after the generation moved, with the namespace and its hottest keys (so a refresh pipeline
 * can recompute them). A listener's exception is logged and does not fail the invalidation.
 * Thread-safe.
 */
public final class HotTracker {
    static final int NAME_CANDIDATES = 128;
    static final int PAIR_CANDIDATES = 512;
    private static final int WIDTH = 2048;
    private static final Logger LOG = LoggerFactory.getLogger(HotTracker.class);

    private final FrequencySketch names;
    private final FrequencySketch pairs;
    private final TopCandidates<String> topNames;
    private final TopCandidates<Pair> topPairs;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The loaders registered on each namespace path: every view of a namespace shares them. */
    private final java.util.concurrent.ConcurrentHashMap<String, LoaderRegistry> loaders =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A tracker with the default sizes: 2048 counters per sketch row, aging every 10 * 2048 reads. */
    HotTracker() {
        this(WIDTH, 10 * WIDTH, NAME_CANDIDATES, PAIR_CANDIDATES);
    }

    HotTracker(int width, int sampleSize, int nameCandidates, int pairCandidates) {
        this.topNames = new TopCandidates<>(nameCandidates, n -> namesSketch().estimate(n.hashCode()));
        this.topPairs = new TopCandidates<>(pairCandidates, p -> pairsSketch().estimate(p.hash()));
        this.names = new FrequencySketch(width, sampleSize, topNames::aged);
        this.pairs = new FrequencySketch(width, sampleSize, topPairs::aged);
    }

    private FrequencySketch namesSketch() {
        return names;
    }

    private FrequencySketch pairsSketch() {
        return pairs;
    }

    /** Counts one read of {@code key} in the namespace at {@code path}. */
    void recordRead(String path, String key) {
        int nameHash = path.hashCode();
        int e = names.increment(nameHash);
        if (topNames.admits(e)) {
            topNames.offer(path, e);
        }
        int pairHash = Pair.hash(nameHash, key);
        int pe = pairs.increment(pairHash);
        if (topPairs.admits(pe)) {
            topPairs.offer(new Pair(path, key, pairHash), pe);
        }
    }

    /** The at most {@code n} most read namespaces recently, most read first (their paths). */
    public List<String> hottestNamespaces(int n) {
        return topNames.top(n, x -> true);
    }

    /** The at most {@code n} most read namespaces directly under {@code path}, most read first. */
    List<String> hottestNamespacesUnder(String path, int n) {
        String head = path + "/";
        List<String> out = new ArrayList<>();
        for (String p : topNames.top(Integer.MAX_VALUE, x -> x.startsWith(head) && x.indexOf('/', head.length()) < 0)) {
            if (out.size() == n) {
                break;
            }
            out.add(p.substring(head.length()));
        }
        return out;
    }

    /** The at most {@code n} most read keys of the namespace at {@code path}, most read first. */
    public List<String> hottestKeys(String path, int n) {
        List<String> out = new ArrayList<>();
        for (Pair p : topPairs.top(n, x -> x.path.equals(path))) {
            out.add(p.key);
        }
        return out;
    }

    /** The estimated recent reads of {@code key} in the namespace at {@code path}. */
    public int frequency(String path, String key) {
        return pairs.estimate(Pair.hash(path.hashCode(), key));
    }

    /**
     * Registers {@code listener}, called after each {@link Namespace#invalidate()} of a view
     * sharing this tracker with the namespace and its (at most) {@code hottest} hottest keys.
     */
    public void onInvalidate(int hottest, BiConsumer<? super Namespace, ? super List<String>> listener) {
        if (hottest < 0) {
            throw new IllegalArgumentException("hottest must not be negative: " + hottest);
        }
        listeners.add(new Listener(hottest, listener));
    }

    /** Removes every listener registered with {@code listener}. */
    public void removeListener(BiConsumer<? super Namespace, ? super List<String>> listener) {
        listeners.removeIf(l -> l.consumer == listener);
    }

    void invalidated(Namespace namespace, String path) {
        for (Listener l : listeners) {
            try {
                l.consumer.accept(namespace, hottestKeys(path, l.hottest));
            } catch (RuntimeException e) {
                LOG.warn("an invalidation listener of namespace '{}' failed", KeyPolicy.abbreviate(path), e);
            }
        }
    }

    /** The loaders registered on the namespace at {@code path} (made on first use). */
    LoaderRegistry loaders(String path) {
        return loaders.computeIfAbsent(path, p -> new LoaderRegistry());
    }

    /** The sketches' fixed memory, in counters (for tests). */
    int counters() {
        return names.counters() + pairs.counters();
    }

    private record Listener(int hottest, BiConsumer<? super Namespace, ? super List<String>> consumer) {
    }

    /** A (namespace path, key) pair with its precomputed sketch hash (which follows from the two). */
    private record Pair(String path, String key, int hash) {
        static int hash(int pathHash, String key) {
            return pathHash * 0x9E3779B1 + key.hashCode();
        }
    }
}
