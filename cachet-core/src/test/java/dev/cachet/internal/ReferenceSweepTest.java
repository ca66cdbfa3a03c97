package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Expired entries nobody reads are swept, so they do not hold on to max_entries for long. */
class ReferenceSweepTest {
    private final Clock start = Clock.fixed(Instant.ofEpochMilli(1_000_000), ZoneOffset.UTC);

    @Test
    void sweepRemovesOnlyExpiredEntries() {
        MutableClock clock = new MutableClock(1_000_000);
        var cache = CaffeineMaps.byReference(10_000);
        ReferenceEntryStore store = new ReferenceEntryStore(cache, ":1:", clock, 1_000_000, Runnable::run);
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
        var cache = CaffeineMaps.byReference(10_000);
        ReferenceEntryStore store = new ReferenceEntryStore(cache, ":1:", start, 50, r -> {
            sweeps.incrementAndGet();
            r.run();
        });
        for (int i = 0; i < 149; i++) {
            store.putDirect("k" + i, i, 1_000_000 + 5, PutMode.SET);
        }
        assertThat(sweeps.get()).isEqualTo(2);
        store.putDirect("k", 1, Store.NEVER, PutMode.SET);
        assertThat(sweeps.get()).isEqualTo(3);
    }
}
