package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Timeout;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The fixture every feature of the {@linkplain CacheContractTest contract suite} runs on: the
 * hooks a backend's test overrides, the cache under test (opened before each test under a key
 * prefix of its own), the further caches a test opens (all closed after it), and the helpers
 * tests use to skip what a backend cannot do, let a timeout pass and wait for async results.
 * A backend's test extends {@link CacheContractTest}, not this class.
 */
public abstract class ContractFixture {

    // =====================================================================================
    // Hooks
    // =====================================================================================

    /** The location of the cache under test, e.g. {@code memory:} or {@code redis://127.0.0.1:6379}. */
    protected abstract String location();

    /**
     * Opens a cache from {@code config}, which already holds {@link #location()}, a unique
     * {@code key_prefix}, the {@linkplain #clock() clock} if any, and the test's options.
     */
    protected Cache createCache(CacheConfig.Builder config) {
        return Caches.open(config.build());
    }

    /**
     * The mutable clock the backend honours, or {@code null} when it runs on real time (server
     * backends). Backends that honour {@link CacheConfig#clock()} return {@link #testClock}.
     */
    protected TestClock clock() {
        return null;
    }

    /** False only for a backend that stores nothing (the dummy backend). */
    protected boolean storesValues() {
        return true;
    }

    /** False when values are kept by reference, so the codec never runs (local memory by default). */
    protected boolean serializesValues() {
        return true;
    }

    /** False when two caches opened on {@link #location()} have separate storage (local memory). */
    protected boolean sharesStorage() {
        return true;
    }

    /** The timeout expiry tests use: short enough to wait out on real time. */
    protected Duration shortTimeout() {
        return Duration.ofSeconds(1);
    }

    // =====================================================================================
    // Fixture
    // =====================================================================================

    /** One clock per test, for subclasses whose {@link #clock()} returns it. */
    protected final TestClock testClock = new TestClock();

    /** The cache under test: {@link #location()} with this test's {@link #prefix}. */
    protected Cache cache;

    /** This test's unique key prefix. */
    protected String prefix;

    private final List<Cache> opened = new ArrayList<>();
    private int probes;

    @BeforeEach
    void openCacheUnderTest(TestInfo info) {
        String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
        if (method.length() > 40) {
            method = method.substring(0, 40);
        }
        prefix = "ct-" + method + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        cache = open(b -> { });
    }

    @AfterEach
    void closeOpenedCaches() {
        RuntimeException first = null;
        for (Cache c : opened) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        opened.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Opens another cache on {@link #location()} with this test's prefix and {@code options}; closed after the test. */
    protected final Cache open(Consumer<CacheConfig.Builder> options) {
        return open(prefix, options);
    }

    /** Opens another cache on {@link #location()} with {@code keyPrefix} and {@code options}; closed after the test. */
    protected final Cache open(String keyPrefix, Consumer<CacheConfig.Builder> options) {
        CacheConfig.Builder b = CacheConfig.builder(location()).name("contract").option("key_prefix", keyPrefix);
        TestClock c = clock();
        if (c != null) {
            b.clock(c);
        }
        options.accept(b);
        Cache created = createCache(b);
        opened.add(created);
        return created;
    }

    /** Skips a test whose meaning is stored values (on the dummy backend). */
    protected final void requireStorage() {
        assumeTrue(storesValues(), "this backend stores nothing (see the dummy* tests)");
    }

    /** Skips a test about the codec on a by-reference backend. */
    protected final void requireSerialization() {
        requireStorage();
        assumeTrue(serializesValues(), "this backend keeps values by reference; the codec never runs");
    }

    /** The test clock, skipping the test on real-time backends. */
    protected final TestClock requireClock() {
        TestClock c = clock();
        assumeTrue(c != null, "needs a backend that honours an injected clock");
        return c;
    }

    // ---- time ----

    /** The time of one timeout passing; see {@link #lapse(Cache, Timeout, Duration)}. */
    protected final class Lapse {
        private final Cache on;
        private final String probe;
        private final Duration ttl;

        private Lapse(Cache on, String probe, Duration ttl) {
            this.on = on;
            this.probe = probe;
            this.ttl = ttl;
        }

        /**
         * Lets the timeout pass: moves the test clock past it, or on real time waits (polling,
         * with a deadline) until the probe key set when this lapse began has expired, so
         * anything stored with that timeout before the lapse began has expired too.
         */
        public void pass() {
            TestClock c = clock();
            if (c != null) {
                c.advance(ttl.plusMillis(1));
                return;
            }
            await(() -> !on.hasKey(probe), ttl.plusSeconds(10),
                    "a probe key stored with a timeout of " + ttl + " to expire");
        }
    }

    /** {@link #lapse(Cache, Timeout, Duration)} on the cache under test with an explicit {@code ttl}. */
    protected final Lapse lapse(Duration ttl) {
        return lapse(cache, Timeout.of(ttl), ttl);
    }

    /**
     * Starts measuring one {@code timeout} (nominally {@code ttl}) on {@code on}: call it right
     * after storing what should expire, then {@link Lapse#pass()}.
     */
    protected final Lapse lapse(Cache on, Timeout timeout, Duration ttl) {
        String probe = "lapse-probe-" + (++probes);
        if (clock() == null) {
            assertThat(on.set(probe, "probe", timeout)).isTrue();
            assertThat(on.hasKey(probe)).as("probe key %s readable right after set", probe).isTrue();
        }
        return new Lapse(on, probe, ttl);
    }

    /** Waits until {@code condition} holds, polling, failing after {@code timeout}. */
    protected static void await(BooleanSupplier condition, Duration timeout, String what) {
        if (!waitUntil(condition, timeout)) {
            throw new AssertionError("gave up after " + timeout + " waiting for " + what);
        }
    }

    /** Waits until {@code condition} holds, polling; false if it did not within {@code timeout}. */
    protected static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        return Servers.waitUntil(condition, timeout);
    }

    // ---- async ----

    /** The value a stage completes with, within 30 s. */
    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("stage did not complete: " + e, e);
        }
    }

    /** What a stage failed with (unwrapped), failing if it completed normally. */
    protected static Throwable failureOf(CompletionStage<?> stage) {
        try {
            Object v = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("stage completed normally with " + v + "; expected it to fail");
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            while (t instanceof CompletionException && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        } catch (Exception e) {
            throw new AssertionError("stage did not complete: " + e, e);
        }
    }

    // ---- values ----

    /** {@code n} random bytes, the same for the same seed. */
    protected static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Text of {@code chars} characters (letters of several scripts, an emoji now and then), the
     * same for the same seed.
     */
    protected static String randomText(int chars, long seed) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éßøñ日本語中文кириллица";
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(chars + 2);
        while (sb.length() < chars) {
            if (r.nextInt(1000) == 0) {
                sb.appendCodePoint(0x1F600 + r.nextInt(64));
            } else {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
        }
        return sb.toString();
    }

    // =====================================================================================
    // Shared by several features: operations on one key, values the codec refuses
    // =====================================================================================

    /** An operation on one key, for checks every operation must pass. */
    public record KeyOp(String name, BiConsumer<Cache, String> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every operation on one key, each applying it to a given cache and key. */
    static Stream<KeyOp> keyOperations() {
        return Stream.of(
                new KeyOp("get", (c, k) -> c.get(k)),
                new KeyOp("get typed", (c, k) -> c.get(k, String.class)),
                new KeyOp("get with default", (c, k) -> c.get(k, String.class, "d")),
                new KeyOp("lookup", (c, k) -> c.lookup(k)),
                new KeyOp("lookup typed", (c, k) -> c.lookup(k, String.class)),
                new KeyOp("set", (c, k) -> c.set(k, "v")),
                new KeyOp("set with duration", (c, k) -> c.set(k, "v", Duration.ofSeconds(5))),
                new KeyOp("set with zero timeout", (c, k) -> c.set(k, "v", Timeout.ofSeconds(0))),
                new KeyOp("add", (c, k) -> c.add(k, "v")),
                new KeyOp("getOrSet", (c, k) -> c.getOrSet(k, String.class, () -> "v")),
                new KeyOp("touch", (c, k) -> c.touch(k)),
                new KeyOp("touch with zero timeout", (c, k) -> c.touch(k, Timeout.ofSeconds(0))),
                new KeyOp("delete", (c, k) -> c.delete(k)),
                new KeyOp("hasKey", (c, k) -> c.hasKey(k)),
                new KeyOp("incr", (c, k) -> c.incr(k)),
                new KeyOp("decr", (c, k) -> c.decr(k, 2)),
                new KeyOp("incrVersion", (c, k) -> c.incrVersion(k)),
                new KeyOp("decrVersion", (c, k) -> c.decrVersion(k)),
                new KeyOp("getMany", (c, k) -> c.getMany(Arrays.asList("ok", k))),
                new KeyOp("typed getMany", (c, k) -> c.getMany(Arrays.asList("ok", k), String.class)),
                new KeyOp("setMany", (c, k) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ok", "v");
                    m.put(k, "v");
                    c.setMany(m);
                }),
                new KeyOp("deleteMany", (c, k) -> c.deleteMany(Arrays.asList("ok", k))));
    }

    /** A serializable class outside every allow-list. */
    public record Unlisted(String name) implements Serializable {
    }

    /** A class the java codec cannot store at all. */
    public static final class NotSerializable {
        @Override
        public String toString() {
            return "NotSerializable";
        }
    }
}
