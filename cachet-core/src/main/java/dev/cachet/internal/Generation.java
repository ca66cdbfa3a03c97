package dev.cachet.internal;

import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.Timeout;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generation of one namespace: a counter stored in the parent cache under
 * {@code "\0nsgen\0" + name} with no expiry, read through the parent's public API only
 * ({@code get}, {@code add}, {@code incr}), so it works on every backend.
 *
 * <p>When the counter is absent (first use, or evicted by memcached or an LRU) it is created
 * with {@code add} at the current time in milliseconds, or one past the highest generation
 * this object has seen if that is higher, and re-read (among concurrent creators, the one
 * whose {@code add} won decides). A re-created generation is thus never one the entries still
 * stored under the namespace were written with, as long as the namespace was invalidated less
 * than once per millisecond on average since its counter was created (and clocks of the
 * processes sharing it roughly agree): the old counter started at its creation time and grew
 * by one per invalidation.
 *
 * <p>With a positive hold, a generation read is kept for that long in this object, saving the
 * read; within the hold, another process's invalidation may not be seen (this object's own
 * invalidations are).
 *
 * <p>{@link #expire()} records the generation it leaves under {@code "\0nsprev\0" + name}
 * (no expiry), which {@link PreviousGenerations} reads to find the previous entries. A record
 * counts only while the generation is the one right after it, so any later move (an
 * invalidation here or in another process, a re-created counter) voids it with no write. A
 * nested namespace's {@link #invalidate()} writes {@link #NONE} there first: a nested
 * namespace without a record takes its previous entries from its parent's previous generation,
 * which its own invalidation must end too. Thread-safe.
 */
final class Generation {
    /** The record of a nested namespace invalidated since its parent's generation began: no previous entries. */
    static final long NONE = -1;

    private final Cache holder;
    private final String key;
    private final String previousKey;
    private final long holdNanos;
    private final AtomicLong highest = new AtomicLong(Long.MIN_VALUE);
    private volatile Held held;

    Generation(Cache holder, String name, long holdNanos) {
        this.holder = holder;
        this.key = "\0nsgen\0" + name;
        this.previousKey = "\0nsprev\0" + name;
        this.holdNanos = holdNanos;
    }

    /** The stored key of the counter, as the parent cache sees it. */
    String key() {
        return key;
    }

    long holdNanos() {
        return holdNanos;
    }

    /** The cache the counter and the record are stored in (the namespace's parent as it was made). */
    Cache holder() {
        return holder;
    }

    /** The generation {@link #expire()} recorded as the previous one, {@link #NONE}, or null when none is stored. */
    Long recorded() {
        return holder.get(previousKey, Long.class);
    }

    private boolean nested() {
        return holder instanceof NamespacedCache;
    }

    /** The current generation: held, read, or created. */
    long current() {
        Long h = fromHold();
        if (h != null) {
            return h;
        }
        Long g = holder.get(key, Long.class);
        if (g == null) {
            long fresh = fresh();
            holder.add(key, fresh, Timeout.FOREVER);
            g = holder.get(key, Long.class);
            if (g == null) {
                g = fresh; // a cache that keeps nothing (dummy, or degraded): any generation misses alike
            }
        }
        return remember(g);
    }

    /** {@link #current()} through the parent's async face. */
    CompletionStage<Long> currentAsync() {
        Long h = fromHold();
        if (h != null) {
            return CompletableFuture.completedFuture(h);
        }
        return holder.async().get(key, Long.class).thenCompose(g -> {
            if (g != null) {
                return CompletableFuture.completedFuture(remember(g));
            }
            long fresh = fresh();
            return holder.async().add(key, fresh, Timeout.FOREVER)
                    .thenCompose(added -> holder.async().get(key, Long.class))
                    .thenApply(again -> remember(again == null ? fresh : again));
        });
    }

    /**
     * Moves to a new generation with one atomic {@code incr} of the counter; when the counter
     * is absent, creates it (as {@link #current()} does), which is a new generation too. A
     * nested namespace first writes {@link #NONE} as its record.
     *
     * @return the new generation
     */
    long invalidate() {
        if (nested()) {
            holder.set(previousKey, NONE, Timeout.FOREVER);
        }
        return move();
    }

    /**
     * Moves to a new generation as {@link #invalidate()} does, recording the generation it
     * leaves (read from the counter, not from the hold) before the {@code incr}; when the
     * {@code incr} shows that another move came between the read and it, the record is written
     * again as the generation just before the new one. With no counter stored there is nothing
     * to keep: the counter is created.
     *
     * @return the new generation
     */
    long expire() {
        Long before = holder.get(key, Long.class);
        if (before == null) {
            return move();
        }
        holder.set(previousKey, before, Timeout.FOREVER);
        long after = move();
        if (after != before + 1) {
            holder.set(previousKey, after - 1, Timeout.FOREVER);
        }
        return after;
    }

    private long move() {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return remember(holder.incr(key));
            } catch (NoSuchElementException absent) {
                long fresh = fresh();
                if (holder.add(key, fresh, Timeout.FOREVER)) {
                    return remember(fresh);
                }
                // another process created it meanwhile (or the add failed): incr again
            }
        }
        throw new CacheException(holder.name(), "could not move the generation of namespace key '"
                + KeyPolicy.abbreviate(key) + "': the counter kept disappearing", null);
    }

    /** {@link #invalidate()} through the parent's async face. */
    CompletionStage<Long> invalidateAsync() {
        if (nested()) {
            return holder.async().set(previousKey, NONE, Timeout.FOREVER).thenCompose(written -> invalidateAsync(0));
        }
        return invalidateAsync(0);
    }

    private CompletionStage<Long> invalidateAsync(int attempt) {
        return holder.async().incr(key, 1).handle((g, e) -> {
            if (e == null) {
                return CompletableFuture.completedFuture(remember(g));
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof NoSuchElementException) || attempt >= 4) {
                return CompletableFuture.<Long>failedFuture(cause);
            }
            long fresh = fresh();
            return holder.async().add(key, fresh, Timeout.FOREVER).thenCompose(added -> added
                    ? CompletableFuture.completedFuture(remember(fresh))
                    : invalidateAsync(attempt + 1));
        }).thenCompose(s -> s);
    }

    private Long fromHold() {
        Held h = held;
        return h != null && holdNanos > 0 && System.nanoTime() - h.at < holdNanos ? h.value : null;
    }

    private long fresh() {
        long seen = highest.get();
        return seen == Long.MIN_VALUE ? System.currentTimeMillis() : Math.max(System.currentTimeMillis(), seen + 1);
    }

    /** Notes {@code g} as seen (and held); within a hold the held generation never goes back. */
    private long remember(long g) {
        highest.accumulateAndGet(g, Math::max);
        if (holdNanos > 0) {
            Held h = held;
            long now = System.nanoTime();
            if (h != null && h.value > g && now - h.at < holdNanos) {
                return h.value;
            }
            held = new Held(g, now);
        }
        return g;
    }

    private record Held(long value, long at) {
    }
}
