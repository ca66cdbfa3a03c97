package dev.cachet.redis.internal;

import dev.cachet.CacheConfig;
import java.time.Duration;
import java.util.Set;

/**
 * The Redis options of one cache, parsed and checked once at open. Every bad value is an
 * {@link IllegalArgumentException} naming the cache, the option and the value. Durations are
 * read by {@link CacheConfig#durationOption}, in the forms of every backend's durations: seconds
 * ({@code 2}, {@code 0.5}) or a number with a unit ({@code 500ms}, {@code 10s}, {@code 5m}).
 */
public final class RedisSettings {
    /** The option names the Redis backend accepts besides the common ones. */
    public static final Set<String> OPTIONS = Set.of("connect_timeout", "command_timeout", "flush_on_clear",
            "topology_refresh", "verify_peer", "client_name", "ca_file", "spin_wait", "transport", "max_connections");

    /** The item limit when {@code max_item_bytes} is not given: larger values are chunked into pieces this big. */
    public static final long DEFAULT_MAX_ITEM_BYTES = 8L << 20;
    /** Redis' own limit on one string value ({@code proto-max-bulk-len}'s default). */
    public static final long REDIS_MAX_ITEM_BYTES = 512L << 20;

    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_TOPOLOGY_REFRESH = Duration.ofSeconds(30);

    final Duration connectTimeout;
    final Duration commandTimeout;
    final boolean flushOnClear;
    /** Zero when periodic refresh is off (adaptive refresh stays on). */
    final Duration topologyRefresh;
    final boolean verifyPeer;
    /** PEM certificates to trust instead of the JVM's trust store, or null. */
    final java.io.File caFile;
    final String clientName;
    final long maxItemBytes;
    /** Whether a caller spins briefly for its reply before parking ({@code spin_wait}, default true). */
    final boolean spinWait;
    final Transport transport;
    /** The most blocking connections ({@code transport=blocking}). */
    final int maxConnections;

    /** How a command reaches the server ({@code transport}). */
    enum Transport {
        /** On the caller's thread, over a pool of blocking connections (standalone {@code redis://} only). */
        BLOCKING,
        /** Through Lettuce's event loop, over one pipelined connection shared by all threads. */
        PIPELINED
    }

    private RedisSettings(CacheConfig config, RedisLocation location) {
        this.connectTimeout = config.durationOption("connect_timeout", DEFAULT_CONNECT_TIMEOUT, false);
        this.commandTimeout = config.durationOption("command_timeout", DEFAULT_COMMAND_TIMEOUT, false);
        this.flushOnClear = config.boolOption("flush_on_clear", false);
        this.spinWait = config.boolOption("spin_wait", true);
        boolean blockingPossible = !location.cluster() && !location.tls();
        this.transport = config.enumOption("transport", Transport.class,
                blockingPossible ? Transport.BLOCKING : Transport.PIPELINED);
        if (transport == Transport.BLOCKING && !blockingPossible) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option transport=blocking applies to"
                    + " redis:// locations only (TLS and clusters go through Lettuce's connection: transport=pipelined)");
        }
        this.maxConnections = (int) config.longOption("max_connections", 64, 1, 4096);
        this.topologyRefresh = config.durationOption("topology_refresh", DEFAULT_TOPOLOGY_REFRESH, true);
        if (!location.cluster() && config.option("topology_refresh").isPresent()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option topology_refresh applies to"
                    + " redis-cluster:// locations only");
        }
        this.verifyPeer = config.boolOption("verify_peer", true);
        if (!location.tls() && config.option("verify_peer").isPresent()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option verify_peer applies to TLS"
                    + " (rediss:// and rediss-cluster://) locations only");
        }
        this.caFile = config.option("ca_file").map(String::trim).filter(f -> !f.isEmpty()).map(java.io.File::new).orElse(null);
        if (caFile != null && !location.tls()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option ca_file applies to TLS"
                    + " (rediss:// and rediss-cluster://) locations only");
        }
        if (caFile != null && !caFile.canRead()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option ca_file='" + caFile
                    + "' is not a readable file (PEM certificates of the CAs to trust)");
        }
        this.clientName = config.option("client_name").map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (clientName != null && !clientName.matches("[!-~]+")) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option client_name='" + clientName
                    + "' must be printable ASCII without spaces (Redis' CLIENT SETNAME rule)");
        }
        this.maxItemBytes = config.maxItemBytes(DEFAULT_MAX_ITEM_BYTES);
        if (maxItemBytes > REDIS_MAX_ITEM_BYTES) {
            throw new IllegalArgumentException("cache '" + config.name() + "': option max_item_bytes=" + maxItemBytes
                    + " is more than one Redis string can hold (512 MiB); larger values are chunked anyway");
        }
    }

    /** The settings of {@code config}, checked against its parsed {@code location}. */
    public static RedisSettings of(CacheConfig config, RedisLocation location) {
        return new RedisSettings(config, location);
    }
}
