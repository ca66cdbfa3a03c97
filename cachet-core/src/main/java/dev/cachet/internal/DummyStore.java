package dev.cachet.internal;

import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Django's DummyCache: accepts every write and stores nothing. Keys and values are still
 * checked (the key policy and the codec run as on any backend), so code developed against it
 * fails the same way it would in production. {@code set}, {@code add} and {@code setMany}
 * report success; reads miss; {@code touch}, {@code delete} and {@code deleteIfEquals} report
 * nothing done; {@code incr} finds no key.
 */
final class DummyStore implements Store {
    private static final StoreCapabilities CAPABILITIES = new StoreCapabilities(Integer.MAX_VALUE, false, true, true, false);

    @Override
    public StoreCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public byte[] get(String key) {
        return null;
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        return Map.of();
    }

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        return mode != PutMode.REPLACE;
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        return Set.of();
    }

    @Override
    public boolean delete(String key) {
        return false;
    }

    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        return false;
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        return 0;
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        return false;
    }

    @Override
    public Long incr(String key, long delta) {
        return null;
    }

    @Override
    public void clear(KeyScope scope) {
    }

    @Override
    public void close() {
    }

    /** Holds nothing: no entries, no bytes. */
    @Override
    public dev.cachet.spi.StoreStats stats(KeyScope scope) {
        return new dev.cachet.spi.StoreStats(0, 0, java.util.List.of());
    }

    @Override
    public long expiresAt(String key) {
        return NO_ENTRY;
    }

    @Override
    public java.util.Optional<java.util.List<String>> keys(KeyScope scope, int limit) {
        return java.util.Optional.of(java.util.List.of());
    }
}
