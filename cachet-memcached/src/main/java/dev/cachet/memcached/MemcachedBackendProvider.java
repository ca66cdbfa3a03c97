package dev.cachet.memcached;

import dev.cachet.CacheConfig;
import dev.cachet.memcached.internal.MemcachedSettings;
import dev.cachet.memcached.internal.MemcachedStore;
import dev.cachet.spi.BackendProvider;
import dev.cachet.spi.Store;
import java.util.Set;

/**
 * The {@code memcached://} backend: a cache over one memcached server or a cluster, through
 * cachet's own client speaking memcached's meta protocol (memcached 1.6 or later).
 *
 * <h2>Locations</h2>
 * <ul>
 *   <li>{@code memcached://host:11211}, {@code memcached://host} (port 11211),
 *       {@code memcached://[::1]:11211};</li>
 *   <li>{@code memcached://h1:11211,h2:11211,h3:11211?weights=2,1,1}: a cluster; keys are
 *       spread by libmemcached's weighted ketama (the same servers, in any order, with the same
 *       weights, put a key on the same server as libmemcached with
 *       {@code MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED} does).</li>
 * </ul>
 *
 * <h2>Options</h2> besides the common ones:
 * <ul>
 *   <li>{@code weights}: one positive integer per server, in location order (default all 1);</li>
 *   <li>{@code connections_per_node} (default 2): pipelined connections per server;</li>
 *   <li>{@code connect_timeout}, {@code read_timeout}, {@code write_timeout} (default 1 s each):
 *       a connection with a request waiting and no reply byte for {@code read_timeout}, or with
 *       bytes unsent for {@code write_timeout}, is dropped and its requests fail;</li>
 *   <li>{@code failure_limit} (default 3): consecutive connection failures after which a server
 *       is marked down (its requests then fail at once, and the cache's {@code on_error}
 *       decides: an error, or a miss with {@code degrade}); {@code retry_interval} (default 1 s):
 *       how often a down server is probed; it is used again as soon as it answers;</li>
 *   <li>{@code rehash_down_nodes} (default false): send a down server's keys to the next server
 *       on the ring instead of failing them;</li>
 *   <li>{@code flush_on_clear} (default false): {@code clear} runs {@code flush_all} on every
 *       server; only for servers this cache has to itself. Otherwise {@code clear} bumps this
 *       cache's namespace generation (see {@code generation_refresh}), except for a cache with a
 *       custom key function, whose {@code clear} runs {@code flush_all} on every server, as
 *       Django's {@code clear} does;</li>
 *   <li>{@code generation_refresh} (default 1 s; 0 for every operation): how stale the
 *       namespace generation may be, which bounds how long another process takes to see a
 *       {@code clear};</li>
 *   <li>{@code item_size_max} (default {@code 1m}): the servers' item size limit ({@code -I});
 *       values whose entry exceeds it less 512 bytes of item overhead are chunked by the core
 *       ({@code max_item_bytes} may lower that further).</li>
 * </ul>
 * Opening checks every option and connects lazily: an unreachable server fails the first
 * operation that needs it (per {@code on_error}), not the open.
 */
public final class MemcachedBackendProvider implements BackendProvider {
    /** For {@link java.util.ServiceLoader}. */
    public MemcachedBackendProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("memcached");
    }

    @Override
    public Set<String> options() {
        return MemcachedSettings.OPTIONS;
    }

    /** memcached's default item limit (1 MiB) less the item overhead. */
    @Override
    public long defaultMaxItemBytes() {
        return MemcachedSettings.DEFAULT_ITEM_SIZE_MAX - MemcachedSettings.ITEM_OVERHEAD;
    }

    /**
     * Opens the store {@code config} describes; it offers memcached's leases through
     * {@link Store#leases()}.
     *
     * @throws IllegalArgumentException for a bad location or option, naming it
     */
    @Override
    public Store open(CacheConfig config) {
        return MemcachedStore.open(config);
    }
}
