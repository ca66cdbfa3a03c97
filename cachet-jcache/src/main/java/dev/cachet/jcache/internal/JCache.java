package dev.cachet.jcache.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.EventType;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;

/**
 * A JSR-107 cache over a cachet cache. Every operation on a key runs under that key's lock, so
 * compound operations ({@code putIfAbsent}, {@code replace}, {@code invoke}, ...) are atomic per
 * key within this process; listeners hear of the changes after the lock is released, in the
 * caller's thread. Values and keys are stored by value through the cachet cache's codec. The
 * operations on many keys are in {@link BulkOperations}, entry processors in {@link Invocations}.
 */
public final class JCache<K, V> implements javax.cache.Cache<K, V> {
    private final String name;
    private final CachetCacheManager manager;
    private final MutableConfiguration<K, V> config;
    final Entries entries;
    final Policies<K, V> policies;
    final Listeners<K, V> listeners = new Listeners<>();
    final Statistics stats;
    private final Management management;
    private final BulkOperations<K, V> bulk;
    private final Invocations<K, V> invocations;
    private volatile boolean closed;

    JCache(String name, CachetCacheManager manager, CompleteConfiguration<K, V> config, Entries entries) {
        this.name = name;
        this.manager = manager;
        this.config = new MutableConfiguration<>(config);
        this.entries = entries;
        this.policies = new Policies<>(this.config);
        this.stats = new Statistics(this.config.isStatisticsEnabled());
        this.management = new Management(manager.shownUri(), name, stats, new ConfigurationBean(this.config));
        for (CacheEntryListenerConfiguration<K, V> l : this.config.getCacheEntryListenerConfigurations()) {
            listeners.register(l);
        }
        this.bulk = new BulkOperations<>(this);
        this.invocations = new Invocations<>(this);
        if (this.config.isManagementEnabled()) {
            setManagementEnabled(true);
        }
        if (this.config.isStatisticsEnabled()) {
            setStatisticsEnabled(true);
        }
    }

    // ---- single keys ----

    /**
     * Runs {@code body} under {@code key}'s lock with a list for the events it causes, then
     * tells the listeners of them (after the lock is released) and returns its result.
     */
    <R> R underLock(K key, Function<List<Event<K, V>>, R> body) {
        return underLock(key, start -> { }, body);
    }

    /** {@link #underLock(Object, Function)}, giving {@code timer} the start time (nanoTime) at the end. */
    private <R> R underLock(K key, LongConsumer timer, Function<List<Event<K, V>>, R> body) {
        long start = System.nanoTime();
        try {
            List<Event<K, V>> events = new ArrayList<>();
            R result = entries.locked(key, () -> body.apply(events));
            listeners.fire(events);
            return result;
        } finally {
            timer.accept(start);
        }
    }

    @Override
    public V get(K key) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        return underLock(key, stats::getTime, events -> getLocked(key, events));
    }

    /** A read of {@code key} under its lock: counts a hit or miss, applies access expiry, reads through. */
    private V getLocked(K key, List<Event<K, V>> events) {
        Stored s = live(key, events);
        if (s != null) {
            stats.hits(1);
            accessed(key, s);
            return value(s);
        }
        stats.misses(1);
        if (!policies.readThrough()) {
            return null;
        }
        V loaded = policies.load(key);
        if (loaded != null) {
            storeLoaded(key, loaded, null, events);
        }
        return loaded;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        open();
        return bulk.getAll(keys);
    }

    @Override
    public boolean containsKey(K key) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        return underLock(key, events -> live(key, events) != null);
    }

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
        open();
        bulk.loadAll(keys, replaceExistingValues, listener, manager.executor());
    }

    @Override
    public void put(K key, V value) {
        getAndPut(key, value, false);
    }

    @Override
    public V getAndPut(K key, V value) {
        return getAndPut(key, value, true);
    }

    private V getAndPut(K key, V value, boolean counted) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        Stored old = underLock(key, stats::putTime, events -> {
            policies.write(key, value);
            Stored found = live(key, events);
            if (counted) {
                stats.lookup(found != null);
            }
            storeWritten(key, value, found, events);
            return found;
        });
        return old == null ? null : value(old);
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        open();
        bulk.putAll(map);
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        return underLock(key, stats::putTime, events -> {
            boolean absent = live(key, events) == null;
            stats.lookup(!absent);
            if (absent) {
                policies.write(key, value);
                storeWritten(key, value, null, events);
            }
            return absent;
        });
    }

    @Override
    public boolean remove(K key) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        return removeKey(key, false) != null;
    }

    @Override
    public V getAndRemove(K key) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        Stored old = removeKey(key, true);
        return old == null ? null : value(old);
    }

    /** Removes {@code key} (the writer hears of it whether or not it is present); the old entry, or null. */
    private Stored removeKey(K key, boolean counted) {
        return underLock(key, stats::removeTime, events -> {
            policies.delete(key);
            Stored old = live(key, events);
            if (counted) {
                stats.lookup(old != null);
            }
            if (old != null) {
                removeStored(key, old, events);
            }
            return old;
        });
    }

    @Override
    public boolean remove(K key, V oldValue) {
        open();
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(oldValue, "oldValue must not be null");
        return underLock(key, stats::removeTime, events -> {
            Stored s = live(key, events);
            stats.lookup(s != null);
            if (s == null) {
                return false;
            }
            if (!s.value().equals(oldValue)) {
                accessed(key, s);
                return false;
            }
            policies.delete(key);
            removeStored(key, s, events);
            return true;
        });
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        open();
        Objects.requireNonNull(oldValue, "oldValue must not be null");
        return replace(key, oldValue, newValue, false) != null;
    }

    @Override
    public boolean replace(K key, V value) {
        open();
        return replace(key, null, value, false) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        open();
        Stored old = replace(key, null, value, true);
        return old == null ? null : value(old);
    }

    /**
     * Replaces the value of a present key (equal to {@code expected} unless that is null); the
     * old entry, or null. A present key with another value counts as an access unless {@code always}.
     */
    private Stored replace(K key, V expected, V value, boolean always) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        return underLock(key, stats::putTime, events -> {
            Stored s = live(key, events);
            stats.lookup(s != null);
            if (s == null) {
                return null;
            }
            if (expected != null && !s.value().equals(expected)) {
                if (!always) {
                    accessed(key, s);
                }
                return null;
            }
            policies.write(key, value);
            storeWritten(key, value, s, events);
            return s;
        });
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        open();
        bulk.removeAll(keys);
    }

    @Override
    public void removeAll() {
        open();
        bulk.removeAll();
    }

    @Override
    public void clear() {
        open();
        entries.clear();
    }

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        open();
        return invocations.invoke(key, processor, arguments);
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
            Object... arguments) {
        open();
        return invocations.invokeAll(keys, processor, arguments);
    }

    @Override
    public Iterator<Entry<K, V>> iterator() {
        open();
        return bulk.iterator();
    }

    // ---- the steps operations share; the caller holds the key's lock ----

    /** The live entry of {@code key}, or null; one found past its deadline is removed, and heard of as EXPIRED. */
    Stored live(K key, List<Event<K, V>> events) {
        Stored s = entries.find(key);
        if (s != null && s.expiredAt(entries.now())) {
            entries.delete(key);
            V v = value(s);
            events.add(new Event<>(this, EventType.EXPIRED, key, v, v, true));
            return null;
        }
        return s;
    }

    /** Applies the access expiry to a read entry. */
    void accessed(K key, Stored s) {
        long now = entries.now();
        long deadline = policies.access(now, s.expiresAt());
        if (deadline != s.expiresAt()) {
            entries.write(key, s.value(), deadline);
        }
    }

    /** Stores a value given by the user over {@code old} (or none): creation or update expiry, a put, an event. */
    void storeWritten(K key, V value, Stored old, List<Event<K, V>> events) {
        if (store(key, value, old, events)) {
            stats.puts(1);
        }
    }

    /** Stores a value a loader gave (no write-through, no put counted). */
    void storeLoaded(K key, V value, Stored old, List<Event<K, V>> events) {
        store(key, value, old, events);
    }

    /** Stores {@code value}; false when its creation expiry made it expire at once (nothing stored, no event). */
    private boolean store(K key, V value, Stored old, List<Event<K, V>> events) {
        long now = entries.now();
        if (old == null) {
            long deadline = policies.creation(now);
            if (deadline <= now) {
                return false;
            }
            entries.write(key, value, deadline);
            events.add(new Event<>(this, EventType.CREATED, key, value, null, false));
        } else {
            entries.write(key, value, policies.update(now, old.expiresAt()));
            events.add(new Event<>(this, EventType.UPDATED, key, value, value(old), true));
        }
        return true;
    }

    void removeStored(K key, Stored old, List<Event<K, V>> events) {
        entries.delete(key);
        stats.removals(1);
        V v = value(old);
        events.add(new Event<>(this, EventType.REMOVED, key, v, v, true));
    }

    @SuppressWarnings("unchecked")
    V value(Stored s) {
        return (V) s.value();
    }

    // ---- configuration, listeners, lifecycle ----

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(config)) {
            return clazz.cast(new MutableConfiguration<>(config));
        }
        throw new IllegalArgumentException("the configuration of cache '" + name + "' is a " + MutableConfiguration.class.getName()
                + ", not a " + clazz.getName());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        open();
        Objects.requireNonNull(listenerConfiguration, "listener configuration must not be null");
        listeners.register(listenerConfiguration);
        config.addCacheEntryListenerConfiguration(listenerConfiguration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        open();
        Objects.requireNonNull(listenerConfiguration, "listener configuration must not be null");
        listeners.deregister(listenerConfiguration);
        config.removeCacheEntryListenerConfiguration(listenerConfiguration);
    }

    void setStatisticsEnabled(boolean on) {
        config.setStatisticsEnabled(on);
        stats.enable(on);
        management.statistics(on);
    }

    void setManagementEnabled(boolean on) {
        config.setManagementEnabled(on);
        management.configuration(on);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.released(name, this);
        shutDown();
    }

    /** Releases what the cache holds, without telling the manager (which is closing or destroying it). */
    void shutDown() {
        closed = true;
        management.statistics(false);
        management.configuration(false);
        policies.close();
        listeners.close();
        entries.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(entries.cache())) {
            return clazz.cast(entries.cache());
        }
        throw new IllegalArgumentException("cache '" + name + "' cannot be unwrapped to " + clazz.getName()
                + "; it unwraps to " + JCache.class.getName() + " and " + dev.cachet.Cache.class.getName());
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("cache '" + name + "' is closed");
        }
    }
}
