package dev.cachet.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * What a Spring {@link Cache} must do, as Spring's own suite checks its caches (name and
 * native cache, put and get with {@code null}, typed gets, {@code putIfAbsent}, evict, clear,
 * {@code get(key, Callable)}: loader called once under 10 threads, not called on a hit, its
 * failure wrapped), plus what Spring 6.1's {@code retrieve} promises and what cachet adds (keys
 * of any type, integers kept as their type). Each backend runs it by naming a location; every
 * test works on a cache of its own key prefix.
 */
abstract class SpringCacheContract {
    static final String NAME = "spring-contract";

    private dev.cachet.Cache nativeCache;
    private CachetSpringCache cache;

    /** The location of the backend under test. */
    protected abstract String location();

    /** Whether processes share the backend, so that loads take leases (all but local memory). */
    protected boolean shared() {
        return true;
    }

    /** Options the backend needs besides the location (none by default). */
    protected java.util.Map<String, String> options() {
        return java.util.Map.of();
    }

    private String prefix;

    @BeforeEach
    void open() {
        prefix = "sc-" + UUID.randomUUID().toString().substring(0, 8);
        nativeCache = openNative();
        cache = new CachetSpringCache(nativeCache);
    }

    private dev.cachet.Cache openNative() {
        return Caches.open(CacheConfig.builder(location()).name(NAME).options(options()).option("key_prefix", prefix).build());
    }

    @AfterEach
    void close() {
        nativeCache.clear();
        nativeCache.close();
    }

    private static String randomKey() {
        return UUID.randomUUID().toString();
    }

    @Test
    void nameAndNativeCache() {
        assertThat(cache.getName()).isEqualTo(NAME);
        assertThat(cache.getNativeCache()).isSameAs(nativeCache);
    }

    @Test
    void putAndGetWithNull() {
        String key = randomKey();
        assertThat(cache.get(key)).isNull();
        assertThat(cache.get(key, String.class)).isNull();
        assertThat(cache.get(key, Object.class)).isNull();

        cache.put(key, "george");
        assertThat(cache.get(key).get()).isEqualTo("george");
        assertThat(cache.get(key, String.class)).isEqualTo("george");
        assertThat(cache.get(key, Object.class)).isEqualTo("george");
        assertThat(cache.get(key, (Class<?>) null)).isEqualTo("george");

        cache.put(key, null);
        assertThat(cache.get(key)).isNotNull();
        assertThat(cache.get(key).get()).isNull();
        assertThat(cache.get(key, String.class)).isNull();
        assertThat(cache.get(key, Object.class)).isNull();
    }

    @Test
    void typedGetOfAnotherTypeIsRefused() {
        String key = randomKey();
        cache.put(key, "george");
        assertThatThrownBy(() -> cache.get(key, Long.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("java.lang.Long");
    }

    @Test
    void putIfAbsent() {
        String key = randomKey();
        assertThat(cache.putIfAbsent(key, "initialValue")).isNull();
        assertThat(cache.get(key).get()).isEqualTo("initialValue");
        assertThat(cache.putIfAbsent(key, "anotherValue").get()).isEqualTo("initialValue");
        assertThat(cache.get(key).get()).isEqualTo("initialValue");
    }

    @Test
    void evict() {
        String key = randomKey();
        cache.put(key, "george");
        cache.evict(key);
        assertThat(cache.get(key)).isNull();
        cache.put(key, "george");
        assertThat(cache.evictIfPresent(key)).isTrue();
        assertThat(cache.evictIfPresent(key)).isFalse();
        assertThat(cache.get(key)).isNull();
    }

    @Test
    void clearAndInvalidate() {
        cache.put("enescu", "george");
        cache.put("vlaicu", "aurel");
        cache.clear();
        assertThat(cache.get("vlaicu")).isNull();
        assertThat(cache.get("enescu")).isNull();
        cache.put("enescu", "george");
        assertThat(cache.invalidate()).isTrue();
        assertThat(cache.get("enescu")).isNull();
    }

    @Test
    void getWithLoaderStoresItsValueAndItsNull() {
        for (Object loaded : new Object[] {"test", null}) {
            String key = randomKey();
            assertThat(cache.get(key)).isNull();
            Object value = cache.get(key, () -> loaded);
            assertThat(value).isEqualTo(loaded);
            assertThat(cache.get(key)).isNotNull();
            assertThat(cache.get(key).get()).isEqualTo(loaded);
        }
    }

    @Test
    void getWithLoaderDoesNotCallItOnAHit() {
        for (Object existing : new Object[] {"existing", null}) {
            String key = randomKey();
            cache.put(key, existing);
            Object value = cache.get(key, () -> {
                throw new IllegalStateException("the loader ran on a hit");
            });
            assertThat(value).isEqualTo(existing);
        }
    }

    @Test
    void loaderFailureIsWrappedAndNothingIsStored() {
        String key = randomKey();
        assertThatThrownBy(() -> cache.get(key, () -> {
            throw new UnsupportedOperationException("expected");
        })).isInstanceOf(Cache.ValueRetrievalException.class)
                .cause().isInstanceOf(UnsupportedOperationException.class).hasMessage("expected");
        assertThatThrownBy(() -> cache.get(key, () -> {
            throw new java.io.IOException("checked");
        })).isInstanceOf(Cache.ValueRetrievalException.class).cause().isInstanceOf(java.io.IOException.class);
        assertThat(cache.get(key)).isNull();
    }

    @Test
    void getWithLoaderRunsTheLoaderOnceForTenThreads() throws InterruptedException {
        String key = randomKey();
        AtomicInteger calls = new AtomicInteger();
        List<Object> results = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(10);
        CountDownLatch done = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> {
                try {
                    started.countDown();
                    results.add(cache.get(key, () -> {
                        started.await(10, TimeUnit.SECONDS); // every thread has started before the load ends
                        return calls.incrementAndGet();
                    }));
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(results).hasSize(10).containsOnly(1);
    }

    /**
     * {@code @Cacheable(sync = true)} across processes: two cachet caches on one backend (two
     * processes' worth: each its own single flight) load a key once; the second waits on the
     * first one's lease, which the first one's loader holds until it sees that wait.
     */
    @Test
    void getWithLoaderLoadsOnceForTwoCachesSharingTheBackend() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(shared(), "local memory is one process: no lease");
        try (dev.cachet.Cache otherNative = openNative()) {
            CachetSpringCache other = new CachetSpringCache(otherNative);
            String key = randomKey();
            AtomicInteger loads = new AtomicInteger();
            CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> cache.get(key, () -> {
                loads.incrementAndGet();
                // hold the lease until the other cache has found it held (bounded)
                dev.cachet.testkit.Servers.waitUntil(() -> otherNative.stats().leaseWaits() > 0, java.time.Duration.ofSeconds(10));
                return "from the first";
            }));
            dev.cachet.testkit.Servers.waitUntil(() -> loads.get() == 1, java.time.Duration.ofSeconds(10));
            Object second = other.get(key, () -> "from the second: " + loads.incrementAndGet());
            assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("from the first");
            assertThat(second).isEqualTo("from the first");
            assertThat(loads.get()).isEqualTo(1);
            assertThat(otherNative.stats().leaseWaits()).isPositive();
        }
    }

    @Test
    void keysOfAnyTypeWithTheirOwnToString() {
        record BookId(String isbn) {
        }
        cache.put(new SimpleKey("a", 1), "simple");
        cache.put(42, "int");
        cache.put(new BookId("978-0"), "record");
        cache.put(SimpleKey.EMPTY, "empty");
        cache.put(new int[] {1, 2}, "array");
        assertThat(cache.get(new SimpleKey("a", 1)).get()).isEqualTo("simple");
        assertThat(cache.get(new SimpleKey("a", 2))).isNull();
        assertThat(cache.get(42).get()).isEqualTo("int");
        assertThat(cache.get(new BookId("978-0")).get()).isEqualTo("record");
        assertThat(cache.get(SimpleKey.EMPTY).get()).isEqualTo("empty");
        assertThat(cache.get(new int[] {1, 2}).get()).isEqualTo("array");
        String longKey = "k".repeat(400) + " with spaces";
        cache.put(longKey, "hashed by cachet's key policy");
        assertThat(cache.get(longKey).get()).isEqualTo("hashed by cachet's key policy");
        Object identityOnly = new Object();
        assertThatThrownBy(() -> cache.put(identityOnly, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Object").hasMessageContaining("toString()");
    }

    @Test
    void integersComeBackAsTheirType() {
        cache.put("i", 7);
        cache.put("s", (short) 8);
        cache.put("b", (byte) 9);
        cache.put("l", 10L);
        assertThat(cache.get("i").get()).isEqualTo(7);
        assertThat(cache.get("s").get()).isEqualTo((short) 8);
        assertThat(cache.get("b").get()).isEqualTo((byte) 9);
        assertThat(cache.get("l").get()).isEqualTo(10L);
        assertThat(cache.get("loaded", () -> 11)).isEqualTo(11);
        assertThat(cache.get("loaded").get()).isEqualTo(11);
    }

    @Test
    void retrieveCompletesWithAWrapperOrNull() throws Exception {
        String key = randomKey();
        assertThat(cache.retrieve(key).get(10, TimeUnit.SECONDS)).isNull();
        cache.put(key, "v");
        assertThat(cache.retrieve(key).get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Cache.ValueWrapper.class,
                w -> assertThat(w.get()).isEqualTo("v"));
        cache.put(key, null);
        assertThat(cache.retrieve(key).get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(Cache.ValueWrapper.class,
                w -> assertThat(w.get()).isNull());
    }

    @Test
    void retrieveWithLoaderLoadsOnceAndPassesItsFailureOn() throws Exception {
        String key = randomKey();
        AtomicInteger calls = new AtomicInteger();
        assertThat(cache.retrieve(key, () -> CompletableFuture.completedFuture("loaded-" + calls.incrementAndGet()))
                .get(10, TimeUnit.SECONDS)).isEqualTo("loaded-1");
        assertThat(cache.retrieve(key, () -> CompletableFuture.completedFuture("loaded-" + calls.incrementAndGet()))
                .get(10, TimeUnit.SECONDS)).isEqualTo("loaded-1");
        assertThat(calls.get()).isEqualTo(1);

        String failing = randomKey();
        CompletableFuture<Object> f = cache.retrieve(failing,
                () -> CompletableFuture.failedFuture(new UnsupportedOperationException("expected")));
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UnsupportedOperationException.class).hasMessage("expected");
        assertThat(cache.get(failing)).isNull();
    }

    @Test
    void withoutNullValuesANullIsRefused() throws Exception {
        CachetSpringCache strict = new CachetSpringCache(nativeCache, dev.cachet.Freshness.DEFAULT, false);
        String key = randomKey();
        assertThatThrownBy(() -> strict.put(key, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NAME).hasMessageContaining("null");
        assertThatThrownBy(() -> strict.get(key, () -> null)).isInstanceOf(Cache.ValueRetrievalException.class)
                .cause().isInstanceOf(IllegalArgumentException.class);
        cache.put(key, null); // stored by a cache that allows null: the strict one reads it as nothing
        assertThat(strict.get(key)).isNull();
        strict.put(key, "v");
        assertThat(strict.retrieve(key).get(10, TimeUnit.SECONDS)).isEqualTo("v");
    }
}
