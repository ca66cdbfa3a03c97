package dev.cachet.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The bounded set of keys that may be among the most frequent, beside a
 * {@link FrequencySketch} that holds the counts: at most {@code capacity} members, each with
 * its estimate as last seen; a newcomer enters only when its estimate beats the least
 * member's, which it replaces.
 *
 * <p>The read path is cheap: {@link #admits(int)} is one volatile read, and a key under the
 * admission bar goes no further (no allocation, no lock). A member above the bar updates its
 * recorded estimate (a map read and a lazy atomic write). A newcomer above the bar is
 * considered one time in {@value #SAMPLE} (a frequent key comes back soon), and then only if
 * the lock is free ({@code tryLock}): one scan of the recorded estimates finds the least
 * member and the new bar. When the sketch ages, the recorded estimates and the bar are halved
 * with it, so members no longer read decay and leave. Thread-safe.
 */
final class TopCandidates<K> {
    static final int SAMPLE = 8;

    private final int capacity;
    private final ToIntFunction<K> estimator;
    private final Map<K, AtomicInteger> members = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** The admission bar: 0 while there is room, else the least recorded estimate when last scanned. */
    private volatile int bar;

    /** A set of at most {@code capacity} keys; {@code estimator} reads a key's frequency from the sketch, for {@link #top}. */
    TopCandidates(int capacity, ToIntFunction<K> estimator) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.estimator = estimator;
    }

    /** True when a key estimated at {@code estimate} may enter (or, if a member, record it). */
    boolean admits(int estimate) {
        return estimate > bar;
    }

    /** Offers {@code key}, estimated at {@code estimate}; call when {@link #admits} is true. */
    void offer(K key, int estimate) {
        AtomicInteger recorded = members.get(key);
        if (recorded != null) {
            recorded.lazySet(estimate);
            return;
        }
        if (members.size() >= capacity && ThreadLocalRandom.current().nextInt(SAMPLE) != 0) {
            return;
        }
        offerNow(key, estimate);
    }

    /** {@link #offer} without sampling (tests). */
    void offerNow(K key, int estimate) {
        if (!lock.tryLock()) {
            return;
        }
        try {
            if (members.containsKey(key)) {
                return;
            }
            if (members.size() < capacity) {
                members.put(key, new AtomicInteger(estimate));
                if (members.size() == capacity) {
                    bar = scan().least;
                }
                return;
            }
            Scan<K> s = scan();
            if (estimate > s.least) {
                members.remove(s.leastKey);
                members.put(key, new AtomicInteger(estimate));
                bar = Math.min(s.second, estimate);
            } else {
                bar = s.least;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The sketch's counters were halved: halve the recorded estimates and the bar with them. */
    void aged() {
        for (AtomicInteger r : members.values()) {
            r.set(r.get() >>> 1);
        }
        bar = bar >>> 1;
    }

    /** At most {@code n} members accepted by {@code filter}, most frequent first (by the sketch now). */
    List<K> top(int n, Predicate<? super K> filter) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        List<Map.Entry<K, Integer>> ranked = new ArrayList<>();
        for (K k : members.keySet()) {
            if (filter.test(k)) {
                int e = estimator.applyAsInt(k);
                if (e > 0) {
                    ranked.add(Map.entry(k, e));
                }
            }
        }
        ranked.sort(Comparator.comparingInt((Map.Entry<K, Integer> r) -> r.getValue()).reversed());
        List<K> out = new ArrayList<>(Math.min(n, ranked.size()));
        for (int i = 0; i < ranked.size() && i < n; i++) {
            out.add(ranked.get(i).getKey());
        }
        return out;
    }

    /** How many members there are (at most the capacity). */
    int size() {
        return members.size();
    }

    /** The least and second least recorded estimates, in one pass. */
    private Scan<K> scan() {
        K leastKey = null;
        int least = Integer.MAX_VALUE;
        int second = Integer.MAX_VALUE;
        for (Map.Entry<K, AtomicInteger> e : members.entrySet()) {
            int v = e.getValue().get();
            if (v < least) {
                second = least;
                least = v;
                leastKey = e.getKey();
            } else if (v < second) {
                second = v;
            }
        }
        return new Scan<>(leastKey, least, second);
    }

    private record Scan<K>(K leastKey, int least, int second) {
    }
}
