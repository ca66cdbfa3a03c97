package dev.cachet.jcache.internal;

import javax.cache.Cache;

/** A key and its value as iteration hands them out. */
final class SimpleEntry<K, V> implements Cache.Entry<K, V> {
    private final K key;
    private final V value;

    SimpleEntry(K key, V value) {
        this.key = key;
        this.value = value;
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
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        throw new IllegalArgumentException("a cache entry cannot be unwrapped to " + clazz.getName());
    }
}
