package dev.cachet.internal;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** PLACEHOLDER while the file backend is written; every call fails. */
final class FileStore implements Store {
    FileStore(Path dir, long maxEntries, int cullFrequency, Clock clock, long maxItemBytes) {
        throw new IllegalStateException("file backend is being written");
    }

    @Override public long maxItemBytes() { return 0; }
    @Override public byte[] get(String key) { return null; }
    @Override public Map<String, byte[]> getMany(Collection<String> keys) { return null; }
    @Override public boolean put(String key, byte[] value, long expiresAt, PutMode mode) { return false; }
    @Override public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) { return null; }
    @Override public boolean delete(String key) { return false; }
    @Override public int deleteMany(Collection<String> keys) { return 0; }
    @Override public boolean touch(String key, long expiresAt) { return false; }
    @Override public Long incr(String key, long delta) { return null; }
    @Override public void clear() { }
    @Override public void close() { }
}
