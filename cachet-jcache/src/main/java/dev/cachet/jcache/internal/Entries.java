package dev.cachet.jcache.internal;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Timeout;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The storage of one JCache cache: {@link Stored} entries in a cachet {@link Cache} under keys
 * the {@link KeyCodec} makes, a striped lock per key (JCache's compound operations are atomic
 * per key within this process), and key listing through the cache's {@link Store}.
 */
final class Entries {
    private static final int STRIPES = 256;

    /** How long the backend keeps an entry past its JCache deadline, for EXPIRED events. */
    static final long EXPIRED_KEPT_MILLIS = 60_000;

    private final Cache cache;
    private final Store store;
    private final CacheConfig config;
    private final KeyCodec keys;
    private final Clock clock;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    Entries(Cache cache, Store store, CacheConfig config, KeyCodec keys) {
        this.cache = cache;
        this.store = store;
        this.config = config;
        this.keys = keys;
        this.clock = config.clock();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    Cache cache() {
        return cache;
    }

    long now() {
        return clock.millis();
    }

    /** Runs {@code body} holding the lock of {@code key}'s stripe (reentrant: a processor may call the cache). */
    <R> R locked(Object key, java.util.function.Supplier<R> body) {
        ReentrantLock lock = locks[(keys.encode(key).hashCode() & 0x7fffffff) % STRIPES];
        lock.lock();
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The entry of {@code key}, or null. It may be past its JCache deadline (the cachet entry
     * outlives it by {@link #EXPIRED_KEPT_MILLIS}, so that the cache can tell an expiry from a
     * miss and send EXPIRED events).
     */
    Stored find(Object key) {
        Object found = cache.get(keys.encode(key));
        if (!(found instanceof Stored s) || (s.key() != null && !s.key().equals(key))) {
            return null;
        }
        return s;
    }

    /** Stores {@code value} until {@code expiresAt}; a deadline already passed removes the entry. */
    void write(Object key, Object value, long expiresAt) {
        String k = keys.encode(key);
        long left = expiresAt == Store.NEVER ? Long.MAX_VALUE : expiresAt - now();
        if (left <= 0) {
            cache.delete(k);
            return;
        }
        Timeout timeout = expiresAt == Store.NEVER || left >= Long.MAX_VALUE - EXPIRED_KEPT_MILLIS ? Timeout.FOREVER
                : Timeout.of(java.time.Duration.ofMillis(left + EXPIRED_KEPT_MILLIS));
        cache.set(k, new Stored(value, expiresAt, KeyCodec.isDigest(k) ? key : null), timeout);
    }

    /** Removes {@code key}'s entry; true when a readable one was there. */
    boolean delete(Object key) {
        return cache.delete(keys.encode(key));
    }

    /** Removes every entry. */
    void clear() {
        cache.clear();
    }

    /**
     * The keys of the live entries, read from the store now (entries written meanwhile may or
     * may not appear).
     *
     * @throws UnsupportedOperationException when the backend cannot list its keys (memcached)
     */
    List<Object> keys() {
        Optional<List<String>> stored = store.keys(Stores.scope(config), Integer.MAX_VALUE);
        if (stored.isEmpty()) {
            throw new UnsupportedOperationException("the " + config.scheme()
                    + " backend cannot list its keys, so this JCache cache cannot be iterated or emptied by removeAll()");
        }
        List<Object> out = new ArrayList<>();
        for (String s : stored.get()) {
            Optional<String> encoded = Stores.userKey(config, s);
            if (encoded.isPresent() && KeyCodec.isDigest(encoded.get())) {
                if (cache.get(encoded.get()) instanceof Stored e && e.key() != null && !e.expiredAt(now())) {
                    out.add(e.key());
                }
            } else {
                encoded.map(keys::decode).ifPresent(out::add);
            }
        }
        return out;
    }

    void close() {
        cache.close();
    }
}
