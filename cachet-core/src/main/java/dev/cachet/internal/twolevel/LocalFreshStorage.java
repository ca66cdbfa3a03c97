package dev.cachet.internal.twolevel;

import dev.cachet.Timeout;
import dev.cachet.internal.Stamped;
import dev.cachet.internal.fresh.FreshStorage;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The storage the fresh-data pipeline of a two-level view runs on: the shared cache's own
 * ({@code backend}), with the local level in front. The pipeline's rules stay in the pipeline;
 * this class only decides where an entry is read and what is kept, by the two-level rules.
 *
 * <ul>
 *   <li>{@link #read} and {@link #readMany} answer from a local copy of the stamped entry when
 *       {@link LocalLevel} may serve it (its local timeout, the staleness bound, the backplane's
 *       confirmation), else read the shared level and keep what they read, as plain reads do
 *       (a fill never resurrects a value an invalidation dropped). A copy a plain read made
 *       holds no stamp, so it does not answer here. A tagged copy is served only once its
 *       tags' versions, read from the shared level every time, are still current.</li>
 *   <li>{@link #readAgain}, the pipeline's read right before a load, always reads the shared
 *       level (and keeps what it read).</li>
 *   <li>{@link #write} writes the shared level, then replaces the local copy with the stored
 *       entry (unless another invalidation came meanwhile: then it only drops it) and announces
 *       the key, as a write through the two-level cache does.</li>
 *   <li>A copy is kept no longer than the shared entry lives (its physical deadline, counted
 *       on the cache's clock), nor than the local timeout.</li>
 * </ul>
 * Leases, deadlines, the executor and the flights' identity are the shared cache's. Thread-safe.
 */
final class LocalFreshStorage implements FreshStorage {
    /** The shared cache's storage. */
    private final FreshStorage backend;
    private final TwoLevelCache cache;
    private final LocalLevel local;
    /** The two-level cache's clock, which the local level's deadlines are counted on. */
    private final Clock clock;

    LocalFreshStorage(FreshStorage backend, TwoLevelCache cache, LocalLevel local, Clock clock) {
        this.backend = backend;
        this.cache = cache;
        this.local = local;
        this.clock = clock;
    }

    @Override
    public Stamped read(String key) {
        cache.checkOpen();
        long now = clock.millis();
        Stamped held = local.stamped(key, now);
        if (held == null) {
            return fetch(key, now);
        }
        if (held.isTagged() && backend.current(Map.of(key, held)).isEmpty()) {
            return fetch(key, now); // a tag moved: the shared level tells whether a newer entry is there
        }
        return held;
    }

    @Override
    public Stamped readAgain(String key) {
        cache.checkOpen();
        return fetch(key, clock.millis());
    }

    /** Reads {@code key} from the shared level (the read started at {@code now}) and keeps what it read. */
    private Stamped fetch(String key, long now) {
        long stamp = local.stamp(key);
        Stamped s = backend.read(key);
        if (s != null) {
            local.fill(key, s, stamp, now, localDeadline(s, now));
        }
        return s;
    }

    @Override
    public Map<String, Stamped> readMany(Collection<String> keys) {
        cache.checkOpen();
        long now = clock.millis();
        Map<String, Stamped> out = new LinkedHashMap<>();
        Map<String, Stamped> tagged = null;
        List<String> missing = null;
        for (String k : keys) {
            Stamped held = local.stamped(k, now);
            if (held == null) {
                missing = add(missing, k);
            } else if (held.isTagged()) {
                if (tagged == null) {
                    tagged = new LinkedHashMap<>();
                }
                tagged.put(k, held);
            } else {
                out.put(k, held);
            }
        }
        if (tagged != null) {
            Map<String, Stamped> current = backend.current(tagged);
            out.putAll(current);
            for (String k : tagged.keySet()) {
                if (!current.containsKey(k)) {
                    missing = add(missing, k);
                }
            }
        }
        if (missing != null) {
            Map<String, Long> stamps = new LinkedHashMap<>();
            for (String k : missing) {
                stamps.put(k, local.stamp(k));
            }
            backend.readMany(missing).forEach((k, s) -> {
                local.fill(k, s, stamps.get(k), now, localDeadline(s, now));
                out.put(k, s);
            });
        }
        return out;
    }

    private static List<String> add(List<String> list, String key) {
        List<String> l = list != null ? list : new ArrayList<>();
        l.add(key);
        return l;
    }

    @Override
    public boolean write(String key, Stamped entry) {
        long now = clock.millis();
        long stamp = local.stamp(key);
        boolean stored = false;
        try {
            stored = backend.write(key, entry);
            return stored;
        } finally {
            // as a write through the two-level cache: the local copy goes (here, the entry written
            // replaces it), capped by the entry's deadline; then the other instances are told
            long deadline = localDeadline(entry, now);
            if (stored) {
                local.written(key, backend.asStored(entry), stamp, now, deadline);
            } else {
                local.invalidate(key, deadline);
            }
            cache.announce(key);
        }
    }

    /** Where the local copy of {@code s}, kept from {@code now} on the local clock, must be gone: when the shared entry is. */
    private long localDeadline(Stamped s, long now) {
        if (s.expiresAt() == Store.NEVER) {
            return Long.MAX_VALUE;
        }
        long left = s.expiresAt() - backend.clock().millis();
        return left <= 0 ? now : LocalLevel.saturatedAdd(now, left);
    }

    /**
     * True when the local level holds a fresh untagged copy of {@code key}: the pipeline then
     * answers from memory without waiting for anything (at most it starts a background
     * refresh), so an async caller may run it inline.
     */
    boolean holdsFresh(String key) {
        Stamped held = local.stamped(key, clock.millis());
        return held != null && !held.isTagged() && backend.clock().millis() < held.freshUntil();
    }

    @Override
    public Map<String, Stamped> current(Map<String, Stamped> held) {
        return backend.current(held);
    }

    @Override
    public Stamped asStored(Stamped entry) {
        return backend.asStored(entry);
    }

    @Override
    public String cacheName() {
        return backend.cacheName();
    }

    @Override
    public Clock clock() {
        return backend.clock();
    }

    @Override
    public String flightKey(String key) {
        return backend.flightKey(key);
    }

    @Override
    public long deadline(Timeout timeout) {
        return backend.deadline(timeout);
    }

    @Override
    public boolean shared() {
        return backend.shared();
    }

    @Override
    public boolean tryLease(String key, String token, long until) {
        return backend.tryLease(key, token, until);
    }

    @Override
    public void releaseLease(String key, String token) {
        backend.releaseLease(key, token);
    }

    @Override
    public Executor executor() {
        return backend.executor();
    }

    @Override
    public String toString() {
        return "local level in front of " + backend;
    }
}
