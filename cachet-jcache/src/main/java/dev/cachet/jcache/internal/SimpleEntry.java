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
        return Unwrapping.as(this, clazz, "a cache entry");
    }
}
