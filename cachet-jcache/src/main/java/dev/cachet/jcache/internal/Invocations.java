package dev.cachet.jcache.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A {@link JCache}'s entry processors: each runs under its key's lock on a
 * {@link ProcessorEntry}, and what it did is applied when it returns (write-through, expiry,
 * statistics, events); a failure of the processor, the loader or the writer reaches the caller as
 * an {@link EntryProcessorException} and changes nothing.
 */
final class Invocations<K, V> {
    private final JCache<K, V> cache;

    Invocations(JCache<K, V> cache) {
        this.cache = cache;
    }

    <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(processor, "entry processor must not be null");
        return cache.underLock(key, events -> invokeLocked(key, processor, events, arguments));
    }

    @SuppressWarnings("unchecked")
    private <T> T invokeLocked(K key, EntryProcessor<K, V, T> processor, List<Event<K, V>> events, Object... arguments) {
        Stored s = cache.live(key, events);
        cache.stats.lookup(s != null);
        Function<K, V> loader = cache.policies.readThrough() ? cache.policies::load : null;
        ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, s == null ? null : (V) s.value(), loader);
        try {
            T result = processor.process(entry, arguments);
            switch (entry.operation()) {
                case NONE -> { }
                case ACCESS -> cache.accessed(key, s);
                case LOAD -> cache.storeLoaded(key, entry.getValue(), null, events);
                case CREATE, UPDATE -> {
                    cache.policies.write(key, entry.getValue());
                    cache.storeWritten(key, entry.getValue(), s, events);
                }
                case REMOVE -> {
                    cache.policies.delete(key);
                    if (s != null) {
                        cache.removeStored(key, s, events);
                    }
                }
                default -> throw new IllegalStateException("unknown operation " + entry.operation());
            }
            return result;
        } catch (EntryProcessorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EntryProcessorException(e);
        }
    }

    <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor, Object... arguments) {
        BulkOperations.checked(keys);
        Objects.requireNonNull(processor, "entry processor must not be null");
        Map<K, EntryProcessorResult<T>> out = new HashMap<>();
        for (K k : keys) {
            try {
                T r = invoke(k, processor, arguments);
                if (r != null) {
                    out.put(k, () -> r);
                }
            } catch (RuntimeException e) {
                EntryProcessorException epe = e instanceof EntryProcessorException x ? x : new EntryProcessorException(e);
                out.put(k, () -> {
                    throw epe;
                });
            }
        }
        return out;
    }
}
