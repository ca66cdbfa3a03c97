package dev.cachet.internal;

import dev.cachet.Timeout;
import dev.cachet.internal.fresh.FreshStorage;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The fresh-data pipeline's view of one {@link CoreCache} view: stamped reads and writes through
 * the view (keys, tags and the error policy applied as for any call), and leases under reserved
 * hashed keys of the cache's prefix ({@code clear} removes them with the rest). Also the check
 * of tagged entries' tags for the view's bulk reads ({@link #outdatedTags}).
 */
final class CoreFreshStorage implements FreshStorage {
    private final CoreCache view;
    private final CacheCore core;

    CoreFreshStorage(CoreCache view, CacheCore core) {
        this.view = view;
        this.core = core;
    }

    @Override
    public String cacheName() {
        return core.name;
    }

    @Override
    public Clock clock() {
        return core.clock;
    }

    @Override
    public String flightKey(String key) {
        return view.storeKeyOf(key);
    }

    @Override
    public Stamped read(String key) {
        return stamped(view.readRaw(key));
    }

    private static Stamped stamped(Object raw) {
        if (raw == EntryStore.MISSING) {
            return null;
        }
        return raw instanceof Stamped s ? s : Stamped.of(raw, Store.NEVER, Store.NEVER, 0);
    }

    @Override
    public Map<String, Stamped> readMany(Collection<String> keys) {
        Map<String, Stamped> out = new LinkedHashMap<>();
        view.readRawMany(keys).forEach((k, raw) -> out.put(k, stamped(raw)));
        return out;
    }

    /** The keys of {@code found} whose tagged entries are outdated (one read for all; a failure per policy: all of them under degrade). */
    Set<String> outdatedTags(Map<String, ?> found) {
        Map<String, Stamped> tagged = null;
        for (Map.Entry<String, ?> e : found.entrySet()) {
            if (e.getValue() instanceof Stamped s && s.isTagged()) {
                if (tagged == null) {
                    tagged = new LinkedHashMap<>();
                }
                tagged.put(e.getKey(), s);
            }
        }
        if (tagged == null) {
            return Set.of();
        }
        try {
            return core.tags.outdated(tagged);
        } catch (RuntimeException e) {
            return view.failure("get_many", null, e, tagged.keySet());
        }
    }

    @Override
    public Map<String, Stamped> current(Map<String, Stamped> held) {
        Set<String> outdated = outdatedTags(held);
        if (outdated.isEmpty()) {
            return held;
        }
        Map<String, Stamped> out = new LinkedHashMap<>(held);
        out.keySet().removeAll(outdated);
        return out;
    }

    @Override
    public Stamped asStored(Stamped entry) {
        return stamped(stored(entry));
    }

    @Override
    public boolean write(String key, Stamped entry) {
        return view.putRaw("set", key, stored(entry), entry.expiresAt(), PutMode.SET);
    }

    /**
     * What {@link #write} stores of {@code entry}: a stamp that says nothing beyond the deadline
     * is not written, the value stays plain (an integer stays a counter incr can move).
     */
    private static Object stored(Stamped entry) {
        boolean plain = entry.freshUntil() == entry.expiresAt() && entry.computeMillis() == 0 && !entry.isTagged();
        return plain ? CoreCache.normalize(entry.value()) : normalized(entry);
    }

    private static Stamped normalized(Stamped s) {
        Object v = CoreCache.normalize(s.value());
        return v == s.value() ? s : new Stamped(v, s.expiresAt(), s.freshUntil(), s.computeMillis(), s.tags(),
                s.tagVersions());
    }

    @Override
    public long deadline(Timeout timeout) {
        return view.deadlineOf(timeout);
    }

    @Override
    public boolean shared() {
        return core.entries.isBlocking();
    }

    private String leaseKey(String key) {
        return core.keys.hashed("\u0000lease\u0000" + view.storeKeyOf(key));
    }

    @Override
    public boolean tryLease(String key, String token, long until) {
        try {
            return core.entries.put(leaseKey(key), token, until, PutMode.ADD);
        } catch (RuntimeException e) {
            if (!CoreCache.isBackendFailure(e)) {
                throw e;
            }
            // no coordination without the backend: load here (the write will meet the error policy)
            core.log.backendFailure("lease of key '" + KeyPolicy.abbreviate(key) + "'", e);
            return true;
        }
    }

    @Override
    public void releaseLease(String key, String token) {
        try {
            core.entries.deleteIfEquals(leaseKey(key), token);
        } catch (RuntimeException e) {
            if (!CoreCache.isBackendFailure(e)) {
                throw e;
            }
            // the lease expires by itself
            core.log.backendFailure("release of the lease of key '" + KeyPolicy.abbreviate(key) + "'", e);
        }
    }

    @Override
    public Executor executor() {
        return core.refreshExecutor();
    }
}
