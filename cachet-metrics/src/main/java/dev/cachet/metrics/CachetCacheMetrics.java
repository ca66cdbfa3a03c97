package dev.cachet.metrics;

import dev.cachet.CacheStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for one cachet cache, wrapped in a {@link MeteredCache}: Micrometer's
 * cache meters (the same names and tags as Caffeine's or JCache's binders, so dashboards work
 * as they are) and cachet's own.
 *
 * <table>
 *   <caption>meters, each tagged {@code cache=<name>} plus the tags given</caption>
 *   <tr><th>meter</th><th>what it counts</th></tr>
 *   <tr><td>{@code cache.gets{result=hit|miss}}</td><td>plain reads' hits and misses, plus
 *       {@code getOrSet}'s (a fresh or stale value is a hit, a load is a miss)</td></tr>
 *   <tr><td>{@code cache.puts}</td><td>values written, plus values loaded by {@code getOrSet}</td></tr>
 *   <tr><td>{@code cache.evictions}</td><td>entries removed by {@code delete}/{@code evict}
 *       (evictions a backend makes on its own are not visible to cachet)</td></tr>
 *   <tr><td>{@code cache.size}</td><td>not registered: counting a remote backend's entries
 *       costs a scan per poll</td></tr>
 *   <tr><td>{@code cache.loads}, {@code cache.load.failures}</td><td>loader runs and failed ones</td></tr>
 *   <tr><td>{@code cache.stale.served}</td><td>calls answered by a stale value</td></tr>
 *   <tr><td>{@code cache.failsafe.activations}</td><td>stale values that stood in for a failed load</td></tr>
 *   <tr><td>{@code cache.lease.waits}, {@code cache.lease.wins}</td><td>leases found held by
 *       another process, and taken</td></tr>
 *   <tr><td>{@code cache.refreshes{result=started|dropped|failed|early}}</td><td>background refreshes</td></tr>
 *   <tr><td>{@code cache.errors{backend=...}}</td><td>backend failures that reached a caller</td></tr>
 *   <tr><td>{@code cache.latency{operation=get|put|delete|get_or_set|clear}}</td><td>count and
 *       total time of each operation</td></tr>
 * </table>
 * Every meter reads the cache's counters when the registry polls; the binder holds the cache
 * weakly, as Micrometer's cache binders do.
 */
public class CachetCacheMetrics extends CacheMeterBinder<MeteredCache> {

    /** Meters for {@code cache}, named by the cache's name, with {@code tags} added. */
    public CachetCacheMetrics(MeteredCache cache, Iterable<Tag> tags) {
        this(cache, cache.name(), tags);
    }

    /** Meters for {@code cache} under the name {@code cacheName}, with {@code tags} added. */
    public CachetCacheMetrics(MeteredCache cache, String cacheName, Iterable<Tag> tags) {
        super(cache, cacheName, tags);
    }

    /** Binds meters for {@code cache} to {@code registry}; returns the registry. */
    public static MeterRegistry monitor(MeterRegistry registry, MeteredCache cache, String... tags) {
        new CachetCacheMetrics(cache, Tags.of(tags)).bindTo(registry);
        return registry;
    }

    /** Unknown: see the class comment. */
    @Override
    protected Long size() {
        return null;
    }

    @Override
    protected long hitCount() {
        MeteredCache c = getCache();
        if (c == null) {
            return 0;
        }
        CacheStats s = c.stats();
        return c.hits() + s.hits() + s.staleServed();
    }

    @Override
    protected Long missCount() {
        MeteredCache c = getCache();
        return c == null ? null : c.misses() + c.stats().misses();
    }

    @Override
    protected Long evictionCount() {
        MeteredCache c = getCache();
        return c == null ? null : c.removals();
    }

    @Override
    protected long putCount() {
        MeteredCache c = getCache();
        if (c == null) {
            return 0;
        }
        CacheStats s = c.stats();
        return c.puts() + Math.max(0, s.loads() - s.loadFailures());
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        MeteredCache cache = getCache();
        if (cache == null) {
            return;
        }
        Iterable<Tag> tags = getTagsWithCacheName();
        stat(registry, cache, "cache.loads", "loader runs (foreground and background)", tags, CacheStats::loads);
        stat(registry, cache, "cache.load.failures", "loader runs that threw or passed the hard timeout", tags,
                CacheStats::loadFailures);
        stat(registry, cache, "cache.stale.served", "calls answered by a stale value", tags, CacheStats::staleServed);
        stat(registry, cache, "cache.failsafe.activations", "stale values that stood in for a failed load", tags,
                CacheStats::failSafeActivations);
        stat(registry, cache, "cache.lease.waits", "leases found held by another process", tags, CacheStats::leaseWaits);
        stat(registry, cache, "cache.lease.wins", "leases taken on a shared backend", tags, CacheStats::leaseWins);
        String refreshes = "background refreshes";
        stat(registry, cache, "cache.refreshes", refreshes, Tags.concat(tags, "result", "started"), CacheStats::refreshesStarted);
        stat(registry, cache, "cache.refreshes", refreshes, Tags.concat(tags, "result", "dropped"), CacheStats::refreshesDropped);
        stat(registry, cache, "cache.refreshes", refreshes, Tags.concat(tags, "result", "failed"), CacheStats::refreshesFailed);
        stat(registry, cache, "cache.refreshes", refreshes, Tags.concat(tags, "result", "early"), CacheStats::earlyRefreshes);
        FunctionCounter.builder("cache.errors", cache, MeteredCache::errors)
                .tags(tags).tag("backend", cache.backend())
                .description("backend failures that reached a caller")
                .register(registry);
        for (MeteredCache.Operation op : MeteredCache.Operation.values()) {
            FunctionTimer.builder("cache.latency", cache, c -> c.calls(op), c -> c.totalNanos(op), TimeUnit.NANOSECONDS)
                    .tags(tags).tag("operation", op.name().toLowerCase(Locale.ROOT))
                    .description("time of the cache's operations")
                    .register(registry);
        }
    }

    private static void stat(MeterRegistry registry, MeteredCache cache, String name, String description,
            Iterable<Tag> tags, ToLongFunction<CacheStats> count) {
        FunctionCounter.builder(name, cache, c -> count.applyAsLong(c.stats()))
                .tags(tags).description(description).register(registry);
    }
}
