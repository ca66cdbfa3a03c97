package dev.cachet.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The bounded set of keys that may be among the most frequent, beside a
 * {@link FrequencySketch} that holds the counts: at most {@code capacity} members, a newcomer
 * entering only when its estimate beats the least frequent member's, which it replaces.
 *
 * <p>The read path is cheap: {@link #admits(int)} is one volatile read, and a key whose
 * estimate is under the admission bar goes no further (no allocation, no lock). A key above
 * the bar is checked for membership in a concurrent map and, if new, offered under a lock
 * taken with {@code tryLock} only: when another thread holds it the offer is dropped (the
 * sketch keeps counting, so a frequent key is offered again on its next read). Thread-safe.
 */
final class TopCandidates<K> {
    private final int capacity;
    private final ToIntFunction<K> estimator;
    private final Map<K, Boolean> members = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** The admission bar: 0 while there is room, else the least member's estimate when last measured. */
    private volatile int bar;

    /** A set of at most {@code capacity} keys, whose frequencies {@code estimator} reads from the sketch. */
    TopCandidates(int capacity, ToIntFunction<K> estimator) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.estimator = estimator;
    }

    /** True when a key estimated at {@code estimate} may enter (or is worth checking for membership). */
    boolean admits(int estimate) {
        return estimate > bar;
    }

    /** Offers {@code key}, estimated at {@code estimate}; call when {@link #admits} is true. */
    void offer(K key, int estimate) {
        if (members.containsKey(key) || !lock.tryLock()) {
            return;
        }
        try {
            if (members.containsKey(key)) {
                return;
            }
            if (members.size() < capacity) {
                members.put(key, Boolean.TRUE);
                if (members.size() == capacity) {
                    bar = least().estimate;
                }
                return;
            }
            Ranked<K> least = least();
            if (estimate > least.estimate) {
                members.remove(least.key);
                members.put(key, Boolean.TRUE);
                bar = least().estimate;
            } else {
                bar = least.estimate;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The sketch's counters were halved: halve the bar with them. */
    void aged() {
        bar = bar >>> 1;
    }

    /** At most {@code n} members accepted by {@code filter}, most frequent first (by the sketch now). */
    List<K> top(int n, Predicate<? super K> filter) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        List<Ranked<K>> ranked = new ArrayList<>();
        for (K k : members.keySet()) {
            if (filter.test(k)) {
                int e = estimator.applyAsInt(k);
                if (e > 0) {
                    ranked.add(new Ranked<>(k, e));
                }
            }
        }
        ranked.sort(Comparator.comparingInt((Ranked<K> r) -> r.estimate).reversed());
        List<K> out = new ArrayList<>(Math.min(n, ranked.size()));
        for (int i = 0; i < ranked.size() && i < n; i++) {
            out.add(ranked.get(i).key);
        }
        return out;
    }

    /** How many members there are (at most the capacity). */
    int size() {
        return members.size();
    }

    private Ranked<K> least() {
        Ranked<K> least = null;
        for (K k : members.keySet()) {
            int e = estimator.applyAsInt(k);
            if (least == null || e < least.estimate) {
                least = new Ranked<>(k, e);
            }
        }
        return least;
    }

    private record Ranked<K>(K key, int estimate) {
    }
}
