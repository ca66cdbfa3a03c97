package dev.cachet.redis;

import dev.cachet.CacheConfig;
import dev.cachet.redis.internal.RedisSettings;
import dev.cachet.redis.internal.RedisStore;
import dev.cachet.spi.BackendProvider;
import dev.cachet.spi.Store;
import java.util.Set;

/**
 * The Redis backend, on Lettuce: a cache in a Redis server or cluster, Django's
 * {@code RedisCache} with native commands for every operation.
 *
 * <h2>Locations</h2>
 * <ul>
 *   <li>{@code redis://host:6379/0}: a server and a database index (default port 6379,
 *       default database 0);</li>
 *   <li>{@code redis://:password@host/0}, {@code redis://user:password@host/0}: a password, or
 *       an ACL user and password (percent-encode {@code @ : / %} in them);</li>
 *   <li>{@code rediss://...}: the same over TLS (the server's certificate is verified, against
 *       the JVM's trust store or the PEM CA certificates of option {@code ca_file}, unless
 *       {@code verify_peer=false});</li>
 *   <li>{@code redis-cluster://h1:7000,h2:7001} (and {@code rediss-cluster://}): a Redis
 *       Cluster, given by one or more seed nodes; the client discovers the rest.</li>
 * </ul>
 * Options may follow {@code ?}, as for every location.
 *
 * <h2>Options besides the common ones</h2>
 * <ul>
 *   <li>{@code connect_timeout} (default 2 s) and {@code command_timeout} (default 5 s): a
 *       command waits at most about its timeout (plus a grace second for a reply that never
 *       comes); {@code clear}'s many SCAN and UNLINK steps are each bounded so, not in total. A
 *       server that is down fails at once, per the cache's error policy.</li>
 *   <li>{@code flush_on_clear} (default false): {@code clear} runs {@code FLUSHDB}, emptying the
 *       whole database; only for a database that holds this cache alone. Otherwise clear
 *       removes exactly this cache's keys ({@code SCAN MATCH} and {@code UNLINK}), except for
 *       a cache with a custom key function, whose keys have no known shape: its clear empties
 *       the whole database ({@code SCAN} and {@code UNLINK} of every key), as Django's
 *       {@code clear} always does.</li>
 *   <li>{@code topology_refresh} (clusters; default 30 s, 0 for off): how often the cluster
 *       topology is reloaded; it is also reloaded at once on redirects and reconnects.</li>
 *   <li>{@code verify_peer} (TLS; default true), {@code client_name} ({@code CLIENT SETNAME}).</li>
 *   <li>{@code max_item_bytes} defaults to {@value #DEFAULT_MAX_ITEM_BYTES} (8 MiB) and may be
 *       raised to 512 MiB, Redis' limit; larger values are chunked by the core.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * The cache opens one connection (to a cluster: one per node), shared by all its threads, at
 * open. A server that does not answer then (refused, timed out, unknown host) does not fail the
 * open, whatever {@code on_error} says: the cache opens disconnected, its operations fail at
 * once per the error policy, and it connects in the background (and loads a cluster's
 * topology then) as soon as the server answers (see {@link dev.cachet.spi.DeferredStore}). A
 * server that answers and refuses (a wrong password, a failed TLS handshake) is a
 * {@link dev.cachet.spi.StoreException} at open; a bad location or option an
 * {@link IllegalArgumentException} naming it. Later outages follow the cache's error policy,
 * and the connection comes back by itself when the server does. Expiry is
 * Redis' own (a deadline becomes the time left, {@code PX}); {@code incr} keeps it and never
 * creates a missing key.
 */
public final class RedisBackendProvider implements BackendProvider {
    /** The item limit when {@code max_item_bytes} is not given. */
    public static final long DEFAULT_MAX_ITEM_BYTES = RedisSettings.DEFAULT_MAX_ITEM_BYTES;

    /** For {@link java.util.ServiceLoader}. */
    public RedisBackendProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("redis", "rediss", "redis-cluster", "rediss-cluster");
    }

    @Override
    public Set<String> options() {
        return RedisSettings.OPTIONS;
    }

    @Override
    public long defaultMaxItemBytes() {
        return DEFAULT_MAX_ITEM_BYTES;
    }

    @Override
    public Store open(CacheConfig config) {
        return RedisStore.open(config);
    }
}
