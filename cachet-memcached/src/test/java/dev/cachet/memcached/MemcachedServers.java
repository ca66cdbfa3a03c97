package dev.cachet.memcached;

import dev.cachet.testkit.Servers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The memcached processes the module's tests share: one single server and one 3-node cluster,
 * started on free loopback ports on first use and killed when the test JVM exits. Tests that
 * stop or restart servers start their own.
 */
public final class MemcachedServers {
    private static Servers.Memcached single;
    private static List<Servers.Memcached> cluster;

    private MemcachedServers() {
    }

    /** {@code memcached://127.0.0.1:<port>} of the shared single server. */
    public static synchronized String singleLocation() {
        if (single == null) {
            single = Servers.startMemcached();
            Runtime.getRuntime().addShutdownHook(new Thread(single::close));
        }
        return "memcached://" + single.address();
    }

    /** {@code memcached://a,b,c} of the shared 3-node cluster. */
    public static synchronized String clusterLocation() {
        if (cluster == null) {
            List<Servers.Memcached> started = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Servers.Memcached m = Servers.startMemcached();
                started.add(m);
                Runtime.getRuntime().addShutdownHook(new Thread(m::close));
            }
            cluster = started;
        }
        return location(cluster);
    }

    /** {@code memcached://} and the addresses of {@code servers}. */
    public static String location(List<Servers.Memcached> servers) {
        return "memcached://" + servers.stream().map(Servers.Memcached::address).collect(Collectors.joining(","));
    }
}
