package dev.cachet.jcache.internal;

import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;

/** One change of an entry, as JCache listeners receive it. */
final class Event<K, V> extends CacheEntryEvent<K, V> {
    private static final long serialVersionUID = 1L;

    private final K key;
    private final V value;
    private final V oldValue;
    private final boolean oldValueAvailable;

    Event(Cache<K, V> source, EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
        super(source, type);
        this.key = key;
        this.value = value;
        this.oldValue = oldValue;
        this.oldValueAvailable = oldValueAvailable;
    }

    /**
     * This event as a listener that did not ask for old values sees it. A removal keeps its
     * value, which is the old value (JSR-107 lets an implementation give it anyway).
     */
    Event<K, V> withoutOldValue() {
        if (!oldValueAvailable || getEventType() == EventType.REMOVED || getEventType() == EventType.EXPIRED) {
            return this;
        }
        @SuppressWarnings("unchecked")
        Cache<K, V> source = (Cache<K, V>) getSource();
        return new Event<>(source, getEventType(), key, value, null, false);
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        return value;
    }

    @Override
    public V getOldValue() {
        return oldValue;
    }

    @Override
    public boolean isOldValueAvailable() {
        return oldValueAvailable;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.as(this, clazz, "a cache entry event");
    }
}
