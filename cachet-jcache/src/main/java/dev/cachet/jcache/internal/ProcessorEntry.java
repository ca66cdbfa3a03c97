package dev.cachet.jcache.internal;

import java.util.function.Function;
import javax.cache.processor.MutableEntry;

/**
 * The entry an {@link javax.cache.processor.EntryProcessor} works on: it records what the
 * processor did ({@link #operation()}), which the cache applies once the processor returns, under
 * the key's lock.
 */
final class ProcessorEntry<K, V> implements MutableEntry<K, V> {
    /** What the processor's calls amount to. */
    enum Operation { NONE, ACCESS, LOAD, CREATE, UPDATE, REMOVE }

    private final K key;
    private final V original;
    private final Function<K, V> loader;
    private V value;
    private Operation operation = Operation.NONE;

    /**
     * @param original the value present when the processor started, or null
     * @param loader loads the value of an absent key (read-through), or null
     */
    ProcessorEntry(K key, V original, Function<K, V> loader) {
        this.key = key;
        this.original = original;
        this.value = original;
        this.loader = loader;
    }

    Operation operation() {
        return operation;
    }

    V original() {
        return original;
    }

    @Override
    public K getKey() {
        return key;
    }

    @Override
    public V getValue() {
        if (operation == Operation.NONE) {
            if (value == null && loader != null) {
                value = loader.apply(key);
                if (value != null) {
                    operation = Operation.LOAD;
                }
            } else if (value != null) {
                operation = Operation.ACCESS;
            }
        }
        return value;
    }

    @Override
    public boolean exists() {
        return value != null;
    }

    @Override
    public void remove() {
        value = null;
        operation = operation == Operation.CREATE || operation == Operation.LOAD ? Operation.NONE : Operation.REMOVE;
    }

    @Override
    public void setValue(V newValue) {
        if (newValue == null) {
            throw new NullPointerException("an entry processor may not set a null value (key " + key + ")");
        }
        value = newValue;
        operation = original != null ? Operation.UPDATE : Operation.CREATE;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return Unwrapping.as(this, clazz, "a mutable entry");
    }
}
