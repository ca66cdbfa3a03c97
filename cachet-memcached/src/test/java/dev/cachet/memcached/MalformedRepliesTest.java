package dev.cachet.memcached;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client against a server that answers wrongly ({@link MisbehavingServer}): for every kind
 * of malformed reply, the request fails with an error naming the anomaly, every other request
 * waiting on that connection fails too, nothing hangs, and once the server answers correctly
 * the client works again on a new connection. Runs on the default blocking transport;
 * {@link PipelinedMalformedRepliesTest} runs it all again on the pipelined one.
 */
class MalformedRepliesTest {
    private MisbehavingServer server;
    private Store store;

    @BeforeEach
    void start() throws Exception {
        server = new MisbehavingServer();
        store = open(1000);
    }

    /** The {@code transport} option's value under test. */
    String transport() {
        return "blocking";
    }

    private Store open(String options) {
        return new MemcachedBackendProvider().open(CacheConfig.builder(server.location() + "?transport=" + transport()
                + "&" + options).build());
    }

    private Store open(int failureLimit) {
        return open("connections_per_node=1&read_timeout=300ms&retry_interval=100ms&flush_on_clear=true&failure_limit="
                + failureLimit);
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        server.close();
    }

    static Stream<Arguments> anomalies() {
        return Stream.of(
                Arguments.of("a garbage line", reply("HELLO WORLD\r\n"), "unknown reply line"),
                Arguments.of("a value longer than announced", reply("VA 3 f0 t-1\r\nabcdef\r\n"), "not followed by CRLF"),
                Arguments.of("a non-numeric value length", reply("VA x f0 t-1\r\nabc\r\n"), "malformed value length"),
                Arguments.of("a reply line without CR", reply("EN\n"), "without CR"),
                Arguments.of("an opaque no command sent", reply("EN O77\r\n"), "opaque O77"),
                Arguments.of("a reply code the command cannot get", reply("NS\r\n"), "not a possible reply"),
                Arguments.of("an unknown return flag", reply("VA 1 f0 t-1 Q9\r\nx\r\n"), "unexpected return flag"),
                Arguments.of("ERROR", reply("ERROR\r\n"), "did not know a command"),
                Arguments.of("a CLIENT_ERROR", reply("CLIENT_ERROR bad command line format\r\n"), "CLIENT_ERROR"),
                Arguments.of("an endless line", reply("VA 1 " + "f".repeat(9000)), "longer than 8192"),
                Arguments.of("a truncated value, then silence", reply("VA 100 f0 t-1\r\nabc"), "read_timeout"),
                Arguments.of("no reply at all", (MisbehavingServer.Script) line -> null, "read_timeout"),
                Arguments.of("a hang-up", (MisbehavingServer.Script) line -> {
                    throw new MisbehavingServer.Hangup();
                }, "closed the connection"));
    }

    private static MisbehavingServer.Script reply(String text) {
        return line -> line.startsWith("mn") ? MisbehavingServer.bytes("MN\r\n") : MisbehavingServer.bytes(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anomalies")
    void aMalformedReplyFailsTheRequestNamingItAndTheClientRecovers(String name, MisbehavingServer.Script script,
            String expected) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(store.get("k")).isNull(); // a correct server first: connected
            int before = server.connections();
            server.script(script);
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class).hasMessageContaining(expected)
                    .hasMessageContaining("127.0.0.1");
            server.script(MisbehavingServer.CORRECT);
            assertThat(store.get("k")).as("after %s, a new connection works", name).isNull();
            assertThat(store.put("k", new byte[] {1}, dev.cachet.spi.Store.NEVER, dev.cachet.spi.PutMode.SET)).isTrue();
            assertThat(server.connections()).as("the bad connection was dropped").isGreaterThan(before);
        });
    }

    /**
     * read_timeout counts from when a request's last byte left, not from when it was queued:
     * a 16 MB value to a server reading 40 MB/s takes about 0.3 s beyond what the kernel
     * buffers hold, more than the 150 ms read_timeout, and still succeeds.
     */
    @Test
    void aValueSlowerToSendThanTheReadTimeoutStillSucceeds() throws Exception {
        try (Store slow = open("connections_per_node=1&read_timeout=150ms&write_timeout=2s&item_size_max=32m")) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThat(slow.get("warm")).isNull();
                server.throttle(40L << 20);
                byte[] value = new byte[16 << 20];
                long start = System.nanoTime();
                assertThat(slow.put("big", value, dev.cachet.spi.Store.NEVER, dev.cachet.spi.PutMode.SET)).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the send was slow")
                        .isGreaterThan(Duration.ofMillis(150));
                server.throttle(0);
                assertThat(slow.get("after")).isNull();
            });
        }
    }

    /** A server that stops taking bytes fails a write after write_timeout, naming it, and the client recovers. */
    @Test
    void aServerThatStopsReadingFailsTheWriteAfterTheWriteTimeout() throws Exception {
        try (Store stuck = open("connections_per_node=1&read_timeout=5s&write_timeout=300ms&item_size_max=32m")) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                assertThat(stuck.get("warm")).isNull();
                server.reading(false);
                long start = System.nanoTime();
                assertThatThrownBy(() -> stuck.put("big", new byte[16 << 20], dev.cachet.spi.Store.NEVER,
                        dev.cachet.spi.PutMode.SET)).isInstanceOf(StoreException.class).hasMessageContaining("write_timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
                server.reading(true);
                assertThat(stuck.get("after")).isNull();
            });
        }
    }

    @Test
    void everyRequestWaitingOnADroppedConnectionFails() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(store.get("warm")).isNull();
            CountDownLatch held = new CountDownLatch(1);
            // hold every reply until 8 requests are waiting, then answer garbage
            java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
            server.script(line -> {
                if (seen.incrementAndGet() < 8) {
                    return null;
                }
                held.countDown();
                return MisbehavingServer.bytes("GARBAGE\r\n");
            });
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Throwable>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String key = "k" + i;
                    results.add(pool.submit(() -> {
                        try {
                            store.get(key);
                            return null;
                        } catch (Throwable t) {
                            return t;
                        }
                    }));
                }
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                for (Future<Throwable> f : results) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(StoreException.class);
                }
                List<String> messages = new ArrayList<>();
                for (Future<Throwable> f : results) {
                    messages.add(f.get().getMessage());
                }
                if (transport().equals("pipelined")) {
                    assertThat(messages).filteredOn(m -> m.contains("protocol anomaly"))
                            .as("the requests queued behind the bad reply fail with it").hasSizeGreaterThanOrEqualTo(7);
                } else {
                    // one connection per caller: the one that got garbage fails with it, the others
                    // (never answered) by their own read_timeout
                    assertThat(messages).filteredOn(m -> m.contains("protocol anomaly")).hasSizeGreaterThanOrEqualTo(1);
                    assertThat(messages).allMatch(m -> m.contains("protocol anomaly") || m.contains("read_timeout"));
                }
            } finally {
                pool.shutdownNow();
            }
            server.script(MisbehavingServer.CORRECT);
            assertThat(store.get("k")).isNull();
        });
    }

    @Test
    void aReplyNoRequestWaitsForDropsTheConnection() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(store.get("k")).isNull();
            int before = server.connections();
            server.script(reply("EN\r\nEN\r\n"));
            assertThat(store.get("k")).as("the first reply answers the request").isNull();
            server.script(MisbehavingServer.CORRECT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.connections() == before) {
                assertThat(System.nanoTime() - deadline).as("a new connection after the stray reply").isNegative();
                store.get("k");
            }
        });
    }

    @Test
    void aQuietBatchWithOpaquesGoingBackwardsIsAnAnomaly() {
        server.script(line -> {
            if (line.startsWith("mn")) {
                return MisbehavingServer.bytes("MN\r\n");
            }
            if (line.endsWith("O1")) {
                return MisbehavingServer.bytes("VA 1 f0 t-1 O1\r\nx\r\n");
            }
            return line.endsWith("O2") ? MisbehavingServer.bytes("VA 1 f0 t-1 O0\r\nx\r\n") : null;
        });
        assertThatThrownBy(() -> store.getMany(List.of("a", "b", "c"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("opaque O0");
        server.script(MisbehavingServer.CORRECT);
        assertThat(store.getMany(List.of("a", "b"))).isEmpty();
    }

    @Test
    void aNodeFailingRepeatedlyIsMarkedDownFailsFastAndComesBackWhenItAnswers() {
        store.close();
        store = open(3);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server.script(reply("HELLO\r\n"));
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class);
            }
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.get("k")).isInstanceOf(StoreException.class).hasMessageContaining("is down");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
            server.script(MisbehavingServer.CORRECT);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    assertThat(store.get("k")).isNull();
                    break;
                } catch (StoreException e) {
                    assertThat(System.nanoTime() - deadline).as("the node came back").isNegative();
                    Thread.onSpinWait();
                }
            }
        });
    }

    private static MisbehavingServer.Script reply(byte[] b) {
        return line -> b;
    }
}
