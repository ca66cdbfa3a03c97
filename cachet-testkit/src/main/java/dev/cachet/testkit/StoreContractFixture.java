package dev.cachet.testkit;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of {@link StoreContractTest}: the hooks a backend's test overrides, the store
 * under test and the others a test opens (closed after it), the test's key prefix, and time
 * (deadlines, and passing them on the test clock or on real time).
 */
public abstract class StoreContractFixture {
    /** Where the stores live, with options after {@code ?} if any. */
    protected abstract String location();

    /** The clock the store honours ({@link #testClock}), or null when it runs on real time. */
    protected TestClock clock() {
        return null;
    }

    /** The deadline expiry tests use on real time. */
    protected Duration shortTtl() {
        return Duration.ofMillis(1500);
    }

    /**
     * How long past its deadline an entry may still be read on this backend: zero where the
     * store compares deadlines at read; for a server that counts an entry's time left from the
     * write's arrival (Redis' {@code PX}), a bound on a write's transit time. Expiry tests read
     * that much past the deadline.
     */
    protected Duration expiryLatency() {
        return Duration.ZERO;
    }

    /** Opens the store of one cache configured by {@code config}; closed after the test. */
    protected Store openStore(CacheConfig config) {
        return Stores.open(config);
    }

    /**
     * A key of {@code prefix}'s shape whose writes {@code store} will fail (prepared by this
     * call), or null when the backend cannot be made to fail one key alone (the test then skips).
     */
    protected String unwritableKey(Store store, String prefix) throws Exception {
        return null;
    }

    /** One clock per test, for subclasses whose {@link #clock()} returns it. */
    protected final TestClock testClock = new TestClock();

    /** This test's key prefix. */
    protected String prefix;

    /** The store under test, opened with {@link #prefix}. */
    protected Store store;

    private final List<Store> opened = new ArrayList<>();

    @BeforeEach
    void openStoreUnderTest() {
        prefix = "sc" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        store = open(prefix, b -> { });
    }

    @AfterEach
    void closeStores() {
        for (Store s : opened) {
            s.close();
        }
        opened.clear();
    }

    /** Opens a store on {@link #location()} for a cache with {@code keyPrefix}; closed after the test. */
    protected final Store open(String keyPrefix, Consumer<CacheConfig.Builder> options) {
        CacheConfig.Builder b = CacheConfig.builder(location()).name("store-contract").option("key_prefix", keyPrefix);
        if (clock() != null) {
            b.clock(clock());
        }
        options.accept(b);
        Store s = openStore(b.build());
        opened.add(s);
        return s;
    }

    /** The stored key of {@code key} at version 1 under {@link #prefix}, as the core makes it. */
    protected final String k(String key) {
        return prefix + ":1:" + key;
    }

    protected static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Now on the store's clock: the test clock, or real time. */
    protected final long now() {
        return clock() != null ? clock().millis() : System.currentTimeMillis();
    }

    /** A deadline a test will then pass: {@link #shortTtl()} from now. */
    protected final long shortDeadline() {
        return now() + shortTtl().toMillis();
    }

    /**
     * Moves to {@code deadline}: sets the test clock to it exactly (an entry is expired at its
     * deadline), or waits on real time until it has passed.
     */
    protected final void passDeadline(long deadline) throws InterruptedException {
        if (clock() != null) {
            clock().set(java.time.Instant.ofEpochMilli(deadline + expiryLatency().toMillis()));
            return;
        }
        long left;
        long until = deadline + 5 + expiryLatency().toMillis();
        while ((left = until - System.currentTimeMillis()) > 0) {
            Thread.sleep(left); // the condition is the wall clock passing the deadline, nothing else
        }
    }

    /** A deadline an hour away: no test reaches it. */
    protected final long farDeadline() {
        return now() + 3_600_000;
    }
}
