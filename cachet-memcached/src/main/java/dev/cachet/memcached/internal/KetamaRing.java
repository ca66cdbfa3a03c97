package dev.cachet.memcached.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * libmemcached's weighted ketama continuum ({@code MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED} with
 * {@code MEMCACHED_DISTRIBUTION_CONSISTENT_KETAMA}), reproduced exactly so that a key lives on
 * the same server for cachet, libmemcached, pylibmc and php-memcached configured that way.
 *
 * <p>Each server gets {@code floor(weight / totalWeight * 160 / 4 * serverCount) * 4} points,
 * computed in single precision as libmemcached does. For each group of four points the MD5 of
 * {@code "host-N"} (port 11211) or {@code "host:port-N"} (any other port), N from 0, gives four
 * little-endian 32-bit points. A key hashes to the first four bytes of its MD5, little-endian,
 * and belongs to the server of the first point at or after its hash, wrapping to the first point.
 * Points are sorted by value, then by server index, as libmemcached's comparator does.
 *
 * <p>Immutable and thread-safe.
 */
public final class KetamaRing {
    static final int POINTS_PER_SERVER = 160;
    static final int DEFAULT_PORT = 11211;

    private final long[] points; // unsigned value << 20 | server index, sorted (positive longs)
    private final int[] values;
    private final int[] owners;
    private final int serverCount;

    /** A server on the ring: host as given, port, weight (at least 1). */
    public record Server(String host, int port, int weight) {
        /** libmemcached's name for point {@code n} of this server. */
        String pointName(int n) {
            return port == DEFAULT_PORT ? host + "-" + n : host + ":" + port + "-" + n;
        }
    }

    /** The ring of {@code servers}, in the given order (the index of a server is its position). */
    public KetamaRing(List<Server> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a ketama ring needs at least one server");
        }
        if (servers.size() > 0xfffff) {
            throw new IllegalArgumentException("too many servers for one ring: " + servers.size());
        }
        this.serverCount = servers.size();
        long totalWeight = 0;
        for (Server s : servers) {
            if (s.weight() < 1) {
                throw new IllegalArgumentException("server " + s.host() + ":" + s.port() + " has weight " + s.weight()
                        + "; weights must be at least 1");
            }
            totalWeight += s.weight();
        }
        int live = servers.size();
        long[] all = new long[live * POINTS_PER_SERVER * 2];
        int n = 0;
        MessageDigest md5 = md5();
        for (int index = 0; index < servers.size(); index++) {
            Server s = servers.get(index);
            float pct = (float) s.weight() / (float) totalWeight;
            int pointsForServer = (int) (Math.floor((float) (pct * POINTS_PER_SERVER / 4 * (float) live + 0.0000000001F)) * 4);
            for (int group = 0; group < pointsForServer / 4; group++) {
                byte[] d = md5.digest(s.pointName(group).getBytes(StandardCharsets.US_ASCII));
                for (int x = 0; x < 4; x++) {
                    if (n == all.length) {
                        all = Arrays.copyOf(all, all.length * 2);
                    }
                    all[n++] = (littleEndian(d, x * 4) << 20) | index;
                }
            }
        }
        this.points = Arrays.copyOf(all, n);
        Arrays.sort(points); // unsigned value first, then index: libmemcached's order
        this.values = new int[n];
        this.owners = new int[n];
        for (int i = 0; i < n; i++) {
            values[i] = (int) (points[i] >>> 20);
            owners[i] = (int) (points[i] & 0xfffff);
        }
    }

    /** How many servers the ring was built from. */
    public int serverCount() {
        return serverCount;
    }

    /** How many points the continuum holds. */
    int pointCount() {
        return points.length;
    }

    /** The ketama hash of a key: the first four bytes of its MD5, little-endian, unsigned. */
    public static long hash(byte[] key) {
        return littleEndian(md5().digest(key), 0);
    }

    /** The index of the server owning {@code key}'s bytes. */
    public int serverFor(byte[] key) {
        return owners[pointFor(hash(key))];
    }

    /**
     * The index of the first server at or after {@code key}'s point, walking clockwise, that
     * {@code usable} accepts; -1 when it accepts none.
     */
    public int serverFor(byte[] key, IntPredicate usable) {
        int start = pointFor(hash(key));
        int first = owners[start];
        if (usable.test(first)) {
            return first;
        }
        for (int i = 1; i < owners.length; i++) {
            int s = owners[(start + i) % owners.length];
            if (s != first && usable.test(s)) {
                return s;
            }
        }
        return -1;
    }

    /** The continuum point (its unsigned value) a hash lands on. */
    long pointValueFor(long hash) {
        return Integer.toUnsignedLong(values[pointFor(hash)]);
    }

    /** The position of the first point whose value is at or above {@code hash}, wrapping to 0. */
    private int pointFor(long hash) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.toUnsignedLong(values[mid]) < hash) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == values.length ? 0 : lo;
    }

    /** The server index of the first continuum point (where hashes past the last point wrap to). */
    int firstPointServer() {
        return owners[0];
    }

    private static long littleEndian(byte[] d, int at) {
        return (d[at] & 0xffL) | (d[at + 1] & 0xffL) << 8 | (d[at + 2] & 0xffL) << 16 | (d[at + 3] & 0xffL) << 24;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
