package dev.cachet.internal;

import dev.cachet.Cache;
import dev.cachet.Namespace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * Makes {@link Namespace}s (for {@link Cache#namespace(String, Duration)}) and keeps, per
 * parent cache object, the {@link HotTracker} its namespaces share. The trackers are held
 * weakly: a cache no longer used takes its tracker with it. Making a namespace takes a short
 * lock (the tracker lookup); operations in a namespace take none. Thread-safe.
 */
public final class Namespaces {
    private static final Map<Cache, HotTracker> TRACKERS = new WeakHashMap<>();

    private Namespaces() {
    }

    /** The namespace {@code name} of {@code parent}, holding a generation read for {@code generationHold}. */
    public static Namespace create(Cache parent, String name, Duration generationHold) {
        Objects.requireNonNull(parent, "parent must not be null");
        check(name, generationHold);
        return new NamespacedCache(parent, new Generation(parent, name, Namespaces.nanos(generationHold)), name, name,
                tracker(parent), true);
    }

    /** The hottest namespaces of {@code cache}'s tracker; empty when it has none. */
    public static List<String> hotNamespaces(Cache cache, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        HotTracker t;
        synchronized (TRACKERS) {
            t = TRACKERS.get(cache);
        }
        return t == null ? List.of() : t.hottestNamespaces(n);
    }

    /**
     * The tracker the namespaces made from {@code cache} share (made on first use): the hook
     * for listeners of invalidations ({@link HotTracker#onInvalidate}). For a namespace, the
     * tracker of the cache it was (ultimately) made from.
     */
    public static HotTracker tracker(Cache cache) {
        Objects.requireNonNull(cache, "cache must not be null");
        if (cache instanceof NamespacedCache ns) {
            return ns.tracker();
        }
        synchronized (TRACKERS) {
            return TRACKERS.computeIfAbsent(cache, c -> new HotTracker());
        }
    }

    /** {@code d} in nanoseconds, saturating at {@code Long.MAX_VALUE} (a hold of centuries is forever). */
    static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    static void check(String name, Duration generationHold) {
        Objects.requireNonNull(name, "namespace name must not be null");
        Objects.requireNonNull(generationHold, "generationHold must not be null (use Duration.ZERO)");
        if (generationHold.isNegative()) {
            throw new IllegalArgumentException("generationHold must not be negative: " + generationHold);
        }
    }
}
