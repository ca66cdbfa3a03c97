package dev.cachet.memcached.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ring against libmemcached's own weighted-ketama vectors (99 keys on 8 weighted servers:
 * each key's hash, the continuum point it lands on, and its server), plus the wraparound case
 * libmemcached tests, the point naming for ports other than 11211, and how keys move when a
 * server joins.
 */
class KetamaRingTest {
    private static final List<KetamaRing.Server> LIBMEMCACHED_SERVERS = List.of(
            new KetamaRing.Server("10.0.1.1", 11211, 600), new KetamaRing.Server("10.0.1.2", 11211, 300),
            new KetamaRing.Server("10.0.1.3", 11211, 200), new KetamaRing.Server("10.0.1.4", 11211, 350),
            new KetamaRing.Server("10.0.1.5", 11211, 1000), new KetamaRing.Server("10.0.1.6", 11211, 800),
            new KetamaRing.Server("10.0.1.7", 11211, 950), new KetamaRing.Server("10.0.1.8", 11211, 100));

    private record Vector(String key, long hash, long point, String server) {
    }

    private static List<Vector> vectors() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                KetamaRingTest.class.getResourceAsStream("libmemcached-ketama-vectors.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t");
                out.add(new Vector(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), f[3]));
            }
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void everyLibmemcachedVectorHashesLandsAndMapsAsLibmemcached() throws IOException {
        KetamaRing ring = new KetamaRing(LIBMEMCACHED_SERVERS);
        List<Vector> vectors = vectors();
        assertThat(vectors).hasSize(99);
        for (Vector v : vectors) {
            long hash = KetamaRing.hash(ascii(v.key));
            assertThat(hash).as("hash of %s", v.key).isEqualTo(v.hash);
            assertThat(ring.pointValueFor(hash)).as("continuum point of %s", v.key).isEqualTo(v.point);
            assertThat(LIBMEMCACHED_SERVERS.get(ring.serverFor(ascii(v.key))).host()).as("server of %s", v.key)
                    .isEqualTo(v.server);
        }
    }

    @Test
    void aHashPastTheLastPointWrapsToTheFirst() {
        KetamaRing ring = new KetamaRing(LIBMEMCACHED_SERVERS);
        assertThat(KetamaRing.hash(ascii("VDEAAAAA"))).isEqualTo(0xfffcd1b5L);
        assertThat(ring.serverFor(ascii("VDEAAAAA"))).isEqualTo(ring.firstPointServer());
    }

    @Test
    void weightsScaleThePointsAsLibmemcachedDoes() {
        // floor(weight / 4300 * 160 / 4 * 8) * 4 points per server: 600 -> 176, 100 -> 28 ...
        KetamaRing ring = new KetamaRing(LIBMEMCACHED_SERVERS);
        assertThat(ring.pointCount()).isEqualTo(176 + 88 + 56 + 104 + 296 + 236 + 280 + 28);
        KetamaRing equal = new KetamaRing(List.of(new KetamaRing.Server("a", 11211, 1),
                new KetamaRing.Server("b", 11211, 1), new KetamaRing.Server("c", 11211, 1)));
        assertThat(equal.pointCount()).isEqualTo(3 * 160);
    }

    @Test
    void aPortOtherThan11211IsPartOfThePointNames() throws Exception {
        KetamaRing.Server s = new KetamaRing.Server("127.0.0.1", 11212, 1);
        assertThat(s.pointName(7)).isEqualTo("127.0.0.1:11212-7");
        assertThat(new KetamaRing.Server("127.0.0.1", 11211, 1).pointName(7)).isEqualTo("127.0.0.1-7");
        // a one-server ring holds exactly the 4 x 40 little-endian words of MD5("host:port-N")
        KetamaRing ring = new KetamaRing(List.of(s));
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        List<Long> expected = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            byte[] d = md5.digest(ascii("127.0.0.1:11212-" + n));
            for (int x = 0; x < 4; x++) {
                expected.add((d[4 * x] & 0xffL) | (d[4 * x + 1] & 0xffL) << 8 | (d[4 * x + 2] & 0xffL) << 16
                        | (d[4 * x + 3] & 0xffL) << 24);
            }
        }
        expected.sort(Long::compare);
        for (long p : expected) {
            assertThat(ring.pointValueFor(p)).isEqualTo(p);
        }
        assertThat(ring.pointCount()).isEqualTo(160);
    }

    @Test
    void addingAServerMovesOnlyAboutItsShareOfKeys() {
        List<KetamaRing.Server> three = List.of(new KetamaRing.Server("10.0.0.1", 11211, 1),
                new KetamaRing.Server("10.0.0.2", 11211, 1), new KetamaRing.Server("10.0.0.3", 11211, 1));
        List<KetamaRing.Server> four = new ArrayList<>(three);
        four.add(new KetamaRing.Server("10.0.0.4", 11211, 1));
        KetamaRing before = new KetamaRing(three);
        KetamaRing after = new KetamaRing(four);
        int moved = 0;
        int keys = 20_000;
        Map<Integer, Integer> load = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            byte[] k = ascii("key:" + i);
            int a = before.serverFor(k);
            int b = after.serverFor(k);
            load.merge(a, 1, Integer::sum);
            if (a != b) {
                moved++;
                assertThat(b).as("a moved key goes to the new server").isEqualTo(3);
            }
        }
        assertThat(moved).isBetween(keys / 4 - keys / 10, keys / 4 + keys / 10);
        assertThat(load.values()).allSatisfy(n -> assertThat(n).isBetween(keys / 3 - keys / 10, keys / 3 + keys / 10));
    }

    @Test
    void skippingDownServersWalksToTheNextServerOnTheRing() {
        KetamaRing ring = new KetamaRing(LIBMEMCACHED_SERVERS);
        for (int i = 0; i < 1000; i++) {
            byte[] k = ascii("k" + i);
            int owner = ring.serverFor(k);
            int next = ring.serverFor(k, s -> s != owner);
            assertThat(next).isNotEqualTo(owner).isBetween(0, 7);
            assertThat(ring.serverFor(k, s -> true)).isEqualTo(owner);
        }
        assertThat(ring.serverFor(ascii("x"), s -> false)).isEqualTo(-1);
    }

    @Test
    void aWeightBelowOneIsRefused() {
        assertThatThrownBy(() -> new KetamaRing(List.of(new KetamaRing.Server("a", 1, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight 0");
        assertThatThrownBy(() -> new KetamaRing(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
