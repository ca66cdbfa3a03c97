package dev.cachet.memcached.internal;

import dev.cachet.CacheConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@code memcached://} location and its options, checked: every bad value is an
 * {@link IllegalArgumentException} naming the cache, the option and what it must be. Durations
 * are read by {@link CacheConfig#durationOption}, in the forms of every backend's durations.
 * The error policy ({@code on_error}) is not here: the core applies it.
 */
public final class MemcachedSettings {
    /** The backend's own options. */
    public static final Set<String> OPTIONS = Set.of("weights", "connections_per_node", "connect_timeout",
            "read_timeout", "write_timeout", "failure_limit", "retry_interval", "rehash_down_nodes", "flush_on_clear",
            "generation_refresh", "item_size_max", "spin_wait", "transport", "max_connections");

    /** memcached's default item size limit ({@code -I 1m}). */
    public static final long DEFAULT_ITEM_SIZE_MAX = 1L << 20;
    /**
     * What an item holds besides its value, at most: memcached's item header (48-56 bytes), the
     * key (up to 250 bytes) and its terminator, the CAS and the value's CRLF, rounded up.
     */
    public static final long ITEM_OVERHEAD = 512;

    /** How a call reaches its server ({@code transport}). */
    enum Transport {
        /** On the caller's thread, over a pool of blocking connections per server. */
        BLOCKING,
        /** Handed to Netty's event loops, over {@code connections_per_node} pipelined connections per server. */
        PIPELINED
    }

    final String cacheName;
    final List<KetamaRing.Server> servers;
    final int connectionsPerNode;
    final Duration connectTimeout;
    final Duration readTimeout;
    final Duration writeTimeout;
    final int failureLimit;
    final Duration retryInterval;
    final boolean rehashDownNodes;
    final boolean flushOnClear;
    final boolean spinWait;
    final Transport transport;
    /** The most blocking connections per server ({@code transport=blocking}). */
    final int maxConnections;
    final Duration generationRefresh;
    final long itemSizeMax;
    final long maxValueBytes;
    /** The key prefix, which names this cache's namespace generation counter. */
    final String keyPrefix;
    final Clock clock;

    private MemcachedSettings(CacheConfig config) {
        this.cacheName = config.name();
        List<HostPort> hosts = parseHosts(config);
        List<Integer> weights = weights(config, hosts.size());
        List<KetamaRing.Server> list = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            list.add(new KetamaRing.Server(hosts.get(i).host, hosts.get(i).port, weights.get(i)));
        }
        this.servers = List.copyOf(list);
        this.connectionsPerNode = (int) config.longOption("connections_per_node", 2, 1, 64);
        this.connectTimeout = config.durationOption("connect_timeout", Duration.ofSeconds(1), false);
        this.readTimeout = config.durationOption("read_timeout", Duration.ofSeconds(1), false);
        this.writeTimeout = config.durationOption("write_timeout", Duration.ofSeconds(1), false);
        this.failureLimit = (int) config.longOption("failure_limit", 3, 1, 1000);
        this.retryInterval = config.durationOption("retry_interval", Duration.ofSeconds(1), false);
        this.rehashDownNodes = config.boolOption("rehash_down_nodes", false);
        this.flushOnClear = config.boolOption("flush_on_clear", false);
        this.spinWait = config.boolOption("spin_wait", true);
        this.transport = config.enumOption("transport", Transport.class, Transport.BLOCKING);
        this.maxConnections = (int) config.longOption("max_connections", 64, 1, 4096);
        this.generationRefresh = config.durationOption("generation_refresh", Duration.ofSeconds(1), true);
        this.itemSizeMax = config.bytesOption("item_size_max", DEFAULT_ITEM_SIZE_MAX);
        if (itemSizeMax < 1024 || itemSizeMax > 1L << 30) {
            throw new IllegalArgumentException(err("item_size_max", config.option("item_size_max").orElse(""),
                    "must be between 1k and 1g (memcached's -I)"));
        }
        long limit = itemSizeMax - ITEM_OVERHEAD;
        this.maxValueBytes = config.maxItemBytes(limit);
        if (maxValueBytes > limit) {
            throw new IllegalArgumentException(err("max_item_bytes", config.option("max_item_bytes").orElse(""),
                    "must leave room for memcached's item header and key inside item_size_max=" + itemSizeMax
                            + " (at most " + limit + "); raise item_size_max to match the server's -I"));
        }
        this.keyPrefix = config.keyPrefix();
        this.clock = config.clock();
    }

    /** The settings of {@code config}, checked. */
    public static MemcachedSettings of(CacheConfig config) {
        return new MemcachedSettings(config);
    }

    /** The servers as {@code host:port} labels, in location order. */
    List<String> labels() {
        List<String> out = new ArrayList<>();
        for (KetamaRing.Server s : servers) {
            out.add(label(s));
        }
        return out;
    }

    static String label(KetamaRing.Server s) {
        return (s.host().indexOf(':') >= 0 ? "[" + s.host() + "]" : s.host()) + ":" + s.port();
    }

    private record HostPort(String host, int port) {
    }

    private List<HostPort> parseHosts(CacheConfig config) {
        String target = config.target();
        String location = config.redactedLocation(); // for messages: never a password
        if (!target.startsWith("//")) {
            throw new IllegalArgumentException("cache '" + cacheName + "': memcached location '" + location
                    + "' must look like memcached://host:11211 or memcached://h1:11211,h2:11211");
        }
        String rest = target.substring(2);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isBlank()) {
            throw new IllegalArgumentException("cache '" + cacheName + "': memcached location '" + location
                    + "' names no server; expected memcached://host:11211[,host2:11211...]");
        }
        List<HostPort> out = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("cache '" + cacheName + "': memcached location '" + location
                        + "' has an empty server between commas");
            }
            String host;
            String portText = null;
            if (p.startsWith("[")) {
                int close = p.indexOf(']');
                if (close < 0) {
                    throw badServer(p, "an IPv6 address must be closed with ]");
                }
                host = p.substring(1, close);
                String after = p.substring(close + 1);
                if (!after.isEmpty()) {
                    if (!after.startsWith(":")) {
                        throw badServer(p, "expected :port after ]");
                    }
                    portText = after.substring(1);
                }
            } else {
                int colon = p.lastIndexOf(':');
                if (colon >= 0 && p.indexOf(':') != colon) {
                    throw badServer(p, "write an IPv6 address in brackets, e.g. [::1]:11211");
                }
                host = colon < 0 ? p : p.substring(0, colon);
                portText = colon < 0 ? null : p.substring(colon + 1);
            }
            if (host.isEmpty() || !host.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '/' && c != '?' && c != '@')) {
                throw badServer(p, "the host is empty or holds characters a host name cannot");
            }
            int port = KetamaRing.DEFAULT_PORT;
            if (portText != null) {
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    throw badServer(p, "the port '" + portText + "' is not a number");
                }
                if (port < 1 || port > 65535) {
                    throw badServer(p, "the port must be between 1 and 65535");
                }
            }
            HostPort hp = new HostPort(host, port);
            if (out.contains(hp)) {
                throw badServer(p, "it is listed twice");
            }
            out.add(hp);
        }
        return out;
    }

    private IllegalArgumentException badServer(String server, String problem) {
        return new IllegalArgumentException("cache '" + cacheName + "': memcached server '" + CacheConfig.redact("//" + server).substring(2) + "': " + problem);
    }

    private List<Integer> weights(CacheConfig config, int count) {
        String v = config.option("weights").orElse(null);
        List<Integer> out = new ArrayList<>();
        if (v == null) {
            for (int i = 0; i < count; i++) {
                out.add(1);
            }
            return out;
        }
        String[] parts = v.split(",", -1);
        if (parts.length != count) {
            throw new IllegalArgumentException(err("weights", v, "must list one weight per server (" + count
                    + " server" + (count == 1 ? "" : "s") + ", " + parts.length + " weight" + (parts.length == 1 ? "" : "s")
                    + "), in the order of the location, e.g. weights=3,1"));
        }
        for (String p : parts) {
            try {
                int w = Integer.parseInt(p.trim());
                if (w < 1 || w > 1_000_000) {
                    throw new NumberFormatException();
                }
                out.add(w);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(err("weights", v, "must be whole numbers from 1 to 1000000; '"
                        + p.trim() + "' is not"));
            }
        }
        return out;
    }

    private String err(String option, String value, String problem) {
        return "cache '" + cacheName + "': option " + option + "='" + value + "' " + problem;
    }

    @Override
    public String toString() {
        return "memcached " + labels() + String.format(Locale.ROOT, " (read_timeout %d ms)", readTimeout.toMillis());
    }
}
