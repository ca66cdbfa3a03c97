package dev.cachet.internal.fresh;

import dev.cachet.Freshness;
import dev.cachet.LoadTimeoutException;
import dev.cachet.internal.KeyPolicy;
import dev.cachet.internal.Stamped;
import dev.cachet.spi.Store;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The fresh-data pipeline behind {@code getOrSet} with {@link Freshness}: decides between
 * serving a fresh value, serving a stale one while one background refresh runs, and loading;
 * runs each load or refresh once per key in the process (a flight) and, on a shared backend,
 * once in the cluster (a lease); applies fail-safe, loader timeouts, eager refresh, XFetch and
 * jitter. Its reads right before a load (in the flight, under the lease, while another process
 * holds the lease) are {@link FreshStorage#readAgain}: from the backend, never a copy kept in
 * this process. One per cache view; thread-safe.
 */
public final class FreshLoads {
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final FreshStorage storage;
    private final LoadCounters counters;
    /** Loads and refreshes in flight in this process, by stored key. */
    final ConcurrentHashMap<String, Flight> inflight;

    /** One load or refresh of a key, which callers in this process share. */
    static final class Flight extends CompletableFuture<Stamped> {
        final Thread owner;

        Flight(Thread owner) {
            this.owner = owner;
        }
    }

    /** The flights of one cache, shared by the pipelines of its views. */
    public static final class Flights {
        final ConcurrentHashMap<String, Flight> map = new ConcurrentHashMap<>();
    }

    /** The pipeline of one view ({@code storage}) of a cache whose views share {@code counters} and {@code flights}. */
    public FreshLoads(FreshStorage storage, LoadCounters counters, Flights flights) {
        this.storage = storage;
        this.counters = counters;
        this.inflight = flights.map;
    }

    /** The counters this pipeline keeps. */
    public LoadCounters counters() {
        return counters;
    }

    FreshStorage storage() {
        return storage;
    }

    /** The value of {@code key}, loaded by {@code loader} as {@code options} say. */
    public Object getOrSet(String key, Supplier<?> loader, Freshness options) {
        return getOrSet(key, loader, options, null);
    }

    /**
     * {@link #getOrSet(String, Supplier, Freshness)}, where a miss of {@code key} takes the
     * previous entry {@code previousKeys} points to (see {@link #previous}) as a stale one: it
     * is served while a background refresh runs, or stands in as fail-safe.
     */
    public Object getOrSet(String key, Supplier<?> loader, Freshness options,
            Function<String, ? extends Collection<String>> previousKeys) {
        Stamped current = storage.read(key);
        if (current != null && current.freshUntil() == Store.NEVER) {
            counters.hits.increment(); // fresh for its whole life: no clock to read, nothing to refresh early
            return current.value();
        }
        long now = storage.clock().millis();
        if (current == null && previousKeys != null) {
            current = previous(List.of(key), previousKeys, options).get(key);
        }
        if (current != null) {
            if (now < current.freshUntil()) {
                counters.hits.increment();
                if (refreshesEarly(current, options, now)) {
                    counters.earlyRefreshes.increment();
                    refreshInBackground(key, loader, options, current);
                }
                return current.value();
            }
            if (options.freshFor() != null) {
                counters.staleServed.increment();
                refreshInBackground(key, loader, options, current);
                return current.value();
            }
        } else {
            counters.misses.increment();
        }
        return loadInForeground(key, loader, options, current).value();
    }

    /**
     * The previous entries of {@code missed} (keys that missed), each made stale by
     * {@link #asStale}: for each key, {@code previousKeys} gives the keys that may hold its
     * previous entry, most recent first, and the first that hits wins; all are read in one
     * call. Empty, with nothing read, when {@code options} would use no stale value (neither
     * {@code freshFor} nor fail-safe).
     */
    Map<String, Stamped> previous(Collection<String> missed,
            Function<String, ? extends Collection<String>> previousKeys, Freshness options) {
        if (missed.isEmpty() || (options.freshFor() == null && options.failSafeMax() == null)) {
            return Map.of();
        }
        Map<String, Collection<String>> where = new LinkedHashMap<>();
        Set<String> all = new LinkedHashSet<>();
        for (String k : missed) {
            Collection<String> candidates = previousKeys.apply(k);
            where.put(k, candidates);
            all.addAll(candidates);
        }
        if (all.isEmpty()) {
            return Map.of();
        }
        Map<String, Stamped> found = storage.readMany(all);
        Map<String, Stamped> out = new HashMap<>();
        where.forEach((k, candidates) -> {
            for (String c : candidates) {
                Stamped s = found.get(c);
                if (s != null) {
                    Stamped stale = asStale(s, options);
                    if (stale != null) {
                        out.put(k, stale);
                    }
                    return;
                }
            }
        });
        return out;
    }

    /**
     * A previous entry as the pipeline takes it: stale whatever its stamp said (a value written
     * without a stamp too), with its tags, and kept no longer than a value loaded now would be
     * (its own deadline or that one, whichever is sooner: a fail-safe stand-in written under the
     * new key does not outlive it). Null when {@code options}' timeout stores nothing readable.
     */
    public Stamped asStale(Stamped previous, Freshness options) {
        Stamped loadedNow = stamp(previous.value(), options, 0);
        if (loadedNow == null) {
            return null;
        }
        return new Stamped(previous.value(), Math.min(previous.expiresAt(), loadedNow.expiresAt()), Long.MIN_VALUE,
                previous.computeMillis(), previous.tags(), previous.tagVersions());
    }

    /** True when a fresh hit at {@code now} should start a refresh ahead of expiry. */
    boolean refreshesEarly(Stamped s, Freshness options, long now) {
        if (s.freshUntil() == Store.NEVER) {
            return false;
        }
        if (options.eagerRefresh() > 0 && options.freshFor() != null) {
            long period = options.freshFor().toMillis();
            long writtenAt = s.freshUntil() - period;
            if (now >= writtenAt + (long) (period * options.eagerRefresh())) {
                return true;
            }
        }
        if (options.xfetchBeta() > 0 && s.computeMillis() > 0) {
            return XFetch.recomputesEarly(now, s.freshUntil(), s.computeMillis(), options.xfetchBeta(),
                    ThreadLocalRandom.current().nextDouble());
        }
        return false;
    }

    /**
     * Starts one background refresh of {@code key} unless one is in flight; returns the flight
     * (null when none was started: one was running, or the executor was full).
     */
    public CompletableFuture<Stamped> refreshInBackground(String key, Supplier<?> loader, Freshness options,
            Stamped current) {
        String fk = storage.flightKey(key);
        Flight mine = new Flight(null);
        if (inflight.putIfAbsent(fk, mine) != null) {
            return null;
        }
        // a flight leaves the map before it completes: whoever sees it complete may start the next
        Runnable work = () -> {
            Stamped s;
            try {
                s = refresh(key, loader, options, current);
            } catch (RuntimeException | Error e) {
                counters.refreshesFailed.increment();
                inflight.remove(fk, mine);
                mine.completeExceptionally(e);
                return;
            }
            inflight.remove(fk, mine);
            mine.complete(s);
        };
        try {
            executor(options).execute(work);
            counters.refreshesStarted.increment();
            return mine;
        } catch (RejectedExecutionException e) {
            counters.refreshesDropped.increment();
            inflight.remove(fk, mine);
            mine.complete(null);
            return null;
        }
    }

    /**
     * A background refresh: loads under the lease and returns what it stored, or returns null and
     * leaves it to the process that holds the lease. Under the lease the key is read again, and
     * not loaded when it holds a newer fresh value than {@code current} (another process
     * refreshed it meanwhile): that value is returned.
     */
    private Stamped refresh(String key, Supplier<?> loader, Freshness options, Stamped current) {
        if (!usesLeases(options)) {
            return loadAndStore(key, loader, options, current);
        }
        String token = token();
        if (!storage.tryLease(key, token, leaseUntil(options))) {
            counters.leaseWaits.increment();
            return null; // another process is loading it
        }
        try {
            // the lease may be free only because another process has just refreshed the key
            // (stored its value, then released the lease) since `current` was read
            Stamped again = storage.readAgain(key);
            if (again != null && storage.clock().millis() < again.freshUntil()
                    && (current == null || again.freshUntil() > current.freshUntil())) {
                return again;
            }
            counters.leaseWins.increment(); // counted when it leads to a load
            return loadAndStore(key, loader, options, current);
        } finally {
            storage.releaseLease(key, token);
        }
    }

    /**
     * A load the caller waits for (bounded by the loader timeouts): joins the key's flight or
     * runs one; {@code stale} (maybe null) is what may stand in for it.
     */
    Stamped loadInForeground(String key, Supplier<?> loader, Freshness options, Stamped stale) {
        String fk = storage.flightKey(key);
        Flight mine = new Flight(Thread.currentThread());
        Flight running = inflight.putIfAbsent(fk, mine);
        if (running != null) {
            if (running.owner == Thread.currentThread()) {
                throw reentered(key);
            }
            Stamped joined = await(key, running, options, stale);
            // a background refresh that found the lease held elsewhere stored nothing: load as a caller would
            return joined != null ? joined : loadInForeground(key, loader, options, stale);
        }
        Runnable work = () -> {
            Stamped s;
            try {
                s = loadUnderLease(key, loader, options, stale);
            } catch (RuntimeException | Error e) {
                inflight.remove(fk, mine);
                mine.completeExceptionally(e);
                return;
            }
            inflight.remove(fk, mine);
            mine.complete(s);
        };
        boolean timed = options.hardLoaderTimeout() != null || (options.softLoaderTimeout() != null && stale != null);
        if (!timed) {
            work.run();
            return await(key, mine, options, stale);
        }
        try {
            executor(options).execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
        return await(key, mine, options, stale);
    }

    IllegalStateException reentered(String key) {
        return new IllegalStateException("cache '" + storage.cacheName() + "': getOrSet of key '"
                + KeyPolicy.abbreviate(key) + "' was called again from its own loader");
    }

    /** The flight's result (null when a refresh stored nothing), or what stands in for it when it fails or passes a loader timeout. */
    private Stamped await(String key, Flight flight, Freshness options, Stamped stale) {
        long start = System.nanoTime();
        try {
            if (stale != null && options.softLoaderTimeout() != null) {
                try {
                    return flight.get(options.softLoaderTimeout().toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    counters.staleServed.increment();
                    return stale;
                }
            }
            Duration hard = options.hardLoaderTimeout();
            if (hard == null) {
                return flight.join();
            }
            long left = hard.toNanos() - (System.nanoTime() - start);
            try {
                return flight.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                counters.loadFailures.increment();
                if (stale != null && options.failSafeMax() != null) {
                    counters.failSafeActivations.increment();
                    counters.staleServed.increment();
                    return stale;
                }
                throw new LoadTimeoutException(storage.cacheName(), KeyPolicy.abbreviate(key), hard);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cache '" + storage.cacheName() + "': interrupted while loading key '"
                    + KeyPolicy.abbreviate(key) + "'", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /**
     * A foreground load: on a shared backend, under the key's lease; a caller that finds the
     * lease held elsewhere returns a fresh value as soon as the winner stores it, the stale
     * value when it may stand in, or takes over when the winner's lease expires. Under the
     * lease the key is read again: a fresh value there is returned without loading.
     */
    Stamped loadUnderLease(String key, Supplier<?> loader, Freshness options, Stamped stale) {
        if (!usesLeases(options)) {
            Stamped again = storage.readAgain(key);
            if (again != null && storage.clock().millis() < again.freshUntil()) {
                return again;
            }
            return loadAndStore(key, loader, options, again != null ? again : stale);
        }
        String token = token();
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        boolean waited = false;
        while (true) {
            Stamped again = storage.readAgain(key);
            long now = storage.clock().millis();
            if (again != null && now < again.freshUntil()) {
                return again;
            }
            Stamped standIn = again != null ? again : stale;
            if (storage.tryLease(key, token, leaseUntil(options))) {
                try {
                    // the winner stores its value before it releases the lease: a lease won
                    // after this read missed may be free because the value is there now
                    Stamped won = storage.readAgain(key);
                    if (won != null && storage.clock().millis() < won.freshUntil()) {
                        return won;
                    }
                    counters.leaseWins.increment(); // counted when it leads to a load
                    return loadAndStore(key, loader, options, won != null ? won : standIn);
                } finally {
                    storage.releaseLease(key, token);
                }
            }
            if (!waited) {
                counters.leaseWaits.increment();
                waited = true;
            }
            if (standIn != null && (options.freshFor() != null || options.failSafeMax() != null)) {
                counters.staleServed.increment();
                return standIn;
            }
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("cache '" + storage.cacheName()
                        + "': interrupted while waiting for the load of key '" + KeyPolicy.abbreviate(key)
                        + "' in another process");
            }
            pause = Math.min(pause * 2, MAX_POLL_NANOS);
        }
    }

    /**
     * Runs the loader and stores its value with a new stamp; when the loader throws and
     * fail-safe allows, {@code stale} stands in, marked fresh for the throttle period.
     */
    Stamped loadAndStore(String key, Supplier<?> loader, Freshness options, Stamped stale) {
        counters.loads.increment();
        long started = storage.clock().millis();
        Object value;
        try {
            value = loader.get();
        } catch (RuntimeException | Error e) {
            counters.loadFailures.increment();
            if (stale != null && options.failSafeMax() != null) {
                counters.failSafeActivations.increment();
                long now = storage.clock().millis();
                Stamped held = stale.withFreshUntil(now + options.failSafeThrottle().toMillis());
                storage.write(key, held);
                return held;
            }
            throw e;
        }
        // the compute time is kept only where XFetch reads it: without it (and without freshFor
        // or fail-safe) the entry is written as a plain value, which incr and older readers take
        int computeMillis = options.xfetchBeta() == 0 ? 0
                : computeMillis(started, storage.clock().millis());
        Stamped s = stamp(value, options, computeMillis);
        if (s != null) {
            storage.write(key, s);
            return s;
        }
        return Stamped.of(value, storage.clock().millis(), storage.clock().millis(), computeMillis);
    }

    /** {@code value} stamped with {@code options}' expiries from now; null when the timeout stores nothing readable. */
    Stamped stamp(Object value, Freshness options, int computeMillis) {
        long physical = storage.deadline(options.timeout());
        if (physical == Long.MIN_VALUE) {
            return null;
        }
        long now = storage.clock().millis();
        long jitter = options.jitter().isZero() ? 0
                : ThreadLocalRandom.current().nextLong(options.jitter().toMillis() + 1);
        long fresh = options.freshFor() == null ? physical : plus(now, options.freshFor().toMillis() + jitter);
        physical = plus(physical, jitter);
        if (options.failSafeMax() != null) {
            physical = Math.max(physical, plus(fresh, options.failSafeMax().toMillis()));
        }
        return Stamped.of(value, physical, Math.min(fresh, physical), computeMillis);
    }

    /** A load's duration on the cache's clock (so an injected clock sets it in tests), at least 1 ms. */
    static int computeMillis(long started, long ended) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ended - started));
    }

    private static long plus(long at, long millis) {
        if (at == Store.NEVER) {
            return Store.NEVER;
        }
        long sum = at + millis;
        return sum < at || sum >= Store.NEVER ? Store.NEVER - 1 : sum;
    }

    boolean usesLeases(Freshness options) {
        return options.leases() && storage.shared();
    }

    long leaseUntil(Freshness options) {
        return plus(storage.clock().millis(), options.leaseTime().toMillis());
    }

    private Executor executor(Freshness options) {
        return options.executor() != null ? options.executor() : storage.executor();
    }

    static String token() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong());
    }
}
