package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.Timeout;
import dev.cachet.spi.LeaseRead;
import dev.cachet.spi.Leases;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.testkit.Servers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to memcached, against a private memcached: keys memcached cannot take
 * verbatim, expiry as memcached receives it, incr, the namespace generation behind clear,
 * values of any size and chunks that go missing, the item size limit, the stampede-protection
 * leases, and the checking of locations and options.
 */
class MemcachedBackendTest {
    private static Servers.Memcached server;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void startServer() {
        server = Servers.startMemcached();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void uniquePrefix() {
        prefix = "mbt" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private String location() {
        return "memcached://" + server.address();
    }

    private Cache open(String options) {
        return open(location(), options);
    }

    private Cache open(String location, String options) {
        Cache c = Caches.open(CacheConfig.builder(location + (options.isEmpty() ? "" : "?" + options))
                .option("key_prefix", prefix).build());
        opened.add(c);
        return c;
    }

    private Store store(String options) {
        Store s = new MemcachedBackendProvider().open(CacheConfig.builder(location()
                + (options.isEmpty() ? "" : "?" + options)).option("key_prefix", prefix).build());
        opened.add(s);
        return s;
    }

    private RawMemcached raw() {
        RawMemcached r = new RawMemcached(server.host(), server.port());
        opened.add(r);
        return r;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The keys memcached holds that start with {@code start} (from {@code lru_crawler metadump}). */
    private List<String> keysStartingWith(String start) {
        List<String> keys = new ArrayList<>();
        for (String line : raw().linesUntil("lru_crawler metadump all", "END")) {
            String k = URLDecoder.decode(line.substring(4, line.indexOf(' ')), StandardCharsets.UTF_8);
            if (k.startsWith(start)) {
                keys.add(k);
            }
        }
        return keys;
    }

    // ---- keys ----

    @Test
    void keysMemcachedCannotTakeVerbatimRoundTripAndNeverReachTheCommandLine() {
        Store s = store("");
        long never = Store.NEVER;
        s.put("canary", "alive".getBytes(StandardCharsets.US_ASCII), never, PutMode.SET);
        List<String> nasty = List.of("a\r\nflush_all\r\n", "sp ace", "tab\tkey", "ключ-日本", "x".repeat(400),
                "é".repeat(200), "mn\r\nms evil 1 T0\r\nx", "");
        for (String k : nasty) {
            byte[] v = ("value of " + k).getBytes(StandardCharsets.UTF_8);
            assertThat(s.put(k, v, never, PutMode.SET)).as("set of %s", k).isTrue();
            assertThat(s.get(k)).as("get of %s", k).isEqualTo(v);
        }
        assertThat(s.getMany(nasty)).hasSize(nasty.size());
        assertThat(s.get("canary")).isEqualTo("alive".getBytes(StandardCharsets.US_ASCII));
        assertThat(raw().line("mg evil v")).isEqualTo("EN");
        assertThat(s.deleteMany(nasty)).isEqualTo(nasty.size());
    }

    @Test
    void nonAsciiKeysAtTheBase64LengthLimitNeverLetAValueReachTheCommandLine() {
        Store s = store("flush_on_clear=true"); // no namespace generation: the stored key is the whole key
        long never = Store.NEVER;
        s.put("canary", "alive".getBytes(StandardCharsets.US_ASCII), never, PutMode.SET);
        byte[] evil = "x\r\nflush_all\r\nms evil 1 T0\r\ny".getBytes(StandardCharsets.US_ASCII);
        for (int bytes = 180; bytes <= 192; bytes++) {
            // one 2-byte character, the rest ASCII: base64 up to 186 bytes, hashed beyond
            String k = "é" + "k".repeat(bytes - 2);
            assertThat(k.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
            assertThat(s.put(k, evil, never, PutMode.SET)).as("set of a %d-byte key", bytes).isTrue();
            assertThat(s.get(k)).as("get of a %d-byte key", bytes).isEqualTo(evil);
        }
        assertThat(s.get("canary")).as("no flush_all ran").isEqualTo("alive".getBytes(StandardCharsets.US_ASCII));
        assertThat(raw().line("mg evil v")).isEqualTo("EN");
    }

    // ---- expiry as memcached sees it ----

    @Test
    void timeoutsReachMemcachedAsTtlsAbsoluteTimePast30DaysAndZeroForNever() {
        Cache c = open("flush_on_clear=true"); // no namespace generation: the stored key is the memcached key
        c.set("near", "v", Duration.ofSeconds(10));
        c.set("far", "v", Duration.ofDays(60));
        c.set("never", "v", Timeout.FOREVER);
        RawMemcached r = raw();
        long near = ttl(r.line("mg " + prefix + ":1:near t"));
        long far = ttl(r.line("mg " + prefix + ":1:far t"));
        assertThat(near).as("10 s sent one second long").isBetween(10L, 12L);
        assertThat(far).as("60 days sent as absolute unix time, still 60 days away").isBetween(60L * 86400 - 5, 60L * 86400 + 2);
        assertThat(r.line("mg " + prefix + ":1:never t")).isEqualTo("HD t-1");
        assertThat(c.get("far")).isEqualTo("v");
    }

    private static long ttl(String reply) {
        assertThat(reply).startsWith("HD t");
        return Long.parseLong(reply.substring(4));
    }

    @Test
    void incrKeepsTheTtlAndAMissingKeyIsNotCreated() {
        Cache c = open("flush_on_clear=true");
        c.set("n", 41, Duration.ofSeconds(100));
        assertThat(c.incr("n")).isEqualTo(42);
        assertThat(c.decr("n", 50)).isEqualTo(-8);
        assertThat(c.incr("n", 10)).isEqualTo(2);
        assertThat(ttl(raw().line("mg " + prefix + ":1:n t"))).isBetween(95L, 101L);
        assertThat(c.get("n")).isEqualTo(2L);
        assertThatThrownBy(() -> c.incr("missing")).isInstanceOf(NoSuchElementException.class);
        assertThat(raw().line("mg " + prefix + ":1:missing v")).isEqualTo("EN");
    }

    // ---- clear ----

    @Test
    void clearEmptiesThisCacheOnlyAndOtherProcessesSeeItWithinTheRefresh() {
        Cache mine = open("generation_refresh=300ms");
        Cache twin = open("generation_refresh=300ms");
        Cache strict = open("generation_refresh=0");
        String otherPrefix = prefix + "-other";
        Cache other = Caches.open(CacheConfig.builder(location()).option("key_prefix", otherPrefix).build());
        opened.add(other);
        mine.set("k", "v");
        other.set("k", "theirs");
        assertThat(twin.get("k")).isEqualTo("v");
        assertThat(strict.get("k")).isEqualTo("v");
        long cleared = System.nanoTime();
        mine.clear();
        assertThat(mine.get("k")).as("the clearing instance sees it at once").isNull();
        assertThat(strict.get("k")).as("generation_refresh=0 sees it at once").isNull();
        Eventually.await(() -> twin.get("k") == null, Duration.ofSeconds(5), "the twin to see the clear");
        assertThat(Duration.ofNanos(System.nanoTime() - cleared)).isLessThan(Duration.ofMillis(300 + 700));
        assertThat(other.get("k")).as("another prefix keeps its keys").isEqualTo("theirs");
        assertThat(mine.add("k", "again")).isTrue();
        assertThat(twin.get("k")).isEqualTo("again");
    }

    @Test
    void aLostGenerationCounterStartsAFreshGenerationAndNeverResurrectsClearedEntries() {
        Cache c = open("generation_refresh=0");
        c.set("k", "before");
        c.clear();
        c.set("k", "after");
        assertThat(raw().line("md @gen:" + prefix)).isEqualTo("HD"); // as if evicted
        assertThat(c.get("k")).as("a fresh random generation: a miss, not 'before'").isNull();
        c.set("k", "fresh");
        assertThat(c.get("k")).isEqualTo("fresh");
    }

    @Test
    void flushOnClearEmptiesTheWholeServer() {
        try (Servers.Memcached own = Servers.startMemcached()) {
            String loc = "memcached://" + own.address();
            Cache c = open(loc, "flush_on_clear=true");
            try (RawMemcached r = new RawMemcached(own.host(), own.port())) {
                assertThat(r.set("foreign", "x".getBytes(StandardCharsets.US_ASCII), "T0")).isEqualTo("HD");
                c.set("k", "v");
                c.clear();
                assertThat(c.get("k")).isNull();
                assertThat(r.line("mg foreign v")).as("flush_all empties the whole server").isEqualTo("EN");
            }
        }
    }

    /** The contract suite checks the caches' entries; here, items no cache wrote go too. */
    @Test
    void clearWithACustomKeyFunctionFlushesTheServer() {
        try (Servers.Memcached own = Servers.startMemcached();
                RawMemcached r = new RawMemcached(own.host(), own.port())) {
            String loc = "memcached://" + own.address();
            Cache prefixed = open(loc, "");
            Cache custom = Caches.open(CacheConfig.builder(loc).keyFunction((key, p, version) -> "custom/" + key).build());
            opened.add(custom);
            assertThat(r.set("foreign", "x".getBytes(StandardCharsets.US_ASCII), "T0")).isEqualTo("HD");
            prefixed.set("k", 1);
            custom.set("k", 2);
            prefixed.clear();
            assertThat(prefixed.get("k")).isNull();
            assertThat(custom.get("k")).isEqualTo(2L);
            assertThat(r.line("mg foreign")).as("a prefix's clear bumps its generation alone").isEqualTo("HD");
            custom.clear();
            assertThat(custom.get("k")).isNull();
            assertThat(r.line("mg foreign")).as("flush_all empties the whole server").isEqualTo("EN");
            assertThat(prefixed.add("k", 3)).isTrue();
            assertThat(prefixed.get("k")).isEqualTo(3L);
        }
    }

    // ---- values of any size ----

    @Test
    void aTenMegabyteValueRoundTrips() {
        Cache c = open("");
        byte[] big = random(10 << 20, 1);
        assertThat(c.set("big", big)).isTrue();
        assertThat((byte[]) c.get("big")).isEqualTo(big);
        assertThat(c.getMany(List.of("big", "none"))).containsOnlyKeys("big");
        assertThat(c.touch("big", Timeout.of(Duration.ofMinutes(5)))).isTrue();
        assertThat((byte[]) c.get("big")).isEqualTo(big);
    }

    @Test
    void aChunkOverwrittenOrEvictedReadsAsAMissNeverAsCorruptData() {
        Cache c = open("flush_on_clear=true&compression=none");
        byte[] big = random(3 << 20, 2);
        c.set("big", big);
        List<String> pieces = keysStartingWith(prefix + ":~");
        assertThat(pieces).as("the value went in pieces").hasSizeGreaterThanOrEqualTo(3);
        RawMemcached r = raw();
        String piece = pieces.get(1);
        assertThat(r.line("mg " + piece + " s")).startsWith("HD s");
        assertThat(r.set(piece, random(1000, 3), "T0")).isEqualTo("HD"); // overwritten with other bytes
        assertThat(c.get("big")).as("an overwritten piece").isNull();

        c.set("big", big);
        List<String> again = keysStartingWith(prefix + ":~");
        again.removeAll(pieces);
        assertThat(again).hasSizeGreaterThanOrEqualTo(3);
        assertThat(r.line("md " + again.get(0))).isEqualTo("HD"); // as if evicted
        assertThat(c.get("big")).as("an evicted piece").isNull();
        assertThat(c.getMany(List.of("big"))).isEmpty();
    }

    @Test
    void concurrentOverwritesOfALargeValueNeverReadMixedPieces() throws Exception {
        Cache c = open("compression=none");
        byte[] a = random(2_500_000, 4);
        byte[] b = random(2_500_000, 5);
        c.set("big", a);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 12; i++) {
                    c.set("big", i % 2 == 0 ? b : a);
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                stop.set(true);
            }
        });
        writer.start();
        int reads = 0;
        int hits = 0;
        while (!stop.get() || reads < 5) {
            byte[] got = (byte[]) c.get("big");
            reads++;
            if (got != null) {
                hits++;
                assertThat(Arrays.equals(got, a) || Arrays.equals(got, b)).as("read %d is one whole value", reads).isTrue();
            }
        }
        writer.join();
        assertThat(failure.get()).isNull();
        assertThat(hits).isPositive();
    }

    @Test
    void itemSizeMaxMatchesTheServersLimit() {
        try (Servers.Memcached twoMeg = Servers.startMemcached(List.of("-I", "2m"))) {
            String loc = "memcached://" + twoMeg.address();
            Store s = new MemcachedBackendProvider().open(CacheConfig.builder(loc + "?item_size_max=2m")
                    .option("key_prefix", prefix).build());
            opened.add(s);
            assertThat(s.capabilities().maxItemBytes()).isEqualTo((2 << 20) - 512);
            Cache c = open(loc, "item_size_max=2m&compression=none&flush_on_clear=true");
            byte[] v = random(1_500_000, 6);
            assertThat(c.set("v", v)).isTrue();
            assertThat((byte[]) c.get("v")).isEqualTo(v);
            try (RawMemcached r = new RawMemcached(twoMeg.host(), twoMeg.port())) {
                assertThat(r.line("mg " + prefix + ":1:v s")).as("stored as one item").startsWith("HD s");
            }
        }
    }

    @Test
    void anItemSizeMaxAboveTheServersLimitFailsLoudlyNamingIt() {
        Cache raise = open("item_size_max=2m&compression=none");
        byte[] v = random(1_500_000, 7);
        assertThatThrownBy(() -> raise.set("v", v)).isInstanceOf(CacheException.class)
                .hasMessageContaining("too large").hasMessageContaining("-I");
        // the core's message counts what was stored and repeats the server's refusal
        assertThatThrownBy(() -> raise.setMany(Map.of("v", v, "small", "s"))).isInstanceOf(CacheException.class)
                .hasMessageContaining("1 key failed").hasMessageContaining("too large").hasMessageContaining("-I");
        assertThat(raise.get("small")).as("the other value of the set_many is stored").isEqualTo("s");
        Cache degrade = open("item_size_max=2m&compression=none&on_error=degrade");
        assertThat(degrade.set("v", v)).isFalse();
        assertThat(degrade.setMany(Map.of("v", v, "small", "s"))).containsExactly("v");
        assertThat(degrade.get("small")).isEqualTo("s");
    }

    // ---- stampede protection ----

    @Test
    void leasesLetOneCallerRecomputeAndServeStaleAfterInvalidation() {
        Store plain = store("");
        assertThat(plain.capabilities().leases()).isTrue();
        Leases s = plain.leases().orElseThrow();
        long lease = System.currentTimeMillis() + 30_000;
        LeaseRead first = s.readOrLease("hot", lease);
        assertThat(first.hasValue()).isFalse();
        assertThat(first.won()).isTrue();
        LeaseRead second = s.readOrLease("hot", lease);
        assertThat(second.won()).isFalse();
        assertThat(second.leasedElsewhere()).isTrue();
        assertThat(plain.get("hot")).as("a placeholder is a miss for plain reads").isNull();
        assertThat(plain.has("hot")).as("and for has_key, which reads no value").isFalse();
        assertThat(plain.getMany(List.of("hot"))).isEmpty();
        byte[] v = "computed".getBytes(StandardCharsets.US_ASCII);
        assertThat(s.fillLease("hot", v, System.currentTimeMillis() + 60_000, first.cas())).isTrue();
        assertThat(s.fillLease("hot", v, System.currentTimeMillis() + 60_000, first.cas()))
                .as("a second fill with the old CAS loses").isFalse();
        LeaseRead hit = s.readOrLease("hot", lease);
        assertThat(hit.value()).isEqualTo(v);
        assertThat(hit.won() || hit.stale() || hit.leasedElsewhere()).isFalse();

        assertThat(s.invalidate("hot", System.currentTimeMillis() + 30_000)).isTrue();
        LeaseRead stale = s.readOrLease("hot", lease);
        assertThat(stale.value()).isEqualTo(v);
        assertThat(stale.stale()).isTrue();
        assertThat(stale.won()).isTrue();
        LeaseRead staleAgain = s.readOrLease("hot", lease);
        assertThat(staleAgain.stale()).isTrue();
        assertThat(staleAgain.leasedElsewhere()).isTrue();
        assertThat(plain.get("hot")).as("a stale value is a miss for plain reads").isNull();
        assertThat(plain.has("hot")).isFalse();
        byte[] fresh = "recomputed".getBytes(StandardCharsets.US_ASCII);
        assertThat(s.fillLease("hot", fresh, System.currentTimeMillis() + 60_000, stale.cas())).isTrue();
        assertThat(plain.get("hot")).isEqualTo(fresh);
        assertThat(s.invalidate("absent", System.currentTimeMillis() + 1000)).isFalse();
    }

    // ---- configuration ----

    @Test
    void badLocationsAndOptionsAreRefusedNamingTheProblem() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("memcached:", "must look like memcached://host:11211");
        cases.put("memcached://", "names no server");
        cases.put("memcached://a:11211,,b", "empty server");
        cases.put("memcached://a:port", "'port' is not a number");
        cases.put("memcached://a:70000", "between 1 and 65535");
        cases.put("memcached://::1:11211", "IPv6 address in brackets");
        cases.put("memcached://a,a", "listed twice");
        cases.put("memcached://a,b?weights=1", "one weight per server (2 servers, 1 weight)");
        cases.put("memcached://a,b?weights=1,x", "'x' is not");
        cases.put("memcached://a?weights=0", "from 1 to 1000000");
        cases.put("memcached://a?read_timeout=soon", "option read_timeout='soon'");
        cases.put("memcached://a?connect_timeout=0", "option connect_timeout='0' must be positive");
        cases.put("memcached://a?transport=carrier-pigeon", "option transport='carrier-pigeon' must be one of [blocking, pipelined]");
        cases.put("memcached://a?max_connections=0", "option max_connections='0'");
        cases.put("memcached://a?generation_refresh=-1s", "option generation_refresh='-1s' must be positive");
        cases.put("memcached://a?failure_limit=0", "failure_limit");
        cases.put("memcached://a?item_size_max=100", "between 1k and 1g");
        cases.put("memcached://a?max_item_bytes=1m", "must leave room for memcached's item header");
        cases.put("memcached://a?flush_on_clear=maybe", "true or false");
        cases.put("memcached://a?conections_per_node=2", "unknown option");
        cases.forEach((loc, message) -> assertThatThrownBy(() -> Caches.open(loc))
                .as(loc).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message));
    }

    @Test
    void maxEntriesIsRefusedAsAnOptionMemcachedWouldIgnoreListingTheOptionsItUses() {
        for (String option : List.of("max_entries=1000", "cull_frequency=2")) {
            assertThatThrownBy(() -> Caches.open(location() + "?" + option)).as(option)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("option [" + option.substring(0, option.indexOf('=')) + "] is not used by memcached")
                    .hasMessageContaining("generation_refresh").hasMessageContaining("flush_on_clear");
        }
    }

    @Test
    void locationFormsParse() {
        for (String loc : List.of("memcached://" + server.address(), "memcached://" + server.address() + "/",
                "memcached://127.0.0.1:" + server.port() + "?weights=3", "memcached://[127.0.0.1]:" + server.port())) {
            Cache c = open(loc, "");
            assertThat(c.set("k", "v")).isTrue();
            assertThat(c.get("k")).isEqualTo("v");
        }
    }
}
