package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.memcached.internal.KetamaRing;
import dev.cachet.testkit.Servers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One of three real memcached servers stops answering mid-load, frozen (SIGSTOP) or killed:
 * callers see misses ({@code on_error=degrade}) or errors ({@code raise}) for its keys and hits
 * for the others, no call takes longer than the timeouts allow, nothing hangs, the node is
 * marked down so that its keys fail at once, and when the server answers again (SIGCONT, or a
 * restart) the node is used again without any help. Runs on the default blocking transport;
 * {@link PipelinedNodeFailureTest} runs it all again on the pipelined one.
 */
class NodeFailureTest {
    private static final Duration READ_TIMEOUT = Duration.ofMillis(300);
    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);
    /** The longest a call may take: a connect and a read timeout, plus scheduling on a busy 2-core box. */
    private static final Duration BOUND = CONNECT_TIMEOUT.plus(READ_TIMEOUT).plusMillis(700);

    /** A call that failed fast: well under a read timeout, with room for a busy 2-core machine. */
    private static final long FAST_MILLIS = READ_TIMEOUT.toMillis() / 2;

    private final List<Servers.Memcached> servers = new ArrayList<>();
    private final List<Cache> caches = new ArrayList<>();
    private KetamaRing ring;
    private String prefix;

    @BeforeEach
    void startCluster() {
        for (int i = 0; i < 3; i++) {
            servers.add(Servers.startMemcached());
        }
        List<KetamaRing.Server> ringServers = new ArrayList<>();
        for (Servers.Memcached m : servers) {
            ringServers.add(new KetamaRing.Server(m.host(), m.port(), 1));
        }
        ring = new KetamaRing(ringServers);
        prefix = "nf" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    @AfterEach
    void stopCluster() {
        for (Cache c : caches) {
            c.close();
        }
        for (Servers.Memcached m : servers) {
            if (m.isAlive()) {
                m.resume();
            }
            m.close();
        }
    }

    /** The {@code transport} option's value under test. */
    String transport() {
        return "blocking";
    }

    private Cache open(String onError, String extra) {
        // flush_on_clear: no namespace generation, so the memcached key is prefix:1:key and the
        // test can tell which server owns a key; the generation counter's node is not in the way
        String options = "read_timeout=" + READ_TIMEOUT.toMillis() + "ms&connect_timeout=" + CONNECT_TIMEOUT.toMillis()
                + "ms&write_timeout=300ms&failure_limit=3&retry_interval=100ms&flush_on_clear=true&on_error=" + onError + extra
                + "&transport=" + transport();
        Cache c = Caches.open(CacheConfig.builder(MemcachedServers.location(servers) + "?" + options)
                .option("key_prefix", prefix).build());
        caches.add(c);
        return c;
    }

    private int owner(String key) {
        return ring.serverFor((prefix + ":1:" + key).getBytes(StandardCharsets.US_ASCII));
    }

    /** 300 keys, and which of them the victim owns. */
    private List<String> keysOf(int server, List<String> all) {
        return all.stream().filter(k -> owner(k) == server).toList();
    }

    private static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            out.add("key" + i);
        }
        return out;
    }

    /**
     * Runs gets and sets on random keys in two threads until stopped, and in a third sets
     * versioned values ({@code ver<i>} to {@code v<version>}, each key's versions rising) and
     * records each key's last acknowledged version; records the slowest call.
     */
    private static final class Load implements AutoCloseable {
        static final int VERSIONED_KEYS = 60;
        final java.util.concurrent.atomic.AtomicLongArray acked = new java.util.concurrent.atomic.AtomicLongArray(VERSIONED_KEYS);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong slowestNanos = new AtomicLong();
        final AtomicLong calls = new AtomicLong();
        final AtomicReference<Throwable> unexpected = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();

        Load(Cache cache, List<String> keys) {
            for (int t = 0; t < 2; t++) {
                Thread th = new Thread(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        String k = keys.get(r.nextInt(keys.size()));
                        long start = System.nanoTime();
                        try {
                            if (r.nextBoolean()) {
                                cache.get(k);
                            } else {
                                cache.set(k, "v-" + k);
                            }
                        } catch (CacheException e) {
                            // raise policy: an error is an expected outcome
                        } catch (Throwable e) {
                            unexpected.set(e);
                        }
                        slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        calls.incrementAndGet();
                    }
                });
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            Thread versioned = new Thread(() -> {
                long version = 0;
                while (!stop.get()) {
                    version++;
                    int i = (int) (version % VERSIONED_KEYS);
                    long start = System.nanoTime();
                    try {
                        if (cache.set("ver" + i, "v" + version)) {
                            acked.set(i, version);
                        }
                    } catch (CacheException e) {
                        // raise policy: a failed write is an expected outcome
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                    slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    calls.incrementAndGet();
                }
            });
            versioned.setDaemon(true);
            versioned.start();
            threads.add(versioned);
        }

        /**
         * After the load: no versioned key reads back older than its last acknowledged version
         * (a miss is allowed: a killed node loses its entries, as a cache may).
         */
        void assertNoValueWentBack(Cache c) {
            for (int i = 0; i < VERSIONED_KEYS; i++) {
                String v = c.get("ver" + i, String.class);
                if (v != null) {
                    assertThat(Long.parseLong(v.substring(1))).as("ver%d: never older than the last acknowledged write", i)
                            .isGreaterThanOrEqualTo(acked.get(i));
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).as("a load thread hangs").isFalse();
            }
            assertThat(unexpected.get()).isNull();
        }
    }

    private static long millisOf(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aFrozenNodeReadsAsMissesWithinTheTimeoutAndIsUsedAgainWhenItThaws() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Cache degrade = open("degrade", "");
            Cache raise = open("raise", "");
            List<String> all = keys();
            for (String k : all) {
                degrade.set(k, "v-" + k, Duration.ofMinutes(10));
            }
            int victim = 1;
            List<String> lost = keysOf(victim, all);
            List<String> kept = all.stream().filter(k -> owner(k) != victim).toList();
            assertThat(lost).isNotEmpty();
            Load versions;
            try (Load load = new Load(degrade, all)) {
                versions = load;
                servers.get(victim).pause();
                // the node is marked down: its keys miss at once, without waiting for a timeout
                // (one fast miss may come from a connection failing fast before the node is marked
                // down, while another still waits on the frozen server: ask for several in a row)
                // (a read already answered before the freeze took hold may still return its value: the
                // wait is for the condition, the assertions below are strict)
                Eventually.await(() -> lost.subList(0, Math.min(5, lost.size())).stream().allMatch(k -> {
                    Object[] got = {"unread"};
                    return millisOf(() -> got[0] = degrade.get(k)) < FAST_MILLIS && got[0] == null;
                }), Duration.ofSeconds(10), "the frozen node to be marked down");
                for (String k : lost.subList(0, Math.min(20, lost.size()))) {
                    assertThat(millisOf(() -> assertThat(degrade.get(k)).isNull())).isLessThan(FAST_MILLIS);
                }
                assertThatThrownBy(() -> raise.get(lost.get(0))).isInstanceOf(CacheException.class)
                        .hasMessageContaining(servers.get(victim).address());
                for (String k : kept.subList(0, 20)) {
                    assertThat(degrade.get(k)).isEqualTo("v-" + k);
                }
                Map<String, Object> many = degrade.getMany(all);
                assertThat(many.keySet()).containsAll(kept.subList(0, 20)).doesNotContainAnyElementsOf(lost);
                assertThat(load.slowestNanos.get()).as("slowest call (ns)").isLessThan(BOUND.toNanos());

                servers.get(victim).resume();
                Eventually.await(() -> ("v-" + lost.get(0)).equals(degrade.get(lost.get(0))), Duration.ofSeconds(10),
                        "the thawed node to serve its keys again");
            }
            assertThat(raise.get(lost.get(0))).isEqualTo("v-" + lost.get(0));
            versions.assertNoValueWentBack(raise);
        });
    }

    @Test
    void theOtherNodesKeysStayServedWhileTheNamespaceCountersNodeIsFrozen() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            String options = "read_timeout=" + READ_TIMEOUT.toMillis() + "ms&connect_timeout=" + CONNECT_TIMEOUT.toMillis()
                    + "ms&write_timeout=300ms&failure_limit=3&retry_interval=100ms&generation_refresh=200ms&on_error=degrade"
                    + "&transport=" + transport();
            Cache cache = Caches.open(CacheConfig.builder(MemcachedServers.location(servers) + "?" + options)
                    .option("key_prefix", prefix).build());
            caches.add(cache);
            List<String> all = keys();
            for (String k : all) {
                cache.set(k, "v-" + k, Duration.ofMinutes(10));
            }
            int counterNode = ring.serverFor(("@gen:" + prefix).getBytes(StandardCharsets.US_ASCII));
            servers.get(counterNode).pause();
            try {
                long pausedAt = System.nanoTime();
                // past several generation_refresh periods, the keys of the two live servers (about
                // two thirds) still read as hits: the last generation read goes on being used
                Eventually.await(() -> System.nanoTime() - pausedAt > Duration.ofSeconds(1).toNanos()
                        && cache.getMany(all).size() >= 100, Duration.ofSeconds(20),
                        "the live servers' keys to be served with the counter's server frozen");
                long hits = all.stream().filter(k -> ("v-" + k).equals(cache.get(k))).count();
                assertThat(hits).isBetween(100L, 299L);
            } finally {
                servers.get(counterNode).resume();
            }
            Eventually.await(() -> cache.getMany(all).size() == all.size(), Duration.ofSeconds(10),
                    "every key to be served again once the server thaws");
        });
    }

    @Test
    void aKilledNodeFailsFastThenARestartedOneIsUsedAgain() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Cache raise = open("raise", "");
            Cache degrade = open("degrade", "");
            List<String> all = keys();
            int victim = 2;
            List<String> lost = keysOf(victim, all);
            for (String k : all) {
                raise.set(k, "v-" + k);
            }
            Load versions;
            try (Load load = new Load(raise, all)) {
                versions = load;
                servers.get(victim).close();
                Eventually.await(() -> millisOf(() -> assertThat(degrade.set(lost.get(0), "x")).isFalse()) < FAST_MILLIS,
                        Duration.ofSeconds(10), "the killed node to be marked down");
                assertThatThrownBy(() -> raise.get(lost.get(0))).isInstanceOf(CacheException.class)
                        .hasMessageContaining(servers.get(victim).address());
                assertThat(degrade.get(lost.get(1))).isNull();
                assertThat(load.slowestNanos.get()).as("slowest call (ns)").isLessThan(BOUND.toNanos());

                servers.get(victim).restart();
                Eventually.await(() -> {
                    try {
                        return raise.set(lost.get(0), "back") && "back".equals(raise.get(lost.get(0)));
                    } catch (CacheException e) {
                        return false;
                    }
                }, Duration.ofSeconds(10), "the restarted node to be used again");
            }
            assertThat(raise.get(lost.get(0))).isEqualTo("back");
            versions.assertNoValueWentBack(raise);
        });
    }

    /**
     * The bulk calls with a node dead: the store reports what the live nodes did, and the core
     * applies the policy (degrade: the live nodes' values, the dead node's keys as not stored,
     * the live nodes' deletions; raise: an error naming the node).
     */
    @Test
    void aDeadNodeFailsItsKeysOfABulkCallAndTheOtherNodesResultsStand() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Cache raise = open("raise", "");
            Cache degrade = open("degrade", "");
            List<String> all = keys();
            int victim = 1;
            List<String> lost = keysOf(victim, all);
            List<String> kept = all.stream().filter(k -> owner(k) != victim).toList();
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            all.forEach(k -> values.put(k, "v-" + k));
            assertThat(raise.setMany(values)).isEmpty();
            servers.get(victim).close();

            assertThatThrownBy(() -> raise.getMany(all)).isInstanceOf(CacheException.class)
                    .hasMessageContaining(servers.get(victim).address()).hasMessageContaining(lost.size() + " keys failed");
            assertThat(degrade.getMany(all)).containsOnlyKeys(kept).containsEntry(kept.get(0), "v-" + kept.get(0));
            assertThatThrownBy(() -> raise.setMany(values)).isInstanceOf(CacheException.class).hasMessageContaining("set_many");
            assertThat(degrade.setMany(values)).containsExactlyInAnyOrderElementsOf(lost);
            assertThatThrownBy(() -> raise.deleteMany(all)).isInstanceOf(CacheException.class)
                    .hasMessageContaining("delete_many").hasMessageContaining(lost.size() + " keys failed");
            assertThat(degrade.getMany(all)).as("raise's delete_many removed the live nodes' keys all the same").isEmpty();
            assertThat(degrade.setMany(values)).containsExactlyInAnyOrderElementsOf(lost);
            assertThat(degrade.deleteMany(all)).as("the entries the live nodes removed").isEqualTo(kept.size());
        });
    }

    @Test
    void withRehashADownNodesKeysGoToTheNextNode() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Cache c = open("raise", "&rehash_down_nodes=true");
            List<String> all = keys();
            int victim = 0;
            List<String> lost = keysOf(victim, all);
            servers.get(victim).close();
            Eventually.await(() -> {
                try {
                    return c.set(lost.get(0), "rehashed");
                } catch (CacheException e) {
                    return false;
                }
            }, Duration.ofSeconds(10), "the killed node's keys to be rehashed");
            for (String k : lost.subList(0, 10)) {
                assertThat(c.set(k, "r-" + k)).isTrue();
                assertThat(c.get(k)).isEqualTo("r-" + k);
            }
        });
    }
}
