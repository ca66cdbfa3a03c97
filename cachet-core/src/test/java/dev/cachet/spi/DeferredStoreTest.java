package dev.cachet.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.internal.memory.MemoryStores;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link DeferredStore} over an opener that fails as an unreachable server does until it is
 * told the server is up; and the exception hierarchy every backend failure shares.
 */
class DeferredStoreTest {
    private static final StoreCapabilities CAPS = new StoreCapabilities(1 << 20, true, false, true, false);

    private static final class Opener implements Supplier<Store> {
        final AtomicBoolean up = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile Store opened;

        @Override
        public Store get() {
            attempts.incrementAndGet();
            if (!up.get()) {
                throw new StoreUnreachableException("test store: cannot connect", new ConnectException("Connection refused"));
            }
            Store memory = MemoryStores.byValue(Clock.systemUTC(), 1000, 0, 1 << 20);
            Store s = (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(),
                    new Class<?>[] {Store.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            closed.set(true);
                        }
                        try {
                            return method.invoke(memory, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            opened = s;
            return s;
        }
    }

    @Test
    void aStoreThatIsUpOpensDirectly() {
        Opener opener = new Opener();
        opener.up.set(true);
        try (Store s = DeferredStore.open("test store", CAPS, opener)) {
            assertThat(s).isNotInstanceOf(DeferredStore.class).isSameAs(opener.opened);
            assertThat(opener.attempts).hasValue(1);
        }
    }

    @Test
    void aStoreThatIsDownOpensDeferredFailsAtOnceAndConnectsInTheBackground() {
        Opener opener = new Opener();
        try (Store s = DeferredStore.open("test store", CAPS, opener)) {
            assertThat(s).isInstanceOf(DeferredStore.class);
            assertThat(s.capabilities()).isEqualTo(CAPS);
            assertThatThrownBy(() -> s.get("k")).isInstanceOf(StoreException.class).isInstanceOf(CacheException.class)
                    .hasMessageContaining("test store: cannot connect").hasMessageContaining("not connected yet")
                    .hasCauseInstanceOf(StoreUnreachableException.class);
            assertThat(waitUntil(() -> opener.attempts.get() >= 3)).as("retried in the background").isTrue();
            opener.up.set(true);
            assertThat(waitUntil(((DeferredStore) s)::isConnected)).isTrue();
            assertThat(s.put("k", new byte[] {1, 2}, Store.NEVER, PutMode.SET)).isTrue();
            assertThat(s.get("k")).containsExactly(1, 2);
            assertThat(opener.opened.get("k")).as("the calls reach the opened store").containsExactly(1, 2);
            int attempts = opener.attempts.get();
            s.get("k");
            assertThat(opener.attempts.get()).as("no attempt once connected").isEqualTo(attempts);
        }
        assertThat(opener.closed).as("closing closes the opened store").isTrue();
    }

    @Test
    void closingStopsTheAttempts() {
        Opener opener = new Opener();
        Store s = DeferredStore.open("test store", CAPS, opener);
        assertThat(waitUntil(() -> opener.attempts.get() >= 2)).isTrue();
        s.close();
        assertThatThrownBy(() -> s.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        opener.up.set(true);
        int attempts = opener.attempts.get();
        // the next attempt, if one was already running, sees the store closed and closes what it opened
        assertThat(waitUntil(() -> opener.attempts.get() > attempts + 1)).as("no more attempts after close").isFalse();
    }

    @Test
    void anotherFailureAtOpenIsThrown() {
        assertThatThrownBy(() -> DeferredStore.open("test store", CAPS, () -> {
            throw new StoreException("test store: wrong password");
        })).isInstanceOf(StoreException.class).hasMessage("test store: wrong password");
    }

    @Test
    void everyStoreFailureIsACacheException() {
        CacheException e = new StoreException("node down");
        assertThat(e).hasMessage("node down");
        assertThat(e.cacheName()).isNull();
        assertThat(PartialFailureException.ofPutMany(java.util.Set.of("a"), "partly", null)).isInstanceOf(CacheException.class);
        assertThat(StoreUnreachableException.isUnreachable(new RuntimeException("wrapped", new ConnectException("refused"))))
                .isTrue();
        RuntimeException suppressed = new RuntimeException("cluster");
        suppressed.addSuppressed(new RuntimeException("seed", new java.net.UnknownHostException("nowhere")));
        assertThat(StoreUnreachableException.isUnreachable(suppressed)).isTrue();
        assertThat(StoreUnreachableException.isUnreachable(new RuntimeException("WRONGPASS"))).isFalse();
    }

    @Test
    void aCacheOverADeferredStoreFollowsItsErrorPolicy() {
        Opener opener = new Opener();
        try (Cache degrading = Caches.open(CacheConfig.builder("memory:").name("d")
                .option("on_error", "degrade").build(), DeferredStore.open("test store", CAPS, opener))) {
            assertThat(degrading.get("k")).isNull();
            assertThat(degrading.set("k", "v")).isFalse();
            opener.up.set(true);
            assertThat(waitUntil(() -> degrading.set("k", "v"))).isTrue();
            assertThat(degrading.get("k")).isEqualTo("v");
        }
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    @Test
    void everyStoreMethodReachesTheOpenedStore() {
        // a default method left to the interface would answer for the opened store (the read-then-delete
        // deleteIfEquals, "nothing known" stats) once the server is back
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (java.lang.reflect.Method m : Store.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.getName().equals("leases")) {
                continue;
            }
            try {
                DeferredStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName() + java.util.Arrays.toString(m.getParameterTypes()));
            }
        }
        assertThat(missing).as("Store methods DeferredStore does not forward").isEmpty();
    }
}
