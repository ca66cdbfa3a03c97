package dev.cachet.spi;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store whose server was down when the cache opened: it opens anyway, and connects later by
 * itself. As Django's cache objects never connect when they are made, opening a cache does not
 * depend on its server being up, whatever the error policy: until the server answers, every
 * operation fails at once with a {@link StoreException} (the last connection failure is its
 * cause), which the core turns into a miss or a reported failure under {@code degrade}, or a
 * {@link dev.cachet.CacheException} under {@code raise}; nothing waits for a connection.
 *
 * <p>Connection attempts run in the background, on a small pool of daemon threads all deferred
 * stores share: the first {@value #FIRST_RETRY_MILLIS} ms after the failure at open, then with
 * the delay doubled after each failure up to {@value #MAX_RETRY_MILLIS} ms, until one succeeds
 * or the store is closed. Each attempt is the backend's whole open (its pool, its table, its
 * cluster topology), so what needs the server at open is done at the first successful attempt.
 * An attempt that fails for another reason than an unreachable server (a wrong password, a
 * missing table) is retried the same way, and its message becomes the operations' failure.
 * Once connected, every call goes to the opened store.
 *
 * <p>For stores without {@linkplain Store#leases() leases} (which the core looks up once, when
 * the cache opens): {@link #leases()} is empty. Thread-safe.
 */
public final class DeferredStore implements Store {
    /** The delay before the first background attempt, in milliseconds. */
    public static final long FIRST_RETRY_MILLIS = 100;
    /** The longest delay between two background attempts, in milliseconds. */
    public static final long MAX_RETRY_MILLIS = 5000;
    private static final Logger LOG = LoggerFactory.getLogger(DeferredStore.class);
    private static final ScheduledThreadPoolExecutor ATTEMPTS = attempts();

    private final String where;
    private final StoreCapabilities capabilities;
    private final Supplier<? extends Store> opener;
    private volatile Store store;
    private volatile StoreException lastFailure;
    private volatile boolean closed;
    private long delayMillis = FIRST_RETRY_MILLIS;
    private ScheduledFuture<?> next;

    private DeferredStore(String where, StoreCapabilities capabilities, Supplier<? extends Store> opener,
            StoreException failure) {
        this.where = where;
        this.capabilities = capabilities;
        this.opener = opener;
        this.lastFailure = failure;
    }

    /**
     * Opens a store with {@code opener}; when it throws {@link StoreUnreachableException} (the
     * server did not answer), returns a deferred store that retries {@code opener} in the
     * background instead, and logs one warning. Any other failure of {@code opener} is thrown.
     *
     * @param where the store as messages name it, e.g. {@code redis cache 'c' (redis://h:6379/0)}
     * @param capabilities what the store will be able to do, known without the server: the
     *     deferred store's capabilities, which the opened store's must not exceed (its item
     *     limit at least as large)
     * @param opener opens the store; called again in the background until it succeeds
     */
    public static Store open(String where, StoreCapabilities capabilities, Supplier<? extends Store> opener) {
        Objects.requireNonNull(where, "where must not be null");
        Objects.requireNonNull(capabilities, "capabilities must not be null");
        try {
            return opener.get();
        } catch (StoreUnreachableException e) {
            LOG.warn("{}: the server does not answer ({}); opened anyway: operations fail per on_error until it does,"
                    + " connecting in the background", where, e.getMessage());
            LOG.debug("{}: connection failure at open", where, e);
            DeferredStore d = new DeferredStore(where, capabilities, opener, e);
            d.schedule();
            return d;
        }
    }

    /** True once the store is connected (its backend opened). */
    public boolean isConnected() {
        return store != null;
    }

    private synchronized void schedule() {
        if (closed || store != null) {
            return;
        }
        next = ATTEMPTS.schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
        delayMillis = Math.min(MAX_RETRY_MILLIS, delayMillis * 2);
    }

    private void attempt() {
        if (closed) {
            return;
        }
        Store opened;
        try {
            opened = opener.get();
        } catch (StoreException e) {
            lastFailure = e;
            LOG.debug("{}: still cannot connect: {}", where, e.getMessage());
            schedule();
            return;
        } catch (RuntimeException e) {
            lastFailure = new StoreException(where + ": cannot open: " + e.getMessage(), e);
            LOG.debug("{}: still cannot open: {}", where, e.getMessage());
            schedule();
            return;
        }
        synchronized (this) {
            if (!closed) {
                store = opened;
                LOG.info("{}: connected", where);
                return;
            }
        }
        opened.close();
    }

    /** The opened store, or a failure at once while there is none. */
    private Store store() {
        Store s = store;
        if (s != null) {
            return s;
        }
        if (closed) {
            throw new IllegalStateException(where + " is closed");
        }
        StoreException last = lastFailure;
        throw new StoreException(last.getMessage() + " (not connected yet; connecting in the background)", last);
    }

    /** The capabilities given when opening (the opened store's may allow more). */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public byte[] get(String key) {
        return store().get(key);
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        return store().getMany(keys);
    }

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        return store().put(key, value, expiresAt, mode);
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        return store().putMany(entries, expiresAt);
    }

    @Override
    public boolean delete(String key) {
        return store().delete(key);
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        return store().deleteMany(keys);
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        return store().touch(key, expiresAt);
    }

    @Override
    public long touchAndLength(String key, long expiresAt) {
        return store().touchAndLength(key, expiresAt);
    }

    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        return store().deleteIfEquals(key, expected);
    }

    @Override
    public boolean has(String key) {
        return store().has(key);
    }

    @Override
    public Long incr(String key, long delta) {
        return store().incr(key, delta);
    }

    @Override
    public void clear(KeyScope scope) {
        store().clear(scope);
    }

    @Override
    public StoreStats stats(KeyScope scope) {
        return store().stats(scope);
    }

    @Override
    public long expiresAt(String key) {
        return store().expiresAt(key);
    }

    @Override
    public java.util.Optional<java.util.List<String>> keys(KeyScope scope, int limit) {
        return store().keys(scope, limit);
    }

    /** Stops the background attempts and closes the opened store, if any. Idempotent. */
    @Override
    public void close() {
        Store s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
            s = store;
        }
        if (s != null) {
            s.close();
        }
    }

    @Override
    public String toString() {
        Store s = store;
        return s != null ? s.toString() : where + (closed ? ", closed" : ", not connected yet");
    }

    private static ScheduledThreadPoolExecutor attempts() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "cachet-connect-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.setKeepAliveTime(10, TimeUnit.SECONDS);
        e.allowCoreThreadTimeOut(true);
        e.setRemoveOnCancelPolicy(true);
        return e;
    }
}
