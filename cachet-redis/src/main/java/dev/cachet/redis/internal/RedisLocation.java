package dev.cachet.redis.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Redis location, parsed: {@code redis://[[user]:password@]host[:port][/db]},
 * {@code rediss://...} (TLS), or {@code redis-cluster://[[user]:password@]h1[:p1],h2[:p2]...}
 * and {@code rediss-cluster://...} for a cluster given by its seed nodes. Hosts may be names,
 * IPv4 or bracketed IPv6 addresses ({@code [::1]:6379}); the port defaults to 6379; user and
 * password are percent-decoded. Immutable.
 *
 * @param cluster   true for a cluster location (seeds may be several; the database is 0)
 * @param tls       true for {@code rediss} schemes
 * @param seeds     the host and port of each node given (one for a standalone server)
 * @param database  the database index (0 when not given; always 0 for a cluster)
 * @param user      the ACL user name, or null
 * @param password  the password, or null
 */
public record RedisLocation(boolean cluster, boolean tls, List<HostAndPort> seeds, int database, String user,
        String password) {
    /** The port when a location gives none. */
    public static final int DEFAULT_PORT = 6379;

    /** One node's address. */
    public record HostAndPort(String host, int port) {
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The schemes this parser understands. */
    public static final List<String> SCHEMES = List.of("redis", "rediss", "redis-cluster", "rediss-cluster");

    /**
     * Parses {@code scheme:target} as {@link dev.cachet.CacheConfig} splits a location.
     *
     * @throws IllegalArgumentException naming the cache, the location and what is wrong
     */
    public static RedisLocation parse(String cacheName, String scheme, String target) {
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(s)) {
            throw bad(cacheName, scheme, target, "the scheme must be one of " + SCHEMES);
        }
        boolean cluster = s.endsWith("-cluster");
        boolean tls = s.startsWith("rediss");
        if (!target.startsWith("//")) {
            throw bad(cacheName, scheme, target, "expected " + scheme + "://host:port" + (cluster ? ",host:port" : "/db"));
        }
        String rest = target.substring(2);
        String user = null;
        String password = null;
        // user information ends at the last '@' (hosts and db numbers hold none), so an unencoded
        // '/' or '@' in a password does not cut it short
        int at = rest.lastIndexOf('@');
        String info = at < 0 ? null : rest.substring(0, at);
        rest = rest.substring(at + 1);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (info != null) {
            int colon = info.indexOf(':');
            try {
                if (colon < 0) {
                    // redis://secret@host, as Lettuce and redis-py read it: the password alone
                    password = decode(info);
                } else {
                    user = colon == 0 ? null : decode(info.substring(0, colon));
                    password = decode(info.substring(colon + 1));
                }
            } catch (IllegalArgumentException e) {
                throw bad(cacheName, scheme, target, "the user or password holds a '%' that is not an escape"
                        + " (percent-encode '%' as %25)");
            }
        }
        List<HostAndPort> seeds = new ArrayList<>();
        for (String node : authority.split(",", -1)) {
            seeds.add(hostAndPort(cacheName, scheme, target, node.trim()));
        }
        if (!cluster && seeds.size() > 1) {
            throw bad(cacheName, scheme, target, "a " + scheme + ": location names one server; for a cluster's seed nodes write "
                    + scheme + "-cluster://" + authority);
        }
        int database = 0;
        if (!path.isEmpty()) {
            try {
                database = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                database = -1;
            }
            if (database < 0) {
                throw bad(cacheName, scheme, target, "the database '" + path + "' must be a number (0, 1, ...)");
            }
            if (cluster && database != 0) {
                throw bad(cacheName, scheme, target, "a Redis cluster has database 0 only");
            }
        }
        return new RedisLocation(cluster, tls, List.copyOf(seeds), database, user, password);
    }

    private static HostAndPort hostAndPort(String cacheName, String scheme, String target, String node) {
        if (node.isEmpty()) {
            throw bad(cacheName, scheme, target, "a host is missing");
        }
        String host;
        String port = null;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            if (close < 0) {
                throw bad(cacheName, scheme, target, "'" + node + "' opens an IPv6 address with [ but does not close it");
            }
            host = node.substring(1, close);
            String after = node.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(cacheName, scheme, target, "'" + node + "' is not [address]:port");
                }
                port = after.substring(1);
            }
        } else {
            int colon = node.lastIndexOf(':');
            host = colon < 0 ? node : node.substring(0, colon);
            port = colon < 0 ? null : node.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw bad(cacheName, scheme, target, "write an IPv6 address in brackets: [" + host + "]:port");
            }
        }
        if (host.isEmpty()) {
            throw bad(cacheName, scheme, target, "a host is missing in '" + node + "'");
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw bad(cacheName, scheme, target, "port '" + port + "' of '" + node + "' must be a number from 1 to 65535");
            }
        }
        return new HostAndPort(host, p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String cacheName, String scheme, String target, String problem) {
        // the problem may quote a piece of the location (a port, a host): mask the password wherever it shows
        return new IllegalArgumentException(dev.cachet.spi.Secrets.ofLocation(scheme + ":" + target).scrub("cache '"
                + cacheName + "': location '" + redact(scheme + ":" + target) + "' is not a Redis location: " + problem)
                + " (forms: redis://[[user]:password@]host[:port][/db],"
                + " rediss://..., redis-cluster://host:port,host:port, rediss-cluster://...)");
    }

    /** {@code location} with any password masked, for messages and logs ({@link dev.cachet.CacheConfig#redact}). */
    public static String redact(String location) {
        return dev.cachet.CacheConfig.redact(location);
    }

    /** How messages name the server(s): {@code redis://host:port/db} or {@code redis-cluster://h1:p1,h2:p2}, no password. */
    public String describe() {
        StringBuilder sb = new StringBuilder(tls ? "rediss" : "redis").append(cluster ? "-cluster://" : "://");
        for (int i = 0; i < seeds.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(seeds.get(i));
        }
        if (!cluster) {
            sb.append('/').append(database);
        }
        return sb.toString();
    }

    /** {@link #describe()}, with the user but never the password. */
    @Override
    public String toString() {
        return "RedisLocation[" + describe() + (user == null ? "" : " user " + user) + (password == null ? "" : " password ***") + "]";
    }
}
