package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.InvalidKeyException;
import dev.cachet.KeyFunction;
import dev.cachet.Lookup;
import dev.cachet.NotAnIntegerException;
import dev.cachet.Timeout;
import dev.cachet.testkit.fixtures.Basket;
import dev.cachet.testkit.fixtures.Color;
import dev.cachet.testkit.fixtures.Point;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract every cachet backend honours: the meaning of each {@link Cache} operation as
 * its javadoc states it, checked against real values. The Java twin of Django's
 * {@code BaseCacheTests}; every backend's test class extends it and runs it against the real
 * thing (a real server for server backends).
 *
 * <h2>Writing a backend's test</h2>
 * <pre>
 * class RedisCacheTest extends CacheContractTest {
 *     protected String location() {
 *         return "redis://" + Servers.requireRedis().address();
 *     }
 * }
 * </pre>
 * Hooks:
 * <ul>
 *   <li>{@link #location()} (required): where the cache lives; it may carry options after
 *       {@code ?}.</li>
 *   <li>{@link #createCache(CacheConfig.Builder)}: opens a cache from a builder the suite has
 *       filled with {@code location()}, a {@code key_prefix} unique to the test (so tests can
 *       share one server), the test clock when there is one, and the test's own options.
 *       Override to add backend options; keep the given ones.</li>
 *   <li>{@link #clock()}: return {@link #testClock} when the backend honours
 *       {@link CacheConfig#clock()} (the suite then moves time instead of waiting). Server
 *       backends keep the default {@code null}: expiry tests then use real
 *       {@linkplain #shortTimeout() short timeouts} and wait, by polling with a deadline, for a
 *       probe key to expire.</li>
 *   <li>{@link #storesValues()}: false only for the dummy backend, whose own documented
 *       behaviour the {@code dummy*} tests check; tests about stored values are skipped for
 *       it.</li>
 *   <li>{@link #serializesValues()}: false when values are kept by reference (local memory by
 *       default), which skips the codec's checks.</li>
 *   <li>{@link #sharesStorage()}: false when two caches opened on one location do not see
 *       each other's entries (local memory).</li>
 * </ul>
 *
 * <p>A test that opens further caches (other options, another prefix) uses {@link #open}; the
 * suite closes them all after the test. Nothing here clears a shared server: every test works
 * inside its own key prefix, and entries it leaves expire with the default timeout.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class CacheContractTest {

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

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String randomText(int chars, long seed) {
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

    private void assertRoundTrip(String key, Object value) {
        assertThat(cache.set(key, value)).isTrue();
        assertThat(cache.get(key)).isEqualTo(value);
        assertThat(cache.getMany(List.of(key))).containsExactly(entry(key, value));
    }

    /** How a refusal names a key: whole, or its first 60 characters when long. */
    private static String named(String key) {
        return "'" + (key.length() <= 80 ? key + "'" : key.substring(0, 60));
    }

    // =====================================================================================
    // get, lookup, set
    // =====================================================================================

    @Test
    void getOfAMissingKeyIsNull() {
        assertThat(cache.get("missing")).isNull();
        assertThat(cache.get("missing", String.class)).isNull();
    }

    @Test
    void getWithDefaultReturnsTheDefaultOnAMiss() {
        assertThat(cache.get("missing", String.class, "fallback")).isEqualTo("fallback");
        assertThat(cache.get("missing", Long.class, 42L)).isEqualTo(42L);
    }

    @Test
    void setThenGetReturnsTheValue() {
        requireStorage();
        assertThat(cache.set("key", "value")).isTrue();
        assertThat(cache.get("key")).isEqualTo("value");
        assertThat(cache.get("key", String.class)).isEqualTo("value");
    }

    @Test
    void getWithDefaultReturnsTheValueOnAHit() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.get("key", String.class, "fallback")).isEqualTo("value");
    }

    @Test
    void setReplacesTheValue() {
        requireStorage();
        cache.set("key", "first");
        assertThat(cache.set("key", "second")).isTrue();
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void setReportsSuccess() {
        assertThat(cache.set("key", "value")).isTrue();
        assertThat(cache.set("key", "value", Timeout.FOREVER)).isTrue();
        assertThat(cache.set("key", "value", Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void lookupTellsAHitFromAMiss() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.lookup("key")).isEqualTo(Lookup.hit("value"));
        assertThat(cache.lookup("key").isHit()).isTrue();
        assertThat(cache.lookup("missing")).isEqualTo(Lookup.miss());
        assertThat(cache.lookup("missing").isMiss()).isTrue();
    }

    @Test
    void typedLookupConvertsAndMisses() {
        requireStorage();
        cache.set("n", 7);
        assertThat(cache.lookup("n", Integer.class)).isEqualTo(Lookup.hit(7));
        assertThat(cache.lookup("missing", Integer.class).isMiss()).isTrue();
    }

    @Test
    void keysAreDistinct() {
        requireStorage();
        cache.set("a", "A");
        cache.set("b", "B");
        cache.set("A", "upper");
        assertThat(cache.get("a")).isEqualTo("A");
        assertThat(cache.get("b")).isEqualTo("B");
        assertThat(cache.get("A")).isEqualTo("upper");
    }

    @Test
    void nameAndVersionAreTheConfiguredOnes() {
        assertThat(cache.name()).isEqualTo("contract");
        assertThat(cache.version()).isEqualTo(1);
        Cache named = open(b -> b.name("pages").option("version", 7));
        assertThat(named.name()).isEqualTo("pages");
        assertThat(named.version()).isEqualTo(7);
    }

    // =====================================================================================
    // Stored null
    // =====================================================================================

    @Test
    void storedNullIsAHit() {
        requireStorage();
        assertThat(cache.set("null", null)).isTrue();
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(cache.lookup("null", String.class)).isEqualTo(Lookup.hit(null));
        assertThat(cache.get("null")).isNull();
    }

    @Test
    void storedNullBeatsTheDefault() {
        requireStorage();
        cache.set("null", null);
        assertThat(cache.get("null", String.class, "fallback")).isNull();
    }

    @Test
    void storedNullCountsForHasKey() {
        requireStorage();
        cache.set("null", null);
        assertThat(cache.hasKey("null")).isTrue();
    }

    @Test
    void storedNullIsInGetMany() {
        requireStorage();
        cache.set("null", null);
        Map<String, Object> found = cache.getMany(List.of("null", "missing"));
        assertThat(found).containsOnlyKeys("null");
        assertThat(found.get("null")).isNull();
    }

    @Test
    void storedNullBlocksAddAndCanBeDeleted() {
        requireStorage();
        cache.set("null", null);
        assertThat(cache.add("null", "other")).isFalse();
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(cache.delete("null")).isTrue();
        assertThat(cache.lookup("null").isMiss()).isTrue();
    }

    @Test
    void storedNullIsNotAnInteger() {
        requireStorage();
        cache.set("null", null);
        assertThatThrownBy(() -> cache.incr("null")).isInstanceOf(NotAnIntegerException.class)
                .hasMessageContaining("'null'");
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
    }

    // =====================================================================================
    // add
    // =====================================================================================

    @Test
    void addStoresWhenTheKeyIsAbsent() {
        requireStorage();
        assertThat(cache.add("key", "value")).isTrue();
        assertThat(cache.get("key")).isEqualTo("value");
    }

    @Test
    void addDoesNotReplaceAValue() {
        requireStorage();
        cache.set("key", "first");
        assertThat(cache.add("key", "second")).isFalse();
        assertThat(cache.get("key")).isEqualTo("first");
    }

    @Test
    void addAfterDeleteStores() {
        requireStorage();
        cache.add("key", "first");
        cache.delete("key");
        assertThat(cache.add("key", "second")).isTrue();
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void addOverAnExpiredKeyStores() {
        requireStorage();
        cache.set("key", "old", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.add("key", "blocked", shortTimeout())).isFalse();
        l.pass();
        assertThat(cache.add("key", "new")).isTrue();
        assertThat(cache.get("key")).isEqualTo("new");
    }

    @Test
    void addWithATimeoutExpires() {
        requireStorage();
        assertThat(cache.add("key", "value", shortTimeout())).isTrue();
        Lapse l = lapse(shortTimeout());
        assertThat(cache.get("key")).isEqualTo("value");
        l.pass();
        assertThat(cache.get("key")).isNull();
    }

    @Test
    void addWithZeroTimeoutStoresNothingButReportsFreeKeys() {
        assertThat(cache.add("free", "value", Timeout.ofSeconds(0))).isTrue();
        assertThat(cache.hasKey("free")).isFalse();
        if (storesValues()) {
            cache.set("taken", "kept");
            assertThat(cache.add("taken", "value", Timeout.ofSeconds(0))).isFalse();
            assertThat(cache.get("taken")).isEqualTo("kept");
        }
    }

    // =====================================================================================
    // getOrSet
    // =====================================================================================

    @Test
    void getOrSetRunsTheLoaderOnAMissAndStoresItsResult() {
        requireStorage();
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.getOrSet("key", String.class, () -> {
            runs.incrementAndGet();
            return "loaded";
        })).isEqualTo("loaded");
        assertThat(runs).hasValue(1);
        assertThat(cache.get("key")).isEqualTo("loaded");
    }

    @Test
    void getOrSetSkipsTheLoaderOnAHit() {
        requireStorage();
        cache.set("key", "stored");
        assertThat(cache.getOrSet("key", String.class, () -> {
            throw new AssertionError("loader ran on a hit");
        })).isEqualTo("stored");
    }

    @Test
    void getOrSetStoresANullResult() {
        requireStorage();
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.getOrSet("key", String.class, () -> {
            runs.incrementAndGet();
            return null;
        })).isNull();
        assertThat(cache.getOrSet("key", String.class, () -> {
            runs.incrementAndGet();
            return "second";
        })).isNull();
        assertThat(runs).hasValue(1);
        assertThat(cache.lookup("key")).isEqualTo(Lookup.hit(null));
    }

    @Test
    void getOrSetPropagatesLoaderExceptionsAndStoresNothing() {
        assertThatThrownBy(() -> cache.getOrSet("key", String.class, () -> {
            throw new IllegalStateException("loader failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("loader failed");
        assertThat(cache.hasKey("key")).isFalse();
        if (storesValues()) {
            assertThat(cache.getOrSet("key", String.class, () -> "recovered")).isEqualTo("recovered");
            assertThat(cache.get("key")).isEqualTo("recovered");
        }
    }

    @Test
    void getOrSetReturnsAValueStoredMeanwhile() {
        requireStorage();
        String result = cache.getOrSet("key", String.class, () -> {
            cache.set("key", "other writer");
            return "mine";
        });
        assertThat(result).isEqualTo("other writer");
        assertThat(cache.get("key")).isEqualTo("other writer");
    }

    @Test
    void getOrSetConvertsToTheRequestedType() {
        requireStorage();
        cache.set("n", 5L);
        assertThat(cache.getOrSet("n", Integer.class, () -> 9)).isEqualTo(5);
        assertThatThrownBy(() -> cache.getOrSet("n", String.class, () -> "x"))
                .isInstanceOf(ClassCastException.class).hasMessageContaining("'n'");
    }

    @Test
    void getOrSetHonoursItsTimeout() {
        requireStorage();
        cache.getOrSet("key", String.class, () -> "first", Timeout.of(shortTimeout()));
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.getOrSet("key", String.class, () -> "second", Timeout.FOREVER)).isEqualTo("second");
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void getOrSetWithZeroTimeoutReturnsTheResultButKeepsNothing() {
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            assertThat(cache.getOrSet("key", String.class, () -> "run " + runs.incrementAndGet(), Timeout.ofSeconds(0)))
                    .isEqualTo("run " + (i + 1));
        }
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void getOrSetCalledAgainFromItsOwnLoaderFailsInsteadOfDeadlocking() {
        Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> catchThrowable(() ->
                cache.getOrSet("key", String.class, () -> cache.getOrSet("key", String.class, () -> "inner"))));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("'key'");
        assertThat(cache.hasKey("key")).isFalse();
        if (storesValues()) {
            assertThat(cache.getOrSet("key", String.class, () -> "later")).isEqualTo("later");
        }
    }

    // =====================================================================================
    // touch
    // =====================================================================================

    @Test
    void touchReportsWhetherTheKeyHeldAValue() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.touch("key")).isTrue();
        assertThat(cache.touch("missing")).isFalse();
        assertThat(cache.hasKey("missing")).isFalse();
    }

    @Test
    void touchKeepsTheValue() {
        requireStorage();
        cache.set("key", List.of(1L, 2L));
        cache.touch("key", Timeout.FOREVER);
        assertThat(cache.get("key")).isEqualTo(List.of(1L, 2L));
    }

    @Test
    void touchExtendsTheExpiry() {
        requireStorage();
        cache.set("forever", "value", shortTimeout());
        cache.set("default", "value", shortTimeout());
        cache.set("untouched", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.touch("forever", Timeout.FOREVER)).isTrue();
        assertThat(cache.touch("default")).isTrue();
        l.pass();
        assertThat(cache.get("forever")).isEqualTo("value");
        assertThat(cache.get("default")).isEqualTo("value");
        assertThat(cache.get("untouched")).isNull();
    }

    @Test
    void touchCanShortenTheExpiry() {
        requireStorage();
        cache.set("key", "value", Timeout.FOREVER);
        assertThat(cache.touch("key", Timeout.of(shortTimeout()))).isTrue();
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.hasKey("key")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -3600})
    void touchWithZeroOrNegativeTimeoutExpiresTheKey(long seconds) {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.touch("key", Timeout.ofSeconds(seconds))).isTrue();
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.touch("key", Timeout.ofSeconds(seconds))).isFalse();
    }

    @Test
    void touchOfAnExpiredKeyReportsFalse() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.touch("key", Timeout.FOREVER)).isFalse();
        assertThat(cache.hasKey("key")).isFalse();
    }

    // =====================================================================================
    // delete, hasKey
    // =====================================================================================

    @Test
    void deleteRemovesTheKeyAndReportsIt() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.delete("key")).isTrue();
        assertThat(cache.get("key")).isNull();
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void deleteOfAMissingKeyReportsFalse() {
        assertThat(cache.delete("missing")).isFalse();
        if (storesValues()) {
            cache.set("key", "value");
            cache.delete("key");
            assertThat(cache.delete("key")).isFalse();
        }
    }

    @Test
    void deleteOfAnExpiredKeyReportsFalse() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.delete("key")).isFalse();
    }

    @Test
    void deleteLeavesOtherKeys() {
        requireStorage();
        cache.set("a", 1);
        cache.set("b", 2);
        cache.delete("a");
        assertThat(cache.get("b")).isEqualTo(2L);
    }

    @Test
    void hasKeyTellsPresentFromAbsent() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.hasKey("key")).isTrue();
        assertThat(cache.hasKey("missing")).isFalse();
    }

    @Test
    void hasKeyIsFalseAfterExpiry() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.hasKey("key")).isTrue();
        l.pass();
        assertThat(cache.hasKey("key")).isFalse();
    }

    // =====================================================================================
    // getMany, setMany, deleteMany
    // =====================================================================================

    @Test
    void getManyReturnsHitsInTheOrderAsked() {
        requireStorage();
        cache.set("a", "A");
        cache.set("b", "B");
        cache.set("c", "C");
        assertThat(cache.getMany(List.of("c", "a", "b"))).containsExactly(entry("c", "C"), entry("a", "A"), entry("b", "B"));
        assertThat(cache.getMany(List.of("b", "c", "a")).keySet()).containsExactly("b", "c", "a");
    }

    @Test
    void getManyLeavesOutMisses() {
        requireStorage();
        cache.set("a", "A");
        cache.set("d", "D");
        assertThat(cache.getMany(List.of("a", "b", "c", "d"))).containsExactly(entry("a", "A"), entry("d", "D"));
        assertThat(cache.getMany(List.of("x", "y"))).isEmpty();
    }

    @Test
    void getManyOfNoKeysIsEmpty() {
        assertThat(cache.getMany(List.of())).isEmpty();
    }

    @Test
    void getManyWithRepeatedKeysReturnsEachOnce() {
        requireStorage();
        cache.set("a", "A");
        assertThat(cache.getMany(List.of("a", "a", "a"))).containsExactly(entry("a", "A"));
    }

    @Test
    void getManyLeavesOutExpiredKeys() {
        requireStorage();
        cache.set("short", "S", shortTimeout());
        cache.set("long", "L", Timeout.FOREVER);
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.getMany(List.of("short", "long"))).containsExactly(entry("long", "L"));
    }

    @Test
    void typedGetManyConvertsAndNamesTheKeyOnAMismatch() {
        requireStorage();
        cache.set("a", 1);
        cache.set("b", 2);
        assertThat(cache.getMany(List.of("a", "b"), Integer.class)).containsExactly(entry("a", 1), entry("b", 2));
        cache.set("c", "text");
        assertThatThrownBy(() -> cache.getMany(List.of("a", "c"), Integer.class))
                .isInstanceOf(ClassCastException.class).hasMessageContaining("'c'");
    }

    @Test
    void setManyStoresEveryEntryAndReportsNoFailures() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", "A");
        values.put("b", 2);
        values.put("c", List.of("x", "y"));
        assertThat(cache.setMany(values)).isEmpty();
        if (storesValues()) {
            assertThat(cache.getMany(List.of("a", "b", "c")))
                    .containsExactly(entry("a", "A"), entry("b", 2L), entry("c", List.of("x", "y")));
        }
    }

    @Test
    void setManyReplacesValues() {
        requireStorage();
        cache.set("a", "old");
        cache.setMany(Map.of("a", "new", "b", "B"));
        assertThat(cache.get("a")).isEqualTo("new");
        assertThat(cache.get("b")).isEqualTo("B");
    }

    @Test
    void setManyStoresNullValues() {
        requireStorage();
        Map<String, Object> values = new HashMap<>();
        values.put("null", null);
        values.put("one", 1);
        assertThat(cache.setMany(values)).isEmpty();
        assertThat(cache.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(cache.get("one")).isEqualTo(1L);
    }

    @Test
    void setManyOfNothingIsEmpty() {
        assertThat(cache.setMany(Map.of())).isEmpty();
        assertThat(cache.setMany(Map.of(), Timeout.ofSeconds(0))).isEmpty();
    }

    @Test
    void setManyWithATimeoutExpires() {
        requireStorage();
        cache.setMany(Map.of("a", "A", "b", "B"), Timeout.of(shortTimeout()));
        Lapse l = lapse(shortTimeout());
        assertThat(cache.getMany(List.of("a", "b"))).hasSize(2);
        l.pass();
        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void setManyWithZeroOrNegativeTimeoutStoresNothingAndRemovesOldValues(long seconds) {
        cache.set("a", "old");
        assertThat(cache.setMany(Map.of("a", "A", "b", "B"), Timeout.ofSeconds(seconds))).isEmpty();
        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
        assertThat(cache.hasKey("a")).isFalse();
    }

    @Test
    void deleteManyRemovesTheKeysAndCountsTheReadableOnes() {
        requireStorage();
        cache.setMany(Map.of("a", 1, "b", 2, "c", 3));
        assertThat(cache.deleteMany(List.of("a", "b", "missing"))).isEqualTo(2);
        assertThat(cache.getMany(List.of("a", "b", "c"))).containsExactly(entry("c", 3L));
        assertThat(cache.deleteMany(List.of("a", "b"))).isZero();
    }

    @Test
    void deleteManyCountsARepeatedKeyOnce() {
        requireStorage();
        cache.set("a", 1);
        assertThat(cache.deleteMany(List.of("a", "a"))).isEqualTo(1);
    }

    @Test
    void deleteManyOfNothingIsZero() {
        assertThat(cache.deleteMany(List.of())).isZero();
    }

    @Test
    void manyOperationsReportUserKeysEvenWhenKeysAreHashed() {
        requireStorage();
        String spaced = "a key with spaces";
        String longKey = "k".repeat(400);
        assertThat(cache.setMany(Map.of(spaced, "S", longKey, "L"))).isEmpty();
        assertThat(cache.getMany(List.of(longKey, spaced))).containsExactly(entry(longKey, "L"), entry(spaced, "S"));
        assertThat(cache.deleteMany(List.of(spaced, longKey))).isEqualTo(2);
    }

    // =====================================================================================
    // incr, decr
    // =====================================================================================

    @Test
    void incrAddsOne() {
        requireStorage();
        cache.set("n", 1);
        assertThat(cache.incr("n")).isEqualTo(2);
        assertThat(cache.get("n")).isEqualTo(2L);
    }

    @Test
    void incrAddsADelta() {
        requireStorage();
        cache.set("n", 1);
        assertThat(cache.incr("n", 10)).isEqualTo(11);
        assertThat(cache.incr("n", -20)).isEqualTo(-9);
        assertThat(cache.incr("n", 0)).isEqualTo(-9);
        assertThat(cache.get("n")).isEqualTo(-9L);
    }

    @Test
    void decrSubtracts() {
        requireStorage();
        cache.set("n", 10);
        assertThat(cache.decr("n")).isEqualTo(9);
        assertThat(cache.decr("n", 4)).isEqualTo(5);
        assertThat(cache.decr("n", -5)).isEqualTo(10);
        assertThat(cache.get("n")).isEqualTo(10L);
    }

    @Test
    void decrGoesBelowZero() {
        requireStorage();
        cache.set("n", 1);
        assertThat(cache.decr("n", 3)).isEqualTo(-2);
        assertThat(cache.get("n")).isEqualTo(-2L);
        assertThat(cache.incr("n", 5)).isEqualTo(3);
    }

    @Test
    void incrOfAMissingKeyThrowsNamingTheKey() {
        assertThatThrownBy(() -> cache.incr("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThatThrownBy(() -> cache.decr("missing", 2)).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThat(cache.hasKey("missing")).isFalse();
    }

    @Test
    void incrOfAnExpiredKeyThrows() {
        requireStorage();
        cache.set("n", 1, shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(NoSuchElementException.class);
    }

    static Stream<Arguments> nonIntegers() {
        return Stream.of(
                Arguments.of(Named.of("text", "abc")),
                Arguments.of(Named.of("numeric text", "12")),
                Arguments.of(Named.of("double", 1.5d)),
                Arguments.of(Named.of("BigInteger", BigInteger.TEN)),
                Arguments.of(Named.of("bytes of digits", "12".getBytes(StandardCharsets.US_ASCII))),
                Arguments.of(Named.of("list", List.of(1L))),
                Arguments.of(Named.of("boolean", true)));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#nonIntegers")
    void incrOfANonIntegerThrowsAndLeavesTheValue(Object value) {
        requireStorage();
        cache.set("v", value);
        assertThatThrownBy(() -> cache.incr("v")).isInstanceOf(NotAnIntegerException.class)
                .hasMessageContaining("'v'");
        assertThatThrownBy(() -> cache.decr("v")).isInstanceOf(NotAnIntegerException.class);
        assertThat(cache.get("v")).isEqualTo(value);
    }

    @Test
    void incrOverflowThrowsAndLeavesTheValue() {
        requireStorage();
        cache.set("max", Long.MAX_VALUE);
        assertThatThrownBy(() -> cache.incr("max")).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("'max'");
        assertThat(cache.get("max")).isEqualTo(Long.MAX_VALUE);
        cache.set("min", Long.MIN_VALUE);
        assertThatThrownBy(() -> cache.decr("min")).isInstanceOf(ArithmeticException.class);
        assertThat(cache.get("min")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void incrReachesTheLongBounds() {
        requireStorage();
        cache.set("n", Long.MAX_VALUE - 1);
        assertThat(cache.incr("n")).isEqualTo(Long.MAX_VALUE);
        cache.set("m", Long.MIN_VALUE + 1);
        assertThat(cache.decr("m")).isEqualTo(Long.MIN_VALUE);
        assertThat(cache.get("m")).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void decrByLongMinValueIsRefused() {
        requireStorage();
        cache.set("n", 0);
        assertThatThrownBy(() -> cache.decr("n", Long.MIN_VALUE)).isInstanceOf(ArithmeticException.class);
        assertThat(cache.get("n")).isEqualTo(0L);
        assertThat(cache.incr("n", Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void incrKeepsTheExpiry() {
        requireStorage();
        cache.set("n", 1, shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.incr("n")).isEqualTo(2);
        l.pass();
        assertThat(cache.hasKey("n")).isFalse();
    }

    @Test
    void incrKeepsAForeverEntryForever() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("n", 1, Timeout.FOREVER);
        cache.incr("n");
        clock.advance(Duration.ofDays(3650));
        assertThat(cache.get("n")).isEqualTo(2L);
    }

    @Test
    void incrWorksOnEveryIntegralType() {
        requireStorage();
        cache.set("byte", (byte) 1);
        cache.set("short", (short) 2);
        cache.set("int", 3);
        cache.set("long", 4L);
        assertThat(cache.incr("byte")).isEqualTo(2);
        assertThat(cache.incr("short")).isEqualTo(3);
        assertThat(cache.incr("int")).isEqualTo(4);
        assertThat(cache.incr("long")).isEqualTo(5);
    }

    @Test
    void incrWorksOnValuesStoredBySetManyAddAndGetOrSet() {
        requireStorage();
        cache.setMany(Map.of("many", 1));
        cache.add("added", 1);
        cache.getOrSet("loaded", Integer.class, () -> 1);
        assertThat(cache.incr("many")).isEqualTo(2);
        assertThat(cache.incr("added")).isEqualTo(2);
        assertThat(cache.incr("loaded")).isEqualTo(2);
    }

    // =====================================================================================
    // Versions
    // =====================================================================================

    @Test
    void withVersionIsolatesValues() {
        requireStorage();
        Cache v2 = cache.withVersion(2);
        cache.set("key", "one");
        assertThat(v2.get("key")).isNull();
        v2.set("key", "two");
        assertThat(cache.get("key")).isEqualTo("one");
        assertThat(v2.get("key")).isEqualTo("two");
        v2.delete("key");
        assertThat(cache.get("key")).isEqualTo("one");
    }

    @Test
    void withVersionGivesAViewOfThatVersion() {
        Cache v5 = cache.withVersion(5);
        assertThat(v5.version()).isEqualTo(5);
        assertThat(v5.name()).isEqualTo(cache.name());
        assertThat(cache.version()).isEqualTo(1);
        assertThat(cache.withVersion(1).version()).isEqualTo(1);
        assertThat(v5.withVersion(1).version()).isEqualTo(1);
    }

    @Test
    void withVersionSharesStorageWithTheCache() {
        requireStorage();
        Cache v2 = cache.withVersion(2);
        v2.set("key", "two");
        assertThat(cache.withVersion(2).get("key")).isEqualTo("two");
        cache.clear();
        assertThat(v2.get("key")).isNull();
    }

    @Test
    void theVersionOptionVersionsKeys() {
        requireStorage();
        Cache v3 = open(b -> b.option("version", 3));
        assertThat(v3.version()).isEqualTo(3);
        v3.set("key", "three");
        assertThat(v3.withVersion(1).get("key")).isNull();
        assertThat(v3.withVersion(3).get("key")).isEqualTo("three");
    }

    @Test
    void theVersionOptionAndWithVersionNameTheSameEntries() {
        requireStorage();
        assumeTrue(sharesStorage(), "needs caches that share storage");
        Cache v3 = open(b -> b.option("version", 3));
        v3.set("key", "three");
        assertThat(cache.get("key")).isNull();
        assertThat(cache.withVersion(3).get("key")).isEqualTo("three");
    }

    @Test
    void incrVersionMovesTheValueUp() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.incrVersion("key")).isEqualTo(2);
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.withVersion(2).get("key")).isEqualTo("value");
        assertThat(cache.withVersion(2).incrVersion("key", 3)).isEqualTo(5);
        assertThat(cache.withVersion(2).hasKey("key")).isFalse();
        assertThat(cache.withVersion(5).get("key")).isEqualTo("value");
    }

    @Test
    void decrVersionMovesTheValueDown() {
        requireStorage();
        Cache v3 = cache.withVersion(3);
        v3.set("key", "value");
        assertThat(v3.decrVersion("key")).isEqualTo(2);
        assertThat(v3.hasKey("key")).isFalse();
        assertThat(cache.withVersion(2).get("key")).isEqualTo("value");
        assertThat(cache.withVersion(2).decrVersion("key", 1)).isEqualTo(1);
        assertThat(cache.get("key")).isEqualTo("value");
    }

    @Test
    void incrVersionOfAMissingKeyThrowsNamingTheKey() {
        assertThatThrownBy(() -> cache.incrVersion("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThatThrownBy(() -> cache.decrVersion("missing")).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThat(cache.withVersion(2).hasKey("missing")).isFalse();
        assertThat(cache.withVersion(0).hasKey("missing")).isFalse();
    }

    @Test
    void incrVersionReplacesAValueAtTheTargetVersion() {
        requireStorage();
        cache.set("key", "new");
        cache.withVersion(2).set("key", "stale");
        assertThat(cache.incrVersion("key")).isEqualTo(2);
        assertThat(cache.withVersion(2).get("key")).isEqualTo("new");
    }

    @Test
    void incrVersionMovesNullsAndCounters() {
        requireStorage();
        cache.set("null", null);
        cache.set("n", 5);
        cache.incrVersion("null");
        cache.incrVersion("n");
        Cache v2 = cache.withVersion(2);
        assertThat(v2.lookup("null")).isEqualTo(Lookup.hit(null));
        assertThat(v2.incr("n")).isEqualTo(6);
    }

    @Test
    void incrVersionByZeroKeepsTheValueInPlace() {
        requireStorage();
        cache.set("key", "value");
        assertThat(cache.incrVersion("key", 0)).isEqualTo(1);
        assertThat(cache.get("key")).isEqualTo("value");
    }

    @Test
    void incrVersionStartsFromTheVersionOption() {
        requireStorage();
        Cache v3 = open(b -> b.option("version", 3));
        v3.set("key", "value");
        assertThat(v3.incrVersion("key")).isEqualTo(4);
        assertThat(v3.withVersion(4).get("key")).isEqualTo("value");
    }

    // =====================================================================================
    // Keys: prefix, key function, key policy
    // =====================================================================================

    @Test
    void prefixesIsolateCaches() {
        requireStorage();
        Cache other = open(prefix + "-other", b -> { });
        cache.set("key", "mine");
        other.set("key", "theirs");
        cache.set("a key with spaces", "mine");
        other.set("a key with spaces", "theirs");
        assertThat(cache.get("key")).isEqualTo("mine");
        assertThat(other.get("key")).isEqualTo("theirs");
        assertThat(cache.get("a key with spaces")).isEqualTo("mine");
        assertThat(other.get("a key with spaces")).isEqualTo("theirs");
        other.delete("key");
        assertThat(cache.get("key")).isEqualTo("mine");
    }

    @Test
    void theSamePrefixSharesEntriesAcrossInstances() {
        requireStorage();
        assumeTrue(sharesStorage(), "needs caches that share storage");
        Cache twin = open(prefix, b -> { });
        cache.set("key", "shared");
        cache.set("a key with spaces", "hashed");
        assertThat(twin.get("key")).isEqualTo("shared");
        assertThat(twin.get("a key with spaces")).isEqualTo("hashed");
        assertThat(twin.incrVersion("key")).isEqualTo(2);
        assertThat(cache.withVersion(2).get("key")).isEqualTo("shared");
    }

    @Test
    void aKeyFunctionInCodeMakesTheStoredKey() {
        requireStorage();
        KeyFunction versionless = (key, p, version) -> p + "/" + key.toLowerCase(Locale.ROOT);
        Cache c = open(b -> b.keyFunction(versionless));
        c.set("Key", "value");
        assertThat(c.get("KEY")).isEqualTo("value");
        assertThat(c.withVersion(9).get("key")).isEqualTo("value");
    }

    /** A {@link KeyFunction} for the {@code key_function} option: keys are case-insensitive. */
    public static final class LowerCaseKeys implements KeyFunction {
        @Override
        public String makeKey(String key, String prefix, int version) {
            return prefix + ":" + version + ":" + key.toLowerCase(Locale.ROOT);
        }
    }

    @Test
    void theKeyFunctionOptionNamesAClass() {
        requireStorage();
        Cache c = open(b -> b.option("key_function", LowerCaseKeys.class.getName()));
        c.set("MiXeD", "value");
        assertThat(c.get("mixed")).isEqualTo("value");
        assertThat(c.withVersion(2).get("mixed")).isNull();
    }

    @Test
    void theKeyFunctionsOutputPassesTheKeyPolicy() {
        KeyFunction spaced = (key, p, version) -> p + " " + version + " " + key;
        Cache hashed = open(b -> b.keyFunction(spaced));
        assertThat(hashed.set("key", "value")).isTrue();
        if (storesValues()) {
            assertThat(hashed.get("key")).isEqualTo("value");
        }
        Cache strict = open(b -> b.keyFunction(spaced).option("strict_keys", true));
        assertThatThrownBy(() -> strict.set("key", "value")).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("'key'");
    }

    static Stream<Arguments> unsafeKeys() {
        return Stream.of(
                Arguments.of(Named.of("space", "a key with spaces")),
                Arguments.of(Named.of("tab", "tab\tkey")),
                Arguments.of(Named.of("newline", "line\nbreak")),
                Arguments.of(Named.of("carriage return", "cr\r\nlf")),
                Arguments.of(Named.of("NUL", "nul\u0000key")),
                Arguments.of(Named.of("bell", "bell\u0007")),
                Arguments.of(Named.of("DEL", "del\u007fkey")),
                Arguments.of(Named.of("251 ASCII bytes", "k".repeat(251))),
                Arguments.of(Named.of("1000 ASCII bytes", "x".repeat(1000))),
                Arguments.of(Named.of("long unicode (300 bytes)", "日".repeat(100))),
                Arguments.of(Named.of("long emoji (256 bytes)", "🔑".repeat(64))),
                Arguments.of(Named.of("unpaired surrogate", "half\uD83Dkey")));
    }

    static Stream<Arguments> safeUnusualKeys() {
        return Stream.of(
                Arguments.of(Named.of("empty", "")),
                Arguments.of(Named.of("unicode", "clé-日本語-кириллица")),
                Arguments.of(Named.of("emoji", "🔑🗝️🎉")),
                Arguments.of(Named.of("punctuation", "a:b/c?d=e&f#g%20'\"\\")),
                Arguments.of(Named.of("looks like a hash", "~abc")),
                Arguments.of(Named.of("memcached words", "get\u00a0set")));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#unsafeKeys")
    void unsafeKeysAreHashedAndRoundTrip(String key) {
        requireStorage();
        assertThat(cache.set(key, "value")).isTrue();
        assertThat(cache.get(key)).isEqualTo("value");
        assertThat(cache.hasKey(key)).isTrue();
        assertThat(cache.add(key, "other")).isFalse();
        assertThat(cache.getMany(List.of(key))).containsExactly(entry(key, "value"));
        assertThat(cache.delete(key)).isTrue();
        assertThat(cache.hasKey(key)).isFalse();
    }

    @Test
    void hashedKeysDoNotCollide() {
        requireStorage();
        List<String> keys = unsafeKeys().map(a -> (String) ((Named<?>) a.get()[0]).getPayload())
                .collect(Collectors.toCollection(ArrayList::new));
        keys.add("k".repeat(300) + "1");
        keys.add("k".repeat(300) + "2");
        keys.add("a key with spaces ");
        keys.add(" a key with spaces");
        for (int i = 0; i < keys.size(); i++) {
            cache.set(keys.get(i), i);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(cache.get(keys.get(i))).as("key #%d", i).isEqualTo((long) i);
        }
        assertThat(cache.withVersion(2).get(keys.get(0))).isNull();
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#safeUnusualKeys")
    void unusualButSafeKeysRoundTrip(String key) {
        requireStorage();
        cache.set(key, "value");
        cache.set(key + "-neighbour", "other");
        assertThat(cache.get(key)).isEqualTo("value");
        assertThat(cache.getMany(List.of(key))).containsExactly(entry(key, "value"));
        assertThat(cache.incrVersion(key)).isEqualTo(2);
        assertThat(cache.withVersion(2).get(key)).isEqualTo("value");
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#unsafeKeys")
    void strictKeysRefuseUnsafeKeysNamingThem(String key) {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> strict.set(key, "value")).isInstanceOf(InvalidKeyException.class)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(named(key));
        assertThatThrownBy(() -> strict.get(key)).isInstanceOf(InvalidKeyException.class);
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#safeUnusualKeys")
    void strictKeysAcceptSafeKeys(String key) {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThat(strict.set(key, "value")).isTrue();
        if (storesValues()) {
            assertThat(strict.get(key)).isEqualTo("value");
        }
    }

    @Test
    void strictKeysAllow250BytesAfterThePrefix() {
        Cache strict = open(b -> b.option("strict_keys", true));
        String head = prefix + ":1:";
        String longest = "k".repeat(250 - head.length());
        assertThat(strict.set(longest, "value")).isTrue();
        if (storesValues()) {
            assertThat(strict.get(longest)).isEqualTo("value");
        }
        assertThatThrownBy(() -> strict.set(longest + "k", "value")).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("250");
        String longestUnicode = "é".repeat((250 - head.length()) / 2);
        assertThat(strict.set(longestUnicode, "value")).isTrue();
        assertThatThrownBy(() -> strict.set(longestUnicode + "éé", "value")).isInstanceOf(InvalidKeyException.class);
    }

    /** An operation on one key, for checks every operation must pass. */
    public record KeyOp(String name, BiConsumer<Cache, String> action) {
        @Override
        public String toString() {
            return name;
        }
    }

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

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#keyOperations")
    void aNullKeyIsRefused(KeyOp op) {
        assertThatThrownBy(() -> op.action().accept(cache, null)).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("null");
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#keyOperations")
    void strictKeysApplyToEveryOperation(KeyOp op) {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> op.action().accept(strict, "bad key")).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("'bad key'");
        assertThat(strict.get("ok")).isNull();
    }

    // =====================================================================================
    // Typed reads
    // =====================================================================================

    @Test
    void integersReadBackAsLong() {
        requireStorage();
        cache.set("int", 42);
        cache.set("short", (short) 42);
        cache.set("byte", (byte) 42);
        cache.set("long", 42L);
        for (String k : List.of("int", "short", "byte", "long")) {
            assertThat(cache.get(k)).as(k).isInstanceOf(Long.class).isEqualTo(42L);
        }
    }

    @Test
    void typedReadsConvertBetweenIntegralTypes() {
        requireStorage();
        cache.set("n", 42L);
        assertThat(cache.get("n", Integer.class)).isEqualTo(42);
        assertThat(cache.get("n", Short.class)).isEqualTo((short) 42);
        assertThat(cache.get("n", Byte.class)).isEqualTo((byte) 42);
        assertThat(cache.get("n", Long.class)).isEqualTo(42L);
        assertThat(cache.get("n", int.class)).isEqualTo(42);
        assertThat(cache.get("n", long.class)).isEqualTo(42L);
        assertThat(cache.get("n", Number.class)).isEqualTo(42L);
        assertThat(cache.get("n", Object.class)).isEqualTo(42L);
    }

    @Test
    void anIntegerTooBigForTheTypeIsAClassCastNamingTheKey() {
        requireStorage();
        cache.set("big", 1L << 40);
        assertThatThrownBy(() -> cache.get("big", Integer.class)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'big'");
        cache.set("b", 300);
        assertThatThrownBy(() -> cache.get("b", Byte.class)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'b'");
        assertThat(cache.get("big", Long.class)).isEqualTo(1L << 40);
    }

    @Test
    void aTypedReadOfTheWrongTypeIsAClassCastNamingKeyAndTypes() {
        requireStorage();
        cache.set("text", "hello");
        assertThatThrownBy(() -> cache.get("text", Long.class)).isInstanceOf(ClassCastException.class)
                .hasMessageContaining("'text'").hasMessageContaining("java.lang.String")
                .hasMessageContaining("java.lang.Long");
        assertThatThrownBy(() -> cache.lookup("text", Integer.class)).isInstanceOf(ClassCastException.class);
        assertThatThrownBy(() -> cache.get("text", Integer.class, 1)).isInstanceOf(ClassCastException.class);
        assertThat(cache.get("text")).isEqualTo("hello");
    }

    @Test
    void typedReadsDoNotConvertNonIntegers() {
        requireStorage();
        cache.set("d", 1.0d);
        assertThatThrownBy(() -> cache.get("d", Long.class)).isInstanceOf(ClassCastException.class);
        cache.set("n", 1L);
        assertThatThrownBy(() -> cache.get("n", Double.class)).isInstanceOf(ClassCastException.class);
        assertThatThrownBy(() -> cache.get("n", String.class)).isInstanceOf(ClassCastException.class);
    }

    // =====================================================================================
    // Value types
    // =====================================================================================

    static Stream<Arguments> strings() {
        return Stream.of(
                Arguments.of(Named.of("empty", "")),
                Arguments.of(Named.of("ascii", "hello, world")),
                Arguments.of(Named.of("unicode", "Iñtërnâtiônàlizætiøn ☃ 日本語 кириллица")),
                Arguments.of(Named.of("emoji", "😀🔑👩‍👩‍👧‍👦")),
                Arguments.of(Named.of("control characters", "nul\u0000tab\tnewline\n\u007f")),
                Arguments.of(Named.of("digits", "12345")),
                Arguments.of(Named.of("negative digits", "-42")),
                Arguments.of(Named.of("envelope byte", "\u00c1\u0001x")),
                Arguments.of(Named.of("10k characters", randomText(10_000, 7))));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#strings")
    void stringsRoundTripExactly(String value) {
        requireStorage();
        assertRoundTrip("s", value);
        assertThat(cache.get("s")).isInstanceOf(String.class);
    }

    @Test
    void theEmptyStringIsAHitNotAMiss() {
        requireStorage();
        cache.set("empty", "");
        assertThat(cache.lookup("empty")).isEqualTo(Lookup.hit(""));
        assertThat(cache.get("empty", String.class, "fallback")).isEqualTo("");
    }

    @Test
    void byteArraysRoundTripExactly() {
        requireStorage();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        for (byte[] value : List.of(new byte[0], all, "42".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC1},
                randomBytes(10_000, 3))) {
            cache.set("bytes", value);
            assertThat(cache.get("bytes")).isInstanceOf(byte[].class);
            assertThat(cache.get("bytes", byte[].class)).containsExactly(value);
        }
    }

    @Test
    void longsKeepTheirFullRange() {
        requireStorage();
        for (long n : new long[] {0, -1, 1, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertRoundTrip("n", n);
        }
    }

    @Test
    void booleansRoundTrip() {
        requireStorage();
        assertRoundTrip("t", true);
        assertRoundTrip("f", false);
        assertThat(cache.get("f", Boolean.class)).isFalse();
    }

    @Test
    void floatingPointRoundTripsIncludingSpecialValues() {
        requireStorage();
        for (double d : new double[] {0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE}) {
            assertRoundTrip("d", d);
        }
        assertRoundTrip("f", 1.5f);
        assertThat(cache.get("f")).isInstanceOf(Float.class);
    }

    @Test
    void bigNumbersKeepScaleAndPrecision() {
        requireStorage();
        assertRoundTrip("decimal", new BigDecimal("1.10"));
        assertThat(cache.get("decimal", BigDecimal.class).scale()).isEqualTo(2);
        assertRoundTrip("huge", new BigInteger("123456789012345678901234567890"));
        assertRoundTrip("tiny", new BigDecimal("-1E-400"));
    }

    @Test
    void charactersAndOtherBoxesRoundTrip() {
        requireStorage();
        assertRoundTrip("char", 'é');
        assertThat(cache.get("char")).isInstanceOf(Character.class);
    }

    @Test
    void jdkValueTypesRoundTrip() {
        requireStorage();
        assertRoundTrip("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        assertRoundTrip("instant", Instant.parse("2024-02-29T12:34:56.789Z"));
        assertRoundTrip("date", LocalDate.of(2024, 2, 29));
        assertRoundTrip("datetime", LocalDateTime.of(2024, 2, 29, 1, 2, 3));
        assertRoundTrip("zoned", ZonedDateTime.of(2024, 2, 29, 1, 2, 3, 0, ZoneOffset.ofHours(2)));
        assertRoundTrip("duration", Duration.ofMillis(1234));
        assertRoundTrip("enum", DayOfWeek.FRIDAY);
        assertThat(cache.get("enum")).isSameAs(DayOfWeek.FRIDAY);
    }

    @Test
    void listsRoundTripInOrder() {
        requireStorage();
        assertRoundTrip("list", new ArrayList<>(List.of("b", "a", "c")));
        assertRoundTrip("immutable", List.of(3, 1, 2));
        assertRoundTrip("empty", List.of());
        assertRoundTrip("withNull", Arrays.asList("a", null, "b"));
    }

    @Test
    void mapsRoundTrip() {
        requireStorage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", "two");
        m.put("null", null);
        assertRoundTrip("linked", m);
        assertThat(((Map<?, ?>) cache.get("linked")).keySet().toArray()).containsExactly("z", "a", "null");
        assertRoundTrip("immutable", Map.of("k", 1L));
        assertRoundTrip("sorted", new TreeMap<>(Map.of("b", 2, "a", 1)));
    }

    @Test
    void setsRoundTrip() {
        requireStorage();
        assertRoundTrip("hash", new HashSet<>(Set.of(1, 2, 3)));
        assertRoundTrip("linked", new LinkedHashSet<>(List.of("c", "a", "b")));
        assertThat(((Set<?>) cache.get("linked")).toArray()).containsExactly("c", "a", "b");
        assertRoundTrip("tree", new TreeSet<>(Set.of("x", "y")));
        assertRoundTrip("immutable", Set.of(1L));
    }

    @Test
    void nestedCollectionsRoundTrip() {
        requireStorage();
        Map<String, List<Map<String, Set<Long>>>> nested = new HashMap<>();
        nested.put("outer", List.of(Map.of("inner", Set.of(1L, 2L)), Map.of()));
        nested.put("empty", new ArrayList<>());
        assertRoundTrip("nested", nested);
        assertRoundTrip("unmodifiable", Collections.unmodifiableList(new ArrayList<>(List.of(List.of("x")))));
    }

    @Test
    void arraysRoundTrip() {
        requireStorage();
        cache.set("ints", new int[] {1, 2, 3});
        cache.set("strings", new String[] {"a", null, "c"});
        cache.set("longs", new long[0]);
        assertThat(cache.get("ints", int[].class)).containsExactly(1, 2, 3);
        assertThat(cache.get("strings", String[].class)).containsExactly("a", null, "c");
        assertThat(cache.get("longs", long[].class)).isEmpty();
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

    private Cache withFixturesAllowed() {
        return open(b -> b.option("codec_allow", "dev.cachet.testkit.fixtures.*"));
    }

    @Test
    void allowedUserClassesRoundTrip() {
        requireStorage();
        Cache c = withFixturesAllowed();
        Point p = new Point(3, -4);
        Basket basket = new Basket("ann").add(p, Color.RED).add(new Point(0, 0), Color.BLUE);
        c.set("point", p);
        c.set("basket", basket);
        c.set("blue", Color.BLUE);
        c.set("list", List.of(p, Color.GREEN));
        assertThat(c.get("point")).isEqualTo(p);
        assertThat(c.get("basket", Basket.class)).isEqualTo(basket);
        assertThat(c.get("blue")).isSameAs(Color.BLUE);
        assertThat(c.get("list")).isEqualTo(List.of(p, Color.GREEN));
    }

    @Test
    void anExactClassNameInCodecAllowAllowsThatClassOnly() {
        requireSerialization();
        Cache c = open(b -> b.option("codec_allow", Point.class.getName()));
        c.set("point", new Point(1, 2));
        assertThat(c.get("point")).isEqualTo(new Point(1, 2));
        assertThatThrownBy(() -> c.set("basket", new Basket("bob"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Basket.class.getName());
    }

    @Test
    void userClassesAreRefusedWithoutCodecAllow() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThatThrownBy(() -> cache.set("point", new Point(1, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Point.class.getName()).hasMessageContaining("codec_allow");
        assertThat(cache.hasKey("point")).isFalse();
    }

    @Test
    void aClassOutsideTheAllowListFailsSetNamingItAndStoresNothing() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Cache c = withFixturesAllowed();
        c.set("key", "previous");
        assertThatThrownBy(() -> c.set("key", new Unlisted("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThatThrownBy(() -> c.add("fresh", new Unlisted("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(c.hasKey("fresh")).isFalse();
        if (storesValues()) {
            assertThat(c.get("key")).isEqualTo("previous");
        }
    }

    @Test
    void aRefusedClassFailsEvenWithAZeroTimeout() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Cache c = withFixturesAllowed();
        c.set("key", "previous");
        assertThatThrownBy(() -> c.set("key", new Unlisted("x"), Timeout.ofSeconds(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Unlisted.class.getName());
        assertThatThrownBy(() -> c.add("fresh", new Unlisted("x"), Timeout.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Unlisted.class.getName());
        if (storesValues()) {
            assertThat(c.get("key")).as("a refused write loses nothing").isEqualTo("previous");
        }
    }

    @Test
    void aRefusedClassDeepInsideAValueIsRefused() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Cache c = withFixturesAllowed();
        Map<String, Object> value = Map.of("ok", List.of(new Point(1, 1), List.of(new Unlisted("deep"))));
        assertThatThrownBy(() -> c.set("key", value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(c.hasKey("key")).isFalse();
    }

    @Test
    void aNonSerializableClassIsRefusedNamingIt() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThatThrownBy(() -> cache.set("key", new NotSerializable())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NotSerializable.class.getName());
        assertThatThrownBy(() -> cache.set("key", List.of(new NotSerializable())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(NotSerializable.class.getName());
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void aRefusedValueInSetManyStoresNone() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("first", "fine");
        values.put("bad", new Unlisted("x"));
        values.put("last", "fine");
        assertThatThrownBy(() -> cache.setMany(values)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(cache.getMany(List.of("first", "bad", "last"))).isEmpty();
    }

    @Test
    void aRefusedLoaderResultPropagatesFromGetOrSet() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThatThrownBy(() -> cache.getOrSet("key", Object.class, () -> new Unlisted("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Unlisted.class.getName());
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void storedValuesAreCopiesIsolatedFromTheCaller() {
        requireSerialization();
        List<String> list = new ArrayList<>(List.of("a"));
        byte[] bytes = {1, 2, 3};
        cache.set("list", list);
        cache.set("bytes", bytes);
        list.add("b");
        bytes[0] = 9;
        assertThat(cache.get("list")).isEqualTo(List.of("a")).isNotSameAs(list);
        byte[] read = cache.get("bytes", byte[].class);
        assertThat(read).containsExactly(1, 2, 3);
        read[1] = 9;
        assertThat(cache.get("bytes", byte[].class)).containsExactly(1, 2, 3);
    }

    @Test
    void byReferenceValuesAreTheVerySameObjects() {
        requireStorage();
        assumeFalse(serializesValues(), "only for backends that keep values by reference");
        List<String> list = new ArrayList<>(List.of("a"));
        NotSerializable anything = new NotSerializable();
        cache.set("list", list);
        cache.set("anything", anything);
        assertThat(cache.get("list")).isSameAs(list);
        assertThat(cache.get("anything")).isSameAs(anything);
    }

    // =====================================================================================
    // Large values and compression
    // =====================================================================================

    @Test
    void aOneMegabyteStringRoundTrips() {
        requireStorage();
        String big = randomText(1 << 20, 11);
        assertThat(cache.set("big", big)).isTrue();
        assertThat(cache.get("big")).isEqualTo(big);
        cache.delete("big");
        assertThat(cache.hasKey("big")).isFalse();
    }

    @Test
    void fiveMegabytesOfRandomBytesRoundTrip() {
        requireStorage();
        byte[] big = randomBytes(5 << 20, 13);
        assertThat(cache.set("big", big)).isTrue();
        assertThat(cache.get("big", byte[].class)).isEqualTo(big);
        assertThat(cache.delete("big")).isTrue();
        assertThat(cache.get("big")).isNull();
    }

    @Test
    void largeValuesGoThroughSetManyAndGetMany() {
        requireStorage();
        byte[] a = randomBytes(300_000, 17);
        String b = randomText(200_000, 19);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", a);
        values.put("small", 1);
        values.put("b", b);
        assertThat(cache.setMany(values)).isEmpty();
        Map<String, Object> read = cache.getMany(List.of("b", "missing", "small", "a"));
        assertThat(read.keySet()).containsExactly("b", "small", "a");
        assertThat((byte[]) read.get("a")).isEqualTo(a);
        assertThat(read.get("b")).isEqualTo(b);
        assertThat(read.get("small")).isEqualTo(1L);
        assertThat(cache.deleteMany(List.of("a", "b", "small"))).isEqualTo(3);
    }

    @Test
    void addOfALargeValueRespectsAnExistingOne() {
        requireStorage();
        byte[] first = randomBytes(200_000, 23);
        byte[] second = randomBytes(200_000, 29);
        assertThat(cache.add("big", first)).isTrue();
        assertThat(cache.add("big", second)).isFalse();
        assertThat(cache.get("big", byte[].class)).isEqualTo(first);
        cache.delete("big");
    }

    @Test
    void largeAndSmallValuesReplaceEachOther() {
        requireStorage();
        byte[] big = randomBytes(200_000, 31);
        cache.set("key", big);
        cache.set("key", "small");
        assertThat(cache.get("key")).isEqualTo("small");
        cache.set("key", big);
        assertThat(cache.get("key", byte[].class)).isEqualTo(big);
        byte[] other = randomBytes(150_000, 37);
        cache.set("key", other);
        assertThat(cache.get("key", byte[].class)).isEqualTo(other);
        cache.delete("key");
    }

    @Test
    void aLargeValueExpiresAndTouchKeepsItWhole() {
        requireStorage();
        byte[] big = randomBytes(200_000, 41);
        cache.set("touched", big, shortTimeout());
        cache.set("expiring", big, shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.touch("touched", Timeout.FOREVER)).isTrue();
        l.pass();
        assertThat(cache.get("touched", byte[].class)).isEqualTo(big);
        assertThat(cache.hasKey("expiring")).isFalse();
        assertThat(cache.get("expiring")).isNull();
        cache.delete("touched");
    }

    @Test
    void largeValuesMoveWithIncrVersion() {
        requireStorage();
        String big = randomText(300_000, 43);
        cache.set("big", big);
        assertThat(cache.incrVersion("big")).isEqualTo(2);
        assertThat(cache.withVersion(2).get("big")).isEqualTo(big);
        assertThat(cache.get("big")).isNull();
        cache.withVersion(2).delete("big");
    }

    @Test
    void compressionOnAndOffGiveEqualValues() {
        requireStorage();
        Cache plain = open(prefix + "-plain", b -> b.option("compression", "none"));
        Cache deflated = open(prefix + "-deflated", b -> b.option("compression", "deflate").option("compress_threshold", 0));
        List<Object> values = List.of("x".repeat(200_000), randomText(50_000, 47), randomBytes(100_000, 53),
                "short", new byte[] {0}, List.of("abc".repeat(10_000), 42L), Map.of("k", "v".repeat(5000)));
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            plain.set("v" + i, v);
            deflated.set("v" + i, v);
            assertThat(plain.get("v" + i)).as("uncompressed #%d", i).isEqualTo(v);
            assertThat(deflated.get("v" + i)).as("compressed #%d", i).isEqualTo(v);
        }
    }

    @Test
    void compressionLevelsAllRoundTrip() {
        requireStorage();
        String text = "the quick brown fox ".repeat(10_000);
        for (int level : new int[] {0, 1, 9}) {
            Cache c = open(prefix + "-level" + level, b -> b.option("compress_level", level));
            c.set("text", text);
            assertThat(c.get("text")).as("level %d", level).isEqualTo(text);
        }
    }

    // =====================================================================================
    // Expiry
    // =====================================================================================

    @Test
    void aValueExpiresAfterItsTimeout() {
        requireStorage();
        cache.set("key", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        assertThat(cache.get("key")).isEqualTo("value");
        l.pass();
        assertThat(cache.get("key")).isNull();
        assertThat(cache.lookup("key").isMiss()).isTrue();
    }

    @Test
    void aValueIsReadableUntilJustBeforeItsDeadline() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("key", "value", Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(9_999));
        assertThat(cache.get("key")).isEqualTo("value");
        clock.advance(Duration.ofMillis(2));
        assertThat(cache.get("key")).isNull();
    }

    @Test
    void millisecondTimeoutsAreHonoured() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("key", "value", Duration.ofMillis(1500));
        clock.advance(Duration.ofMillis(1400));
        assertThat(cache.hasKey("key")).isTrue();
        clock.advance(Duration.ofMillis(200));
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void theDefaultTimeoutIs300Seconds() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("set", "value");
        cache.add("add", "value");
        cache.setMany(Map.of("many", "value"));
        cache.getOrSet("loaded", String.class, () -> "value");
        clock.advance(Duration.ofSeconds(299));
        assertThat(cache.getMany(List.of("set", "add", "many", "loaded"))).hasSize(4);
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.getMany(List.of("set", "add", "many", "loaded"))).isEmpty();
    }

    @Test
    void theTimeoutOptionSetsTheDefault() {
        requireStorage();
        Cache c = open(b -> b.option("timeout", shortTimeout().toMillis() + "ms"));
        c.set("default", "value");
        c.set("explicit", "value", Timeout.FOREVER);
        Lapse l = lapse(c, Timeout.DEFAULT, shortTimeout());
        assertThat(c.get("default")).isEqualTo("value");
        l.pass();
        assertThat(c.get("default")).isNull();
        assertThat(c.get("explicit")).isEqualTo("value");
    }

    @Test
    void aTimeoutOptionOfNoneMeansForever() {
        TestClock clock = requireClock();
        requireStorage();
        Cache c = open(b -> b.option("timeout", "none"));
        c.set("key", "value");
        clock.advance(Duration.ofDays(365 * 20));
        assertThat(c.get("key")).isEqualTo("value");
    }

    @Test
    void foreverNeverExpires() {
        requireStorage();
        cache.set("forever", "value", Timeout.FOREVER);
        cache.set("short", "value", shortTimeout());
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.get("short")).isNull();
        assertThat(cache.get("forever")).isEqualTo("value");
        TestClock clock = clock();
        if (clock != null) {
            clock.advance(Duration.ofDays(365 * 50));
            assertThat(cache.get("forever")).isEqualTo("value");
        }
    }

    @Test
    void aHugeTimeoutIsForeverNotAnError() {
        requireStorage();
        assertThat(cache.set("key", "value", Duration.ofDays(365L * 1_000_000))).isTrue();
        assertThat(cache.set("max", "value", Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
        assertThat(cache.get("key")).isEqualTo("value");
        assertThat(cache.get("max")).isEqualTo("value");
        TestClock clock = clock();
        if (clock != null) {
            clock.advance(Duration.ofDays(365 * 50));
            assertThat(cache.get("key")).isEqualTo("value");
            assertThat(cache.get("max")).isEqualTo("value");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -86_400, Long.MIN_VALUE})
    void zeroOrNegativeTimeoutsStoreNothingReadable(long seconds) {
        assertThat(cache.set("fresh", "value", Timeout.ofSeconds(seconds))).isTrue();
        assertThat(cache.hasKey("fresh")).isFalse();
        assertThat(cache.get("fresh")).isNull();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void setWithZeroOrNegativeTimeoutRemovesTheOldValue(long seconds) {
        requireStorage();
        cache.set("key", "old");
        assertThat(cache.set("key", "new", Timeout.ofSeconds(seconds))).isTrue();
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.add("key", "after")).isTrue();
    }

    @Test
    void eachKeyExpiresOnItsOwn() {
        requireStorage();
        cache.set("short", "S", shortTimeout());
        cache.set("long", "L", Duration.ofHours(1));
        Lapse l = lapse(shortTimeout());
        l.pass();
        assertThat(cache.get("short")).isNull();
        assertThat(cache.get("long")).isEqualTo("L");
    }

    @Test
    void setResetsTheExpiry() {
        requireStorage();
        cache.set("key", "first", shortTimeout());
        Lapse l = lapse(shortTimeout());
        cache.set("key", "second", Timeout.FOREVER);
        l.pass();
        assertThat(cache.get("key")).isEqualTo("second");
    }

    @Test
    void aTimeoutIsMeasuredFromTheWriteNotTheRead() {
        TestClock clock = requireClock();
        requireStorage();
        cache.set("key", "value", Duration.ofSeconds(10));
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(cache.get("key")).isEqualTo("value");
        }
        clock.advance(Duration.ofMillis(1001));
        assertThat(cache.get("key")).isNull();
    }

    // =====================================================================================
    // clear, close
    // =====================================================================================

    @Test
    void clearRemovesEveryKey() {
        requireStorage();
        cache.setMany(Map.of("a", 1, "b", "B", "c a", "hashed"));
        cache.clear();
        assertThat(cache.getMany(List.of("a", "b", "c a"))).isEmpty();
        assertThat(cache.add("a", "again")).isTrue();
    }

    @Test
    void clearRemovesEveryVersion() {
        requireStorage();
        cache.set("key", 1);
        cache.withVersion(2).set("key", 2);
        cache.withVersion(-7).set("other", 3);
        cache.withVersion(2).clear();
        assertThat(cache.hasKey("key")).isFalse();
        assertThat(cache.withVersion(2).hasKey("key")).isFalse();
        assertThat(cache.withVersion(-7).hasKey("other")).isFalse();
    }

    @Test
    void clearOfAnEmptyCacheIsFine() {
        cache.clear();
        cache.clear();
        assertThat(cache.get("key")).isNull();
    }

    @Test
    void clearRemovesLargeValues() {
        requireStorage();
        cache.set("big", randomBytes(300_000, 59));
        cache.clear();
        assertThat(cache.get("big")).isNull();
        assertThat(cache.add("big", "small")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#keyOperations")
    void everyOperationAfterCloseThrowsIllegalState(KeyOp op) {
        cache.set("key", "value");
        cache.close();
        assertThatThrownBy(() -> op.action().accept(cache, "key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void operationsOnNoKeysAfterCloseThrowIllegalStateToo() {
        cache.close();
        assertThatThrownBy(() -> cache.getMany(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.setMany(Map.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.deleteMany(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clearAfterCloseThrowsIllegalState() {
        cache.close();
        assertThatThrownBy(() -> cache.clear()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closeIsIdempotent() {
        cache.close();
        cache.close();
        assertThatThrownBy(() -> cache.get("key")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingAVersionViewClosesTheCache() {
        Cache v2 = cache.withVersion(2);
        v2.close();
        assertThatThrownBy(() -> cache.get("key")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.withVersion(3).set("key", "v")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void asyncOperationsAfterCloseFailWithIllegalState() {
        AsyncCache async = cache.async();
        cache.close();
        assertThat(failureOf(async.get("key"))).isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(async.set("key", "v"))).isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(async.getOrSet("key", String.class, () -> "v", Timeout.DEFAULT)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(failureOf(async.clear())).isInstanceOf(IllegalStateException.class);
    }

    // =====================================================================================
    // Async face
    // =====================================================================================

    @Test
    void asyncGetWithDefaultAndUntypedLookup() {
        AsyncCache async = cache.async();
        assertThat(join(async.get("absent", String.class, "fallback"))).isEqualTo("fallback");
        assertThat(join(async.lookup("absent")).isMiss()).isTrue();
        if (storesValues()) {
            cache.set("present", "value");
            assertThat(join(async.get("present", String.class, "fallback"))).isEqualTo("value");
            assertThat(join(async.lookup("present"))).isEqualTo(Lookup.hit("value"));
        }
    }

    @Test
    void asyncSyncIsTheCache() {
        assertThat(cache.async().sync()).isSameAs(cache);
    }

    @Test
    void asyncSetAndGetCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.set("key", "value"))).isTrue();
        assertThat(join(async.get("key"))).isEqualTo("value");
        assertThat(join(async.get("key", String.class))).isEqualTo("value");
        assertThat(join(async.get("missing"))).isNull();
        assertThat(join(async.lookup("key", String.class))).isEqualTo(Lookup.hit("value"));
        assertThat(join(async.lookup("missing", String.class))).isEqualTo(Lookup.miss());
        assertThat(join(async.set("short", "v", Timeout.ofSeconds(0)))).isTrue();
        assertThat(cache.hasKey("short")).isFalse();
    }

    @Test
    void asyncAddCompletesWithTheSyncResult() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.add("key", "first"))).isTrue();
        assertThat(join(async.add("key", "second", Timeout.FOREVER))).isFalse();
        assertThat(cache.get("key")).isEqualTo("first");
    }

    @Test
    void asyncGetOrSetRunsTheLoaderOnlyOnAMiss() {
        requireStorage();
        AsyncCache async = cache.async();
        AtomicInteger runs = new AtomicInteger();
        assertThat(join(async.getOrSet("key", String.class, () -> "loaded " + runs.incrementAndGet(), Timeout.DEFAULT)))
                .isEqualTo("loaded 1");
        assertThat(join(async.getOrSet("key", String.class, () -> "loaded " + runs.incrementAndGet(), Timeout.DEFAULT)))
                .isEqualTo("loaded 1");
        assertThat(runs).hasValue(1);
    }

    @Test
    void asyncGetOrSetFailsWithTheLoadersException() {
        Throwable t = failureOf(cache.async().getOrSet("key", String.class, () -> {
            throw new IllegalStateException("loader failed");
        }, Timeout.DEFAULT));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("loader failed");
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void asyncTouchDeleteAndHasKeyCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        cache.set("key", "value");
        assertThat(join(async.hasKey("key"))).isTrue();
        assertThat(join(async.touch("key", Timeout.FOREVER))).isTrue();
        assertThat(join(async.touch("missing", Timeout.FOREVER))).isFalse();
        assertThat(join(async.delete("key"))).isTrue();
        assertThat(join(async.delete("key"))).isFalse();
        assertThat(join(async.hasKey("key"))).isFalse();
    }

    @Test
    void asyncManyOperationsCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        assertThat(join(async.setMany(Map.of("a", 1, "b", 2), Timeout.DEFAULT))).isEmpty();
        assertThat(join(async.getMany(List.of("b", "missing", "a")))).containsExactly(entry("b", 2L), entry("a", 1L));
        assertThat(join(async.deleteMany(List.of("a", "b", "missing")))).isEqualTo(2);
        assertThat(join(async.getMany(List.of("a", "b")))).isEmpty();
    }

    @Test
    void asyncCountersAndVersionsCompleteWithTheSyncResults() {
        requireStorage();
        AsyncCache async = cache.async();
        cache.set("n", 10);
        assertThat(join(async.incr("n", 5))).isEqualTo(15L);
        assertThat(join(async.decr("n", 20))).isEqualTo(-5L);
        assertThat(join(async.incrVersion("n", 2))).isEqualTo(3);
        assertThat(cache.withVersion(3).get("n")).isEqualTo(-5L);
    }

    @Test
    void asyncClearCompletes() {
        requireStorage();
        cache.set("key", "value");
        assertThat(join(cache.async().clear())).isNull();
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void asyncOperationErrorsCompleteExceptionally() {
        AsyncCache async = cache.async();
        assertThat(failureOf(async.incr("missing", 1))).isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("'missing'");
        assertThat(failureOf(async.incrVersion("missing", 1))).isInstanceOf(NoSuchElementException.class);
        if (storesValues()) {
            cache.set("text", "abc");
            assertThat(failureOf(async.incr("text", 1))).isInstanceOf(NotAnIntegerException.class);
            assertThat(failureOf(async.get("text", Long.class))).isInstanceOf(ClassCastException.class);
        }
    }

    /** An async operation on one key. */
    public record AsyncKeyOp(String name, BiFunction<AsyncCache, String, CompletionStage<?>> action) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<AsyncKeyOp> asyncKeyOperations() {
        return Stream.of(
                new AsyncKeyOp("get", (a, k) -> a.get(k)),
                new AsyncKeyOp("get typed", (a, k) -> a.get(k, String.class)),
                new AsyncKeyOp("get with default", (a, k) -> a.get(k, String.class, "d")),
                new AsyncKeyOp("lookup", (a, k) -> a.lookup(k, String.class)),
                new AsyncKeyOp("lookup untyped", (a, k) -> a.lookup(k)),
                new AsyncKeyOp("set", (a, k) -> a.set(k, "v")),
                new AsyncKeyOp("add", (a, k) -> a.add(k, "v")),
                new AsyncKeyOp("getOrSet", (a, k) -> a.getOrSet(k, String.class, () -> "v", Timeout.DEFAULT)),
                new AsyncKeyOp("touch", (a, k) -> a.touch(k, Timeout.DEFAULT)),
                new AsyncKeyOp("delete", (a, k) -> a.delete(k)),
                new AsyncKeyOp("hasKey", (a, k) -> a.hasKey(k)),
                new AsyncKeyOp("incr", (a, k) -> a.incr(k, 1)),
                new AsyncKeyOp("decr", (a, k) -> a.decr(k, 1)),
                new AsyncKeyOp("incrVersion", (a, k) -> a.incrVersion(k, 1)),
                new AsyncKeyOp("getMany", (a, k) -> a.getMany(Arrays.asList("ok", k))),
                new AsyncKeyOp("setMany", (a, k) -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put(k, "v");
                    return a.setMany(m, Timeout.DEFAULT);
                }),
                new AsyncKeyOp("deleteMany", (a, k) -> a.deleteMany(Arrays.asList("ok", k))));
    }

    @ParameterizedTest
    @MethodSource("dev.cachet.testkit.CacheContractTest#asyncKeyOperations")
    void asyncBadKeysCompleteExceptionallyInsteadOfThrowing(AsyncKeyOp op) {
        CompletionStage<?> nullKey = op.action().apply(cache.async(), null);
        assertThat(failureOf(nullKey)).isInstanceOf(InvalidKeyException.class);
        Cache strict = open(b -> b.option("strict_keys", true));
        CompletionStage<?> badKey = op.action().apply(strict.async(), "bad key");
        assertThat(failureOf(badKey)).isInstanceOf(InvalidKeyException.class).hasMessageContaining("'bad key'");
    }

    @Test
    void asyncRefusedValuesCompleteExceptionally() {
        assumeTrue(serializesValues(), "values kept by reference skip the codec");
        assertThat(failureOf(cache.async().set("key", new Unlisted("x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThat(failureOf(cache.async().setMany(Map.of("key", new NotSerializable()), Timeout.DEFAULT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.hasKey("key")).isFalse();
    }

    // =====================================================================================
    // Concurrency
    // =====================================================================================

    private static final int THREADS = 8;

    /** Runs {@code task(thread)} on {@value #THREADS} threads released together; returns their results. */
    private static <T> List<T> race(java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<T> c = () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.apply(thread);
                };
                futures.add(pool.submit(c));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    throw new AssertionError("a racing thread failed: " + e.getCause(), e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void incrIsExactUnderConcurrency() throws Exception {
        requireStorage();
        cache.set("counter", 0);
        int perThread = 1000;
        List<List<Long>> seen = race(t -> {
            List<Long> mine = new ArrayList<>(perThread);
            for (int i = 0; i < perThread; i++) {
                mine.add(cache.incr("counter"));
            }
            return mine;
        });
        assertThat(cache.get("counter")).isEqualTo((long) THREADS * perThread);
        Set<Long> all = seen.stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(all).as("every increment returned a distinct value").hasSize(THREADS * perThread);
        assertThat(all).contains(1L, (long) THREADS * perThread);
    }

    @Test
    void concurrentIncrAndDecrCancelOut() throws Exception {
        requireStorage();
        cache.set("counter", 100);
        race(t -> {
            for (int i = 0; i < 500; i++) {
                if (t % 2 == 0) {
                    cache.incr("counter", 3);
                } else {
                    cache.decr("counter", 3);
                }
            }
            return null;
        });
        assertThat(cache.get("counter")).isEqualTo(100L);
    }

    @Test
    void exactlyOneConcurrentAddWins() throws Exception {
        requireStorage();
        for (int k = 0; k < 20; k++) {
            String key = "race-" + k;
            List<Boolean> wins = race(t -> cache.add(key, "thread " + t));
            assertThat(wins.stream().filter(w -> w).count()).as("winners for %s", key).isEqualTo(1);
            int winner = wins.indexOf(true);
            assertThat(cache.get(key)).isEqualTo("thread " + winner);
        }
    }

    @Test
    void concurrentGetOrSetRunsTheLoaderOncePerKey() throws Exception {
        requireStorage();
        for (int k = 0; k < 20; k++) {
            String key = "load-" + k;
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            Set<Thread> callers = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<String>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    futures.add(pool.submit(() -> {
                        callers.add(Thread.currentThread());
                        start.await(30, TimeUnit.SECONDS);
                        return cache.getOrSet(key, String.class, () -> {
                            runs.incrementAndGet();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return "value of " + key;
                        });
                    }));
                }
                // hold the loader until every caller is parked (best effort: it only widens the race)
                waitUntil(() -> runs.get() > 0 && callers.size() == THREADS && callers.stream()
                        .allMatch(th -> th.getState() == Thread.State.WAITING || th.getState() == Thread.State.TIMED_WAITING),
                        Duration.ofSeconds(2));
                release.countDown();
                for (Future<String> f : futures) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("value of " + key);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(runs).as("loader runs for %s", key).hasValue(1);
            assertThat(cache.get(key)).isEqualTo("value of " + key);
        }
    }

    @Test
    void concurrentWritersOfDistinctKeysAllLand() throws Exception {
        requireStorage();
        int perThread = 25;
        race(t -> {
            for (int i = 0; i < perThread; i++) {
                cache.set("k-" + t + "-" + i, t * 1000 + i);
            }
            return null;
        });
        List<String> keys = IntStream.range(0, THREADS).boxed()
                .flatMap(t -> IntStream.range(0, perThread).mapToObj(i -> "k-" + t + "-" + i)).toList();
        Map<String, Object> found = cache.getMany(keys);
        assertThat(found).hasSize(THREADS * perThread);
        for (int t = 0; t < THREADS; t++) {
            for (int i = 0; i < perThread; i++) {
                assertThat(found.get("k-" + t + "-" + i)).isEqualTo((long) (t * 1000 + i));
            }
        }
    }

    @Test
    void readersNeverSeeAHalfWrittenLargeValue() throws Exception {
        requireStorage();
        byte[] a = new byte[100_000];
        byte[] b = new byte[100_000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        cache.set("key", a);
        race(t -> {
            for (int i = 0; i < 30; i++) {
                if (t < 2) {
                    cache.set("key", (i + t) % 2 == 0 ? a : b);
                } else {
                    byte[] read = cache.get("key", byte[].class);
                    if (read != null && !Arrays.equals(read, a) && !Arrays.equals(read, b)) {
                        throw new AssertionError("read a mixture of two writes");
                    }
                }
            }
            return null;
        });
        assertThat(cache.get("key", byte[].class)).satisfiesAnyOf(v -> assertThat(v).isEqualTo(a),
                v -> assertThat(v).isEqualTo(b));
    }

    // =====================================================================================
    // The dummy backend (storesValues() == false): Django's DummyCache
    // =====================================================================================

    @Test
    void dummyAcceptsWritesButEveryReadMisses() {
        assumeFalse(storesValues(), "dummy backend only");
        assertThat(cache.set("key", "value")).isTrue();
        assertThat(cache.add("key", "value")).isTrue();
        assertThat(cache.add("key", "again")).as("nothing was stored, so add succeeds again").isTrue();
        assertThat(cache.get("key")).isNull();
        assertThat(cache.lookup("key").isMiss()).isTrue();
        assertThat(cache.get("key", String.class, "fallback")).isEqualTo("fallback");
        assertThat(cache.hasKey("key")).isFalse();
    }

    @Test
    void dummySetManyReportsNoFailuresAndGetManyFindsNothing() {
        assumeFalse(storesValues(), "dummy backend only");
        assertThat(cache.setMany(Map.of("a", 1, "b", "B"))).isEmpty();
        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
    }

    @Test
    void dummyDeleteAndTouchReportNothingDone() {
        assumeFalse(storesValues(), "dummy backend only");
        cache.set("key", "value");
        assertThat(cache.touch("key")).isFalse();
        assertThat(cache.touch("key", Timeout.FOREVER)).isFalse();
        assertThat(cache.delete("key")).isFalse();
        cache.setMany(Map.of("a", 1, "b", 2));
        assertThat(cache.deleteMany(List.of("a", "b"))).isZero();
    }

    @Test
    void dummyIncrFindsNoKey() {
        assumeFalse(storesValues(), "dummy backend only");
        cache.set("n", 1);
        assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(NoSuchElementException.class).hasMessageContaining("'n'");
        assertThatThrownBy(() -> cache.decr("n")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> cache.incrVersion("n")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> cache.decrVersion("n")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void dummyGetOrSetRunsTheLoaderEveryTime() {
        assumeFalse(storesValues(), "dummy backend only");
        AtomicInteger runs = new AtomicInteger();
        assertThat(cache.getOrSet("key", String.class, () -> "run " + runs.incrementAndGet())).isEqualTo("run 1");
        assertThat(cache.getOrSet("key", String.class, () -> "run " + runs.incrementAndGet())).isEqualTo("run 2");
        assertThat(join(cache.async().getOrSet("key", String.class, () -> "run " + runs.incrementAndGet(), Timeout.DEFAULT)))
                .isEqualTo("run 3");
    }

    @Test
    void dummyStillChecksKeysAndValues() {
        assumeFalse(storesValues(), "dummy backend only");
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> strict.set("bad key", "v")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> cache.set("key", new Unlisted("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Unlisted.class.getName());
        assertThatThrownBy(() -> cache.set(null, "v")).isInstanceOf(InvalidKeyException.class);
    }
}
