package dev.cachet.jcache.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;

/**
 * A {@link JCache}'s operations on many keys: each key is handled under its own lock (JSR-107
 * makes no promise of atomicity across keys), the loader and writer are called once for the
 * batch, and listeners hear of every change after the locks are released.
 */
final class BulkOperations<K, V> {
    private final JCache<K, V> cache;

    BulkOperations(JCache<K, V> cache) {
        this.cache = cache;
    }

    static <T> Set<T> checked(Set<T> keys) {
        Objects.requireNonNull(keys, "keys must not be null");
        for (T k : keys) {
            Objects.requireNonNull(k, "keys must not contain null");
        }
        return keys;
    }

    Map<K, V> getAll(Set<? extends K> keys) {
        checked(keys);
        long start = System.nanoTime();
        Map<K, V> out = new LinkedHashMap<>();
        List<K> missing = new ArrayList<>();
        List<Event<K, V>> events = new ArrayList<>();
        for (K k : keys) {
            cache.entries.locked(k, () -> {
                Stored s = cache.live(k, events);
                cache.stats.lookup(s != null);
                if (s == null) {
                    missing.add(k);
                } else {
                    cache.accessed(k, s);
                    out.put(k, cache.value(s));
                }
                return null;
            });
        }
        if (!missing.isEmpty() && cache.policies.readThrough()) {
            Map<K, V> loaded = cache.policies.loadAll(missing);
            for (K k : missing) {
                V v = loaded.get(k);
                if (v != null) {
                    storeLoaded(k, v, false, events);
                    out.put(k, v);
                }
            }
        }
        cache.stats.getTime(start);
        cache.listeners.fire(events);
        return out;
    }

    /** Stores a loaded value under the key's lock (replacing a present one only when asked). */
    private void storeLoaded(K k, V v, boolean replace, List<Event<K, V>> events) {
        cache.entries.locked(k, () -> {
            Stored old = cache.live(k, events);
            if (old == null || replace) {
                cache.storeLoaded(k, v, old, events);
            }
            return null;
        });
    }

    void loadAll(Set<? extends K> keys, boolean replace, CompletionListener listener, Executor executor) {
        checked(keys);
        if (!cache.policies.hasLoader()) {
            if (listener != null) {
                listener.onCompletion();
            }
            return;
        }
        executor.execute(() -> {
            try {
                List<K> toLoad = new ArrayList<>();
                for (K k : keys) {
                    if (replace || !cache.containsKey(k)) {
                        toLoad.add(k);
                    }
                }
                List<Event<K, V>> events = new ArrayList<>();
                if (!toLoad.isEmpty()) {
                    Map<K, V> loaded = cache.policies.loadAll(toLoad);
                    for (K k : toLoad) {
                        V v = loaded.get(k);
                        if (v != null) {
                            storeLoaded(k, v, replace, events);
                        }
                    }
                }
                cache.listeners.fire(events);
                if (listener != null) {
                    listener.onCompletion();
                }
            } catch (RuntimeException e) {
                if (listener != null) {
                    listener.onException(e instanceof CacheLoaderException ? e : new CacheLoaderException(e));
                }
            }
        });
    }

    void putAll(Map<? extends K, ? extends V> map) {
        Objects.requireNonNull(map, "map must not be null");
        Collection<Cache.Entry<? extends K, ? extends V>> pending = new ArrayList<>();
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            Objects.requireNonNull(e.getKey(), "map must not contain a null key");
            Objects.requireNonNull(e.getValue(), "map must not contain a null value (key " + e.getKey() + ")");
            pending.add(new SimpleEntry<>(e.getKey(), e.getValue()));
        }
        long start = System.nanoTime();
        CacheWriterException failure = cache.policies.writeAll(pending);
        Set<Object> unwritten = new HashSet<>();
        for (Cache.Entry<? extends K, ? extends V> e : pending) {
            unwritten.add(e.getKey());
        }
        List<Event<K, V>> events = new ArrayList<>();
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            if (unwritten.contains(e.getKey())) {
                continue;
            }
            cache.entries.locked(e.getKey(), () -> {
                cache.storeWritten(e.getKey(), e.getValue(), cache.live(e.getKey(), events), events);
                return null;
            });
        }
        cache.stats.putTime(start);
        cache.listeners.fire(events);
        if (failure != null) {
            throw failure;
        }
    }

    void removeAll(Set<? extends K> keys) {
        checked(keys);
        long start = System.nanoTime();
        Collection<K> pending = new ArrayList<>(keys);
        CacheWriterException failure = cache.policies.deleteAll(pending);
        Set<Object> undeleted = new HashSet<>(pending);
        List<Event<K, V>> events = new ArrayList<>();
        for (K k : keys) {
            if (undeleted.contains(k)) {
                continue;
            }
            cache.entries.locked(k, () -> {
                Stored s = cache.live(k, events);
                if (s != null) {
                    cache.removeStored(k, s, events);
                }
                return null;
            });
        }
        cache.stats.removeTime(start);
        cache.listeners.fire(events);
        if (failure != null) {
            throw failure;
        }
    }

    @SuppressWarnings("unchecked")
    void removeAll() {
        Set<K> keys = new HashSet<>();
        for (Object k : cache.entries.keys()) {
            keys.add((K) k);
        }
        removeAll(keys);
    }

    /** Iterates the keys present when it starts; each entry read counts as an access. */
    Iterator<Cache.Entry<K, V>> iterator() {
        @SuppressWarnings("unchecked")
        Iterator<K> keys = (Iterator<K>) cache.entries.keys().iterator();
        return new Iterator<>() {
            private Cache.Entry<K, V> next;
            private K last;

            @Override
            public boolean hasNext() {
                while (next == null && keys.hasNext()) {
                    K k = keys.next();
                    next = cache.underLock(k, events -> {
                        Stored s = cache.live(k, events);
                        if (s == null) {
                            return null;
                        }
                        cache.stats.hits(1);
                        cache.accessed(k, s);
                        return new SimpleEntry<>(k, cache.value(s));
                    });
                }
                return next != null;
            }

            @Override
            public Cache.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Cache.Entry<K, V> e = next;
                next = null;
                last = e.getKey();
                return e;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() has not been called, or remove() was called already");
                }
                cache.remove(last);
                last = null;
            }
        };
    }
}
