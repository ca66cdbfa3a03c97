package dev.cachet.internal.memory;

import dev.cachet.internal.EntryStore;
import dev.cachet.testkit.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Expired entries nobody reads are swept, so they do not hold on to max_entries for long. */
class ReferenceSweepTest {

    @Test
    void sweepRemovesOnlyExpiredEntries() {
        TestClock clock = new TestClock(java.time.Instant.ofEpochMilli(1_000_000));
        var cache = MemoryStores.byReference(10_000);
        ReferenceEntryStore store = new ReferenceEntryStore(cache, ":1:", clock, 1_000_000, 1_000, Runnable::run, null);
        for (int i = 0; i < 100; i++) {
            store.putDirect("short" + i, i, 1_000_000 + 10, PutMode.SET);
            store.putDirect("long" + i, i, 1_000_000 + 10_000, PutMode.SET);
            store.putDirect("forever" + i, i, Store.NEVER, PutMode.SET);
        }
        clock.advance(java.time.Duration.ofMillis(10));
        assertThat(store.sweep()).isEqualTo(100);
        cache.cleanUp();
        assertThat(cache.estimatedSize()).isEqualTo(200);
        assertThat(store.getDirect("long5")).isEqualTo(5);
        assertThat(store.getDirect("short5")).isSameAs(EntryStore.MISSING);
    }

    @Test
    void aSweepRunsAfterEverySweepEveryWrites() {
        AtomicInteger sweeps = new AtomicInteger();
        TestClock clock = new TestClock(java.time.Instant.ofEpochMilli(1_000_000));
        var cache = MemoryStores.byReference(10_000);
        ReferenceEntryStore store = countingSweeps(cache, clock, sweeps);
        for (int i = 0; i < 149; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            store.putDirect("k" + i, i, clock.millis() + 5, PutMode.SET);
        }
        assertThat(sweeps.get()).isEqualTo(2);
        store.putDirect("k", 1, Store.NEVER, PutMode.SET);
        assertThat(sweeps.get()).isEqualTo(3);
    }

    @Test
    void sweepsAreAtLeastSweepMillisApartHoweverManyTheWrites() {
        AtomicInteger sweeps = new AtomicInteger();
        TestClock clock = new TestClock(java.time.Instant.ofEpochMilli(1_000_000));
        var cache = MemoryStores.byReference(10_000);
        ReferenceEntryStore store = countingSweeps(cache, clock, sweeps);
        for (int i = 0; i < 1_000; i++) {
            store.putDirect("k" + i, i, clock.millis() + 5, PutMode.SET);
        }
        assertThat(sweeps.get()).as("one sweep: the clock stood still").isEqualTo(1);
        clock.advance(java.time.Duration.ofMillis(999));
        for (int i = 0; i < 100; i++) {
            store.putDirect("k" + i, i, clock.millis() + 5, PutMode.SET);
        }
        assertThat(sweeps.get()).isEqualTo(1);
        clock.advance(java.time.Duration.ofMillis(1));
        for (int i = 0; i < 50; i++) {
            store.putDirect("k" + i, i, clock.millis() + 5, PutMode.SET);
        }
        assertThat(sweeps.get()).as("a second sweep once a second had passed").isEqualTo(2);
        cache.cleanUp();
        // the 900 entries of the first batch not rewritten since had expired; the 100 rewritten had not
        assertThat(cache.estimatedSize()).as("the second sweep removed what had expired").isEqualTo(100);
    }

    /** A store sweeping after every 50 writes, at most once a second, on the calling thread, counting its sweeps. */
    private static ReferenceEntryStore countingSweeps(com.github.benmanes.caffeine.cache.Cache<Object, Object> cache,
            TestClock clock, AtomicInteger sweeps) {
        return new ReferenceEntryStore(cache, ":1:", clock, 50, 1_000, r -> {
            sweeps.incrementAndGet();
            r.run();
        }, null);
    }
}
