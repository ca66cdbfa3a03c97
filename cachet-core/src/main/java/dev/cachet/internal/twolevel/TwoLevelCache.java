package dev.cachet.internal.twolevel;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Timeout;
import dev.cachet.internal.Conversions;
import dev.cachet.internal.StaleFallback;
import dev.cachet.spi.Invalidation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The two-level decorator (see {@link dev.cachet.TwoLevel} for the contract): reads the local
 * level, then the shared cache it wraps, filling the local level; a write goes to the shared
 * cache first, then drops the local copy here and announces the key on the backplane. The
 * fresh-data pipeline reads and writes through the local level too ({@link TwoLevelFresh}). The
 * version views share the local levels and the backplane. Thread-safe.
 *
 * <p>About 500 lines because it overrides every operation of {@link Cache}, each in a few lines
 * that apply the one rule above (shared first, then drop and announce); splitting them across
 * classes would scatter that rule.
 */
public final class TwoLevelCache extends ForwardingCache implements StaleFallback {
    private final Shared shared;
    private final LocalLevel local;
    private final int version;
    private final TwoLevelFresh fresh;
    private volatile AsyncCache async;

    /** What the version views of one two-level cache share. */
    static final class Shared {
        final Levels levels;
        final BackplaneLink link;
        final Clock clock;
        final long heartbeatMillis;
        final AtomicBoolean closed = new AtomicBoolean();

        Shared(Levels levels, BackplaneLink link, Clock clock, long heartbeatMillis) {
            this.levels = levels;
            this.link = link;
            this.clock = clock;
            this.heartbeatMillis = heartbeatMillis;
        }
    }

    TwoLevelCache(Cache delegate, Shared shared) {
        super(delegate);
        this.shared = shared;
        this.version = delegate.version();
        this.local = shared.levels.level(version);
        this.fresh = new TwoLevelFresh(this, delegate, local, shared.clock);
    }

    // ---- reads ----

    @Override
    public Object get(String key) {
        return lookup(key).orElse(null);
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        return lookup(key, type).orElse(null);
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        return lookup(key, type).orElse(defaultValue);
    }

    @Override
    public Lookup<Object> lookup(String key) {
        checkOpen();
        Lookup<Object> hit = local.get(key, shared.clock.millis()); // the hot path: no stage, no lambda
        return hit != null ? hit : join(lookupThen(key, k -> CompletableFuture.completedFuture(delegate().lookup(k))));
    }

    /** The local copy, or what {@code fetch} reads from the shared level (then kept locally). */
    CompletionStage<Lookup<Object>> lookupThen(String key, Function<String, CompletionStage<Lookup<Object>>> fetch) {
        checkOpen();
        long now = shared.clock.millis();
        Lookup<Object> l = local.get(key, now);
        if (l != null) {
            return CompletableFuture.completedFuture(l);
        }
        long stamp = local.stamp(key);
        return fetch.apply(key).thenApply(r -> {
            if (r.isHit()) {
                local.fill(key, r.value(), stamp, now);
            }
            return r;
        });
    }

    /** Local hits must not outlive {@link #close()}: the shared cache would refuse the call. */
    void checkOpen() {
        if (shared.closed.get()) {
            throw new IllegalStateException("cache '" + name() + "' is closed");
        }
    }

    /** The value of a stage completed by a synchronous fetch (its exception was thrown by the fetch itself). */
    private static <T> T join(CompletionStage<T> completed) {
        return completed.toCompletableFuture().join();
    }

    @Override
    public <T> Lookup<T> lookup(String key, Class<T> type) {
        Lookup<Object> l = lookup(key);
        return l.isHit() ? Lookup.hit(cast(l.value(), type, key)) : Lookup.miss();
    }

    @Override
    public boolean hasKey(String key) {
        return hasLocal(key) || delegate().hasKey(key);
    }

    /** True when the local level may serve {@code key}. */
    boolean hasLocal(String key) {
        checkOpen();
        return local.get(key, shared.clock.millis()) != null;
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        return join(getManyThen(keys, missing -> CompletableFuture.completedFuture(delegate().getMany(missing))));
    }

    /** The local copies of {@code keys} and what {@code fetch} reads of the others (then kept locally), in the order given. */
    CompletionStage<Map<String, Object>> getManyThen(Collection<String> keys,
            Function<List<String>, CompletionStage<Map<String, Object>>> fetch) {
        checkOpen();
        long now = shared.clock.millis();
        Map<String, Lookup<Object>> hits = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        Map<String, Long> stamps = new LinkedHashMap<>();
        for (String k : keys) {
            Lookup<Object> l = local.get(k, now);
            if (l != null) {
                hits.put(k, l);
            } else {
                missing.add(k);
                stamps.put(k, local.stamp(k));
            }
        }
        CompletionStage<Map<String, Object>> fetched = missing.isEmpty()
                ? CompletableFuture.completedFuture(Map.of()) : fetch.apply(missing);
        return fetched.thenApply(found -> {
            Map<String, Object> result = new LinkedHashMap<>();
            for (String k : keys) {
                Lookup<Object> l = hits.get(k);
                if (l != null) {
                    result.put(k, l.value());
                } else if (found.containsKey(k)) {
                    Object v = found.get(k);
                    local.fill(k, v, stamps.get(k), now);
                    result.put(k, v);
                }
            }
            return result;
        });
    }

    /** {@code values} cast to {@code type}, in their order. */
    <T> Map<String, T> typed(Map<String, Object> values, Class<T> type) {
        Map<String, T> typed = new LinkedHashMap<>();
        values.forEach((k, v) -> typed.put(k, cast(v, type, k)));
        return typed;
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        return typed(getMany(keys), type);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        return join(getOrSetThen(key, type, loader, timeout,
                wrapped -> CompletableFuture.completedFuture(delegate().getOrSet(key, type, wrapped, timeout))));
    }

    /**
     * The local copy, or what {@code load} returns through the shared level's {@code getOrSet}
     * with a loader that notes it ran: a value loaded here is announced, one found is kept locally.
     */
    <T> CompletionStage<T> getOrSetThen(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout,
            Function<Supplier<T>, CompletionStage<T>> load) {
        checkOpen();
        long now = shared.clock.millis();
        Lookup<Object> l = local.get(key, now);
        if (l != null) {
            return CompletableFuture.completedFuture(cast(l.value(), type, key));
        }
        long stamp = local.stamp(key);
        AtomicBoolean loaded = new AtomicBoolean();
        return load.apply(() -> {
            loaded.set(true);
            return loader.get();
        }).thenApply(v -> {
            if (loaded.get()) {
                changed(key, timeout);
            } else {
                local.fill(key, v, stamp, now);
            }
            return v;
        });
    }

    <T> T cast(Object value, Class<T> type, String key) {
        return Conversions.cast(value, type, name(), key);
    }

    // ---- writes: the shared level first, then the local copy and the announcement ----

    @Override
    public boolean set(String key, Object value, Timeout timeout) {
        try {
            return delegate().set(key, value, timeout);
        } finally {
            changed(key, timeout);
        }
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout, Collection<String> tags) {
        try {
            return delegate().set(key, value, timeout, tags);
        } finally {
            changed(key, timeout);
        }
    }

    @Override
    public boolean add(String key, Object value, Timeout timeout) {
        boolean added = delegate().add(key, value, timeout);
        if (added) {
            changed(key, timeout);
        }
        return added;
    }

    @Override
    public boolean touch(String key, Timeout timeout) {
        try {
            return delegate().touch(key, timeout);
        } finally {
            changed(key, timeout);
        }
    }

    @Override
    public boolean delete(String key) {
        try {
            return delegate().delete(key);
        } finally {
            changed(key, Timeout.FOREVER);
        }
    }

    @Override
    public Set<String> setMany(Map<String, ?> values, Timeout timeout) {
        try {
            return delegate().setMany(values, timeout);
        } finally {
            for (String k : values.keySet()) {
                changed(k, timeout);
            }
        }
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        try {
            return delegate().deleteMany(keys);
        } finally {
            for (String k : keys) {
                changed(k, Timeout.FOREVER);
            }
        }
    }

    @Override
    public long incr(String key, long delta) {
        try {
            return delegate().incr(key, delta);
        } finally {
            changed(key, Timeout.FOREVER);
        }
    }

    @Override
    public int incrVersion(String key, int delta) {
        try {
            return delegate().incrVersion(key, delta);
        } finally {
            versionMoved(key, delta);
        }
    }

    /** After {@code incrVersion(key, delta)}: drops and announces the key at both versions. */
    void versionMoved(String key, int delta) {
        changed(key, Timeout.FOREVER);
        int other = version + delta;
        shared.levels.level(other).invalidate(key, Long.MAX_VALUE);
        shared.link.publish(Invalidation.Kind.KEY, Levels.target(other, key));
    }

    @Override
    public void invalidateTag(String tag) {
        try {
            delegate().invalidateTag(tag);
        } finally {
            dropAllAndAnnounce(Invalidation.Kind.TAG, tag);
        }
    }

    @Override
    public void clear() {
        try {
            delegate().clear();
        } finally {
            dropAllAndAnnounce(Invalidation.Kind.CLEAR, "");
        }
    }

    /** Drops every local copy and announces {@code kind} (a tag's invalidation or a clear). */
    void dropAllAndAnnounce(Invalidation.Kind kind, String target) {
        shared.levels.clearAll();
        shared.link.publish(kind, target);
    }

    /** Drops the local copy of {@code key} (keeping the write's deadline as a ceiling) and announces it. */
    void changed(String key, Timeout timeout) {
        if (key == null) {
            return; // refused by the shared cache: nothing changed
        }
        local.invalidate(key, ceiling(timeout));
        announce(key);
    }

    /** Tells the other instances that {@code key} changed (this one's local copy is the caller's business). */
    void announce(String key) {
        if (key != null) {
            shared.link.publish(Invalidation.Kind.KEY, Levels.target(version, key));
        }
    }

    /** {@link #changed} now and once more a heartbeat later: for stores the pipeline makes after the loader returns. */
    void loadedInBackground(String key) {
        changed(key, Timeout.FOREVER);
        shared.link.later(shared.heartbeatMillis, () -> changed(key, Timeout.FOREVER));
    }

    long ceiling(Timeout timeout) {
        if (timeout.isDefault() || timeout.isForever()) {
            return Long.MAX_VALUE;
        }
        long millis;
        try {
            millis = timeout.duration().toMillis();
        } catch (ArithmeticException huge) {
            return Long.MAX_VALUE;
        }
        return millis <= 0 ? Long.MAX_VALUE : LocalLevel.saturatedAdd(shared.clock.millis(), millis);
    }

    // ---- the fresh-data pipeline: through the local level (see TwoLevelFresh) ----

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        return fresh.getOrSet(key, type, loader, freshness, null);
    }

    /** The pipeline serves the previous entries (as far as the shared cache is a {@link StaleFallback}). */
    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return fresh.getOrSet(key, type, loader, freshness, previousKeys);
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        return fresh.getOrSetMany(keys, type, loader, freshness, null);
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return fresh.getOrSetMany(keys, type, loader, freshness, previousKeys);
    }

    @Override
    public void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness) {
        fresh.registerLoader(keyPrefix, loader, freshness);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key) {
        return fresh.refresh(key, false);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        return fresh.refresh(key, loader, freshness, false);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        return fresh.prefetch(keys, false);
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        return fresh.prefetch(keys, loader, freshness, false);
    }

    // ---- views and lifecycle ----

    @Override
    public Cache withVersion(int v) {
        return v == version ? this : new TwoLevelCache(delegate().withVersion(v), shared);
    }

    @Override
    public AsyncCache async() {
        AsyncCache a = async;
        if (a == null) {
            a = new TwoLevelAsync(this, delegate().async());
            async = a;
        }
        return a;
    }

    /** How many local copies are held (every version), for tests and tools. */
    public long localSize() {
        return shared.levels.size();
    }

    /** How often the local level was cleared because messages may have been lost (gap, new instance, reconnect, silence). */
    public long resets() {
        return shared.levels.resets();
    }

    /** The epoch this instance publishes under. */
    public String epoch() {
        return shared.link.epoch();
    }

    // ---- for tests in this package ----

    LocalLevel local() {
        return local;
    }

    BackplaneLink link() {
        return shared.link;
    }

    TwoLevelFresh fresh() {
        return fresh;
    }

    @Override
    public void close() {
        if (shared.closed.compareAndSet(false, true)) {
            try {
                shared.link.close();
            } finally {
                delegate().close();
            }
        }
    }

    @Override
    public String toString() {
        return "TwoLevelCache[" + delegate() + ", backplane " + shared.link.describe() + "]";
    }
}
