package dev.cachet.internal.twolevel;

import dev.cachet.spi.KeyScope;
import dev.cachet.spi.Leases;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import dev.cachet.spi.StoreStats;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real store (what {@link dev.cachet.spi.Stores#open} gives) that records the keys every read
 * asks for ({@code get}, {@code getMany}, {@code has}, {@code touchAndLength}), so a test can
 * tell what reached the shared level. Everything is passed on unchanged.
 */
final class CountingStore implements Store {
    private final Store store;
    /** The stored keys read, one element per key asked for. */
    final List<String> reads = new CopyOnWriteArrayList<>();

    CountingStore(Store store) {
        this.store = store;
    }

    /** The reads recorded so far whose stored key ends with {@code ":" + key} (a data key, not a tag's or a lease's hashed key). */
    long readsOf(String key) {
        return reads.stream().filter(k -> k.endsWith(":" + key)).count();
    }

    @Override
    public StoreCapabilities capabilities() {
        return store.capabilities();
    }

    @Override
    public Optional<Leases> leases() {
        return store.leases();
    }

    @Override
    public byte[] get(String key) {
        reads.add(key);
        return store.get(key);
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        reads.addAll(keys);
        return store.getMany(keys);
    }

    @Override
    public boolean has(String key) {
        reads.add(key);
        return store.has(key);
    }

    @Override
    public long touchAndLength(String key, long expiresAt) {
        reads.add(key);
        return store.touchAndLength(key, expiresAt);
    }

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        return store.put(key, value, expiresAt, mode);
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        return store.putMany(entries, expiresAt);
    }

    @Override
    public boolean delete(String key) {
        return store.delete(key);
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        return store.deleteMany(keys);
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        return store.touch(key, expiresAt);
    }

    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        return store.deleteIfEquals(key, expected);
    }

    @Override
    public Long incr(String key, long delta) {
        return store.incr(key, delta);
    }

    @Override
    public void clear(KeyScope scope) {
        store.clear(scope);
    }

    @Override
    public StoreStats stats(KeyScope scope) {
        return store.stats(scope);
    }

    @Override
    public long expiresAt(String key) {
        return store.expiresAt(key);
    }

    @Override
    public Optional<List<String>> keys(KeyScope scope, int limit) {
        return store.keys(scope, limit);
    }

    @Override
    public void close() {
        store.close();
    }
}
