package dev.cachet.jcache.internal;

import dev.cachet.spi.Store;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;

/**
 * The user's objects a cache's configuration names (expiry policy, loader, writer), created
 * once from their factories, and the JSR-107 rules for calling them: deadlines from
 * {@link Duration}s, a failing expiry policy read as "eternal" at creation and "unchanged"
 * otherwise, loader and writer failures wrapped as {@link CacheLoaderException} and
 * {@link CacheWriterException}.
 */
final class Policies<K, V> {
    private final ExpiryPolicy expiry;
    private final CacheLoader<K, V> loader;
    private final CacheWriter<K, V> writer;
    private final boolean readThrough;

    @SuppressWarnings("unchecked") // a writer of supertypes takes K and V: JSR-107 types the factory loosely
    Policies(CompleteConfiguration<K, V> config) {
        this.expiry = config.getExpiryPolicyFactory().create();
        this.loader = config.getCacheLoaderFactory() == null ? null : config.getCacheLoaderFactory().create();
        this.writer = config.isWriteThrough() && config.getCacheWriterFactory() != null
                ? (CacheWriter<K, V>) config.getCacheWriterFactory().create() : null;
        this.readThrough = config.isReadThrough() && loader != null;
    }

    /** The deadline of an entry created now. */
    long creation(long now) {
        Duration d;
        try {
            d = expiry.getExpiryForCreation();
        } catch (RuntimeException e) {
            d = Duration.ETERNAL;
        }
        return deadline(d == null ? Duration.ETERNAL : d, now);
    }

    /** The deadline of an entry updated now; {@code current} when the policy leaves it unchanged. */
    long update(long now, long current) {
        Duration d;
        try {
            d = expiry.getExpiryForUpdate();
        } catch (RuntimeException e) {
            d = null;
        }
        return d == null ? current : deadline(d, now);
    }

    /** The deadline of an entry read now; {@code current} when the policy leaves it unchanged. */
    long access(long now, long current) {
        Duration d;
        try {
            d = expiry.getExpiryForAccess();
        } catch (RuntimeException e) {
            d = null;
        }
        return d == null ? current : deadline(d, now);
    }

    private static long deadline(Duration d, long now) {
        if (d.isEternal()) {
            return Store.NEVER;
        }
        if (d.isZero()) {
            return now;
        }
        long millis = d.getTimeUnit().toMillis(d.getDurationAmount());
        return millis >= Store.NEVER - now ? Store.NEVER : now + Math.max(1, millis);
    }

    /** True when reads of absent keys load them. */
    boolean readThrough() {
        return readThrough;
    }

    /** True when a loader is configured (loadAll uses it even without read-through). */
    boolean hasLoader() {
        return loader != null;
    }

    V load(K key) {
        try {
            return loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("the cache loader failed for key " + key + ": " + e, e);
        }
    }

    Map<K, V> loadAll(Iterable<? extends K> keys) {
        try {
            Map<K, V> loaded = loader.loadAll(keys);
            return loaded == null ? new HashMap<>() : loaded;
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException("the cache loader failed: " + e, e);
        }
    }

    void write(K key, V value) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(new SimpleEntry<>(key, value));
        } catch (RuntimeException e) {
            throw writerFailure(e, " to write key " + key);
        }
    }

    /**
     * Writes {@code entries} through; on failure those the writer did not write stay in
     * {@code entries} (JSR-107's contract for {@code writeAll}).
     *
     * @return the failure, or null
     */
    CacheWriterException writeAll(Collection<Cache.Entry<? extends K, ? extends V>> entries) {
        if (writer == null || entries.isEmpty()) {
            entries.clear();
            return null;
        }
        try {
            writer.writeAll(entries);
            entries.clear();
            return null;
        } catch (RuntimeException e) {
            return writerFailure(e, " to write " + entries.size() + " entries");
        }
    }

    void delete(K key) {
        if (writer == null) {
            return;
        }
        try {
            writer.delete(key);
        } catch (RuntimeException e) {
            throw writerFailure(e, " to delete key " + key);
        }
    }

    /** As {@link #writeAll}, for deletes: keys not deleted stay in {@code keys}. */
    CacheWriterException deleteAll(Collection<K> keys) {
        if (writer == null || keys.isEmpty()) {
            keys.clear();
            return null;
        }
        try {
            writer.deleteAll(keys);
            keys.clear();
            return null;
        } catch (RuntimeException e) {
            return writerFailure(e, " to delete " + keys.size() + " keys");
        }
    }

    /** {@code e} as JSR-107 hands a writer's failure on: a {@link CacheWriterException}. */
    private static CacheWriterException writerFailure(RuntimeException e, String what) {
        return e instanceof CacheWriterException cwe ? cwe : new CacheWriterException("the cache writer failed" + what + ": " + e, e);
    }

    void close() {
        Closing.quietly(expiry);
        Closing.quietly(loader);
        Closing.quietly(writer);
    }
}
