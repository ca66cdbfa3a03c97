package dev.cachet.internal;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.Freshness;
import dev.cachet.ForwardingCache;
import dev.cachet.InvalidKeyException;
import dev.cachet.Lookup;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link Namespace} over a parent cache, through the parent's public API only: the user's
 * key {@code k} is stored in the parent under
 * {@code "\0ns\0" + name.length() + ":" + name + "\0" + generation + "\0" + k} (the name's
 * length makes the shape unambiguous whatever the name holds; the control characters make the
 * parent's key policy hash it, so any name and key fit and the stored key keeps the parent's
 * prefix, hence {@code clear}'s scope). The generation is a {@link Generation}, shared by the
 * version views of this namespace. Reads are counted in the parent's {@link HotTracker}.
 *
 * <p>A nested namespace's parent is this namespace with reads not counted (so a read counts
 * once, under the nested path {@code outer/inner}); its generation counter lives inside this
 * namespace, so invalidating this one invalidates every namespace nested in it.
 *
 * <p>{@code getOrSet} and {@code getOrSetMany} with freshness pass the parent, when it is a
 * {@link StaleFallback}, where the previous entries of an {@linkplain #expire() expired}
 * namespace are ({@link PreviousGenerations}); a namespace called that way by a nested one
 * passes the nested one's on. A little over 500 lines because it implements every
 * {@link dev.cachet.Cache} operation, each a short mapping of keys onto the parent's. Thread-safe.
 */
final class NamespacedCache extends ForwardingCache implements Namespace, StaleFallback {
    private final Generation generation;
    private final String name;
    private final String path;
    private final String head;
    private final HotTracker tracker;
    private final boolean counted;
    private volatile NamespacedCache uncounted;
    private volatile AsyncCache async;

    NamespacedCache(Cache parent, Generation generation, String name, String path, HotTracker tracker, boolean counted) {
        super(parent);
        this.generation = generation;
        this.name = name;
        this.path = path;
        this.head = "\0ns\0" + name.length() + ":" + name + "\0";
        this.tracker = tracker;
        this.counted = counted;
    }

    // ---- namespace ----

    @Override
    public String namespaceName() {
        return name;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Duration generationHold() {
        return Duration.ofNanos(generation.holdNanos());
    }

    /** How many of its hottest keys an invalidated namespace recomputes, when they have registered loaders. */
    static final int HOT_RECOMPUTE = 16;

    @Override
    public void invalidate() {
        generation.invalidate();
        invalidated();
        recomputeHottest();
    }

    /**
     * Starts background loads of the namespace's hottest keys that have a registered loader, so
     * the next reader of each finds it computed (the memcached case study's prefetch for
     * frequent users).
     */
    private void recomputeHottest() {
        LoaderRegistry registry = tracker.loaders(path);
        if (registry.isEmpty()) {
            return;
        }
        List<String> hot = new ArrayList<>();
        for (String k : tracker.hottestKeys(path, HOT_RECOMPUTE)) {
            if (registry.find(k) != null) {
                hot.add(k);
            }
        }
        if (!hot.isEmpty()) {
            prefetch(hot);
        }
    }

    /**
     * {@link Generation#expire()}, then the same background loads of the hottest keys as
     * {@link #invalidate()}; readers meanwhile get the previous values. The invalidation
     * listeners are not called: nothing was made unreachable.
     */
    @Override
    public void expire() {
        generation.expire();
        recomputeHottest();
    }

    /** Tells the tracker's listeners that this namespace was invalidated. */
    void invalidated() {
        tracker.invalidated(this, path);
    }

    @Override
    public List<String> hotKeys(int n) {
        return tracker.hottestKeys(path, n);
    }

    @Override
    public List<String> hotNamespaces(int n) {
        return tracker.hottestNamespacesUnder(path, n);
    }

    @Override
    public Namespace namespace(String child, Duration generationHold) {
        Namespaces.check(child, generationHold);
        NamespacedCache quiet = uncounted();
        return new NamespacedCache(quiet, new Generation(quiet, child, Namespaces.nanos(generationHold)), child,
                path + "/" + child, tracker, true);
    }

    private NamespacedCache uncounted() {
        if (!counted) {
            return this;
        }
        NamespacedCache u = uncounted;
        if (u == null) {
            u = new NamespacedCache(delegate(), generation, name, path, tracker, false);
            uncounted = u;
        }
        return u;
    }

    // ---- keys ----

    String dataKey(long gen, String key) {
        return head + gen + "\0" + requireKey(key);
    }

    /** The parent's key for {@code key} at the current generation (a null key fails before any read). */
    private String dataKey(String key) {
        return dataKey(generation.current(), requireKey(key));
    }

    String requireKey(String key) {
        if (key == null) {
            throw new InvalidKeyException("cache '" + name() + "', namespace '" + KeyPolicy.abbreviate(path)
                    + "': key must not be null");
        }
        return key;
    }

    void read(String key) {
        if (counted) {
            tracker.recordRead(path, key);
        }
    }

    Map<String, String> dataKeys(long gen, Collection<String> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        Map<String, String> byDataKey = new LinkedHashMap<>(keys.size() * 2);
        for (String k : keys) {
            byDataKey.put(dataKey(gen, k), k);
        }
        return byDataKey;
    }

    /** {@code found}'s entries under the user's keys, counting a read of every key asked for. */
    <T> Map<String, T> userKeys(Map<String, T> found, Map<String, String> byDataKey) {
        for (String user : byDataKey.values()) {
            read(user);
        }
        Map<String, T> out = new LinkedHashMap<>(found.size() * 2);
        for (Map.Entry<String, T> e : found.entrySet()) {
            String user = byDataKey.get(e.getKey());
            if (user != null) {
                out.put(user, e.getValue());
            }
        }
        return out;
    }

    static Set<String> userKeys(Set<String> dataKeys, Map<String, String> byDataKey) {
        if (dataKeys.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String k : dataKeys) {
            String user = byDataKey.get(k);
            if (user != null) {
                out.add(user);
            }
        }
        return out;
    }

    /** {@code dataKey(gen, k)}'s {@code k}: the user's key of a key this namespace gave its parent. */
    private String userKey(String dataKey) {
        return dataKey.substring(dataKey.indexOf('\0', head.length()) + 1);
    }

    Generation generation() {
        return generation;
    }

    /** The cache this namespace stores in (this view's version of it). */
    Cache parent() {
        return delegate();
    }

    HotTracker tracker() {
        return tracker;
    }

    // ---- Cache ----

    @Override
    public Cache withVersion(int version) {
        if (version == version()) {
            return this;
        }
        return new NamespacedCache(delegate().withVersion(version), generation, name, path, tracker, counted);
    }

    @Override
    public Object get(String key) {
        Object v = delegate().get(dataKey(key));
        read(key);
        return v;
    }

    @Override
    public <T> T get(String key, Class<T> type) {
        T v = delegate().get(dataKey(key), type);
        read(key);
        return v;
    }

    @Override
    public <T> T get(String key, Class<T> type, T defaultValue) {
        T v = delegate().get(dataKey(key), type, defaultValue);
        read(key);
        return v;
    }

    @Override
    public Lookup<Object> lookup(String key) {
        Lookup<Object> l = delegate().lookup(dataKey(key));
        read(key);
        return l;
    }

    @Override
    public <T> Lookup<T> lookup(String key, Class<T> type) {
        Lookup<T> l = delegate().lookup(dataKey(key), type);
        read(key);
        return l;
    }

    @Override
    public boolean set(String key, Object value, Timeout timeout) {
        return delegate().set(dataKey(key), value, timeout);
    }

    @Override
    public boolean add(String key, Object value, Timeout timeout) {
        return delegate().add(dataKey(key), value, timeout);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Timeout timeout) {
        T v = delegate().getOrSet(dataKey(key), type, loader, timeout);
        read(key);
        return v;
    }

    @Override
    public boolean touch(String key, Timeout timeout) {
        return delegate().touch(dataKey(key), timeout);
    }

    @Override
    public boolean delete(String key) {
        return delegate().delete(dataKey(key));
    }

    @Override
    public Map<String, Object> getMany(Collection<String> keys) {
        Map<String, String> byDataKey = dataKeys(generation.current(), keys);
        return userKeys(delegate().getMany(byDataKey.keySet()), byDataKey);
    }

    @Override
    public <T> Map<String, T> getMany(Collection<String> keys, Class<T> type) {
        Map<String, String> byDataKey = dataKeys(generation.current(), keys);
        return userKeys(delegate().getMany(byDataKey.keySet(), type), byDataKey);
    }

    @Override
    public Set<String> setMany(Map<String, ?> values, Timeout timeout) {
        Objects.requireNonNull(values, "values must not be null");
        long gen = generation.current();
        Map<String, Object> byDataKey = new LinkedHashMap<>(values.size() * 2);
        Map<String, String> users = new LinkedHashMap<>(values.size() * 2);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String k = dataKey(gen, e.getKey());
            byDataKey.put(k, e.getValue());
            users.put(k, e.getKey());
        }
        return userKeys(delegate().setMany(byDataKey, timeout), users);
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        return delegate().deleteMany(dataKeys(generation.current(), keys).keySet());
    }

    @Override
    public boolean hasKey(String key) {
        return delegate().hasKey(dataKey(key));
    }

    @Override
    public long incr(String key, long delta) {
        return delegate().incr(dataKey(key), delta);
    }

    @Override
    public int incrVersion(String key, int delta) {
        return delegate().incrVersion(dataKey(key), delta);
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness) {
        long gen = generation.current();
        T v = getOrSet(gen, key, type, loader, freshness, PreviousGenerations.keysOf(this, gen));
        read(key);
        return v;
    }

    @Override
    public <T> T getOrSet(String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return getOrSet(generation.current(), key, type, loader, freshness, previousKeys);
    }

    private <T> T getOrSet(long gen, String key, Class<T> type, Supplier<? extends T> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        String dk = dataKey(gen, key);
        return delegate() instanceof StaleFallback f
                ? f.getOrSet(dk, type, loader, freshness, d -> previousKeys.apply(userKey(d)))
                : delegate().getOrSet(dk, type, loader, freshness);
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness) {
        long gen = generation.current();
        return getOrSetMany(gen, keys, type, loader, freshness, PreviousGenerations.keysOf(this, gen));
    }

    @Override
    public <T> Map<String, T> getOrSetMany(Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        return getOrSetMany(generation.current(), keys, type, loader, freshness, previousKeys);
    }

    private <T> Map<String, T> getOrSetMany(long gen, Collection<String> keys, Class<T> type,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader, Freshness freshness,
            Function<String, List<String>> previousKeys) {
        Map<String, String> byDataKey = dataKeys(gen, keys);
        Function<Set<String>, Map<String, T>> byData = dataKeyLoader(byDataKey, loader);
        return userKeys(delegate() instanceof StaleFallback f
                ? f.getOrSetMany(byDataKey.keySet(), type, byData, freshness, d -> previousKeys.apply(byDataKey.get(d)))
                : delegate().getOrSetMany(byDataKey.keySet(), type, byData, freshness), byDataKey);
    }

    /** {@code loader} (of user keys) as a loader of the parent's keys. */
    static <T> Function<Set<String>, Map<String, T>> dataKeyLoader(Map<String, String> byDataKey,
            Function<? super Set<String>, ? extends Map<String, ? extends T>> loader) {
        Objects.requireNonNull(loader, "loader must not be null");
        return dataKeys -> {
            Set<String> users = new LinkedHashSet<>();
            for (String dk : dataKeys) {
                users.add(byDataKey.get(dk));
            }
            Map<String, ? extends T> loaded = loader.apply(Collections.unmodifiableSet(users));
            if (loaded == null) {
                return null;
            }
            Map<String, T> out = new LinkedHashMap<>();
            for (String dk : dataKeys) {
                String user = byDataKey.get(dk);
                if (loaded.containsKey(user)) {
                    out.put(dk, loaded.get(user));
                }
            }
            return out;
        };
    }

    /** Tags are the parent cache's: {@code invalidateTag} (inherited) reaches every namespace. */
    @Override
    public boolean set(String key, Object value, Timeout timeout, Collection<String> tags) {
        return delegate().set(dataKey(key), value, timeout, tags);
    }

    /** Registers a loader for this namespace's keys (shared by every view of the namespace in this process). */
    @Override
    public void registerLoader(String keyPrefix, Function<String, ?> loader, Freshness freshness) {
        tracker.loaders(path).register(keyPrefix, loader, freshness);
    }

    @Override
    public CompletionStage<Boolean> refresh(String key) {
        LoaderRegistry.Registered r;
        try {
            r = registered(key);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return refresh(key, r.loader(), r.freshness());
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, Function<String, ?> loader, Freshness freshness) {
        try {
            Objects.requireNonNull(loader, "loader must not be null");
            return delegate().refresh(dataKey(key), dk -> loader.apply(key), freshness);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys) {
        try {
            Objects.requireNonNull(keys, "keys must not be null");
            List<CompletableFuture<Integer>> each = new ArrayList<>();
            for (String k : keys) {
                LoaderRegistry.Registered r = registered(k);
                each.add(prefetch(List.of(k), r.loader(), r.freshness()).toCompletableFuture());
            }
            return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
                    .thenApply(v -> each.stream().mapToInt(CompletableFuture::join).sum());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Integer> prefetch(Collection<String> keys, Function<String, ?> loader, Freshness freshness) {
        try {
            Objects.requireNonNull(loader, "loader must not be null");
            Map<String, String> byDataKey = dataKeys(generation.current(), keys);
            return delegate().prefetch(byDataKey.keySet(), dk -> loader.apply(byDataKey.get(dk)), freshness);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The loader registered on this namespace for {@code key}, or an exception naming the key. */
    LoaderRegistry.Registered registered(String key) {
        LoaderRegistry.Registered r = tracker.loaders(path).find(requireKey(key));
        if (r == null) {
            throw new IllegalStateException("cache '" + name() + "', namespace '" + KeyPolicy.abbreviate(path)
                    + "': no loader is registered for key '" + KeyPolicy.abbreviate(key)
                    + "' (registerLoader with a prefix of it on the namespace first)");
        }
        return r;
    }

    /** {@link #invalidate()}: the namespace's entries stop being readable and age out by their timeouts. */
    @Override
    public void clear() {
        invalidate();
    }

    @Override
    public AsyncCache async() {
        AsyncCache a = async;
        if (a == null) {
            a = new NamespacedAsync(this, delegate().async());
            async = a;
        }
        return a;
    }

    /** Nothing: a namespace is a view; its parent's {@code close} releases what it uses. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "Namespace[" + KeyPolicy.abbreviate(path) + " of " + delegate() + "]";
    }
}
