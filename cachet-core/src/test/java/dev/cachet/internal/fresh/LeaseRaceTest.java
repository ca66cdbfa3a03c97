package dev.cachet.internal.fresh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.testkit.TestClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two caches on one file directory stand for two processes sharing a backend. A process that
 * decided to load (its read found the key stale or missing) and then wins the lease only
 * because the other process has just finished its load, stored the value and released the
 * lease, must not load again: it reads the key once more under the lease. Both interleavings
 * are forced: a background refresh queued before the other process's refresh ran, and a
 * foreground load whose read came just before the other process's whole load.
 */
class LeaseRaceTest {
    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();

    private Cache open(Clock c) {
        return Caches.open(CacheConfig.builder("file:" + dir).clock(c).build());
    }

    private static Supplier<String> counted(AtomicInteger loads) {
        return () -> "v" + loads.incrementAndGet();
    }

    @Test
    void aRefreshThatWinsTheLeaseAfterAnotherProcessRefreshedDoesNotLoadAgain() {
        AtomicInteger loads = new AtomicInteger();
        List<Runnable> queued = new ArrayList<>();
        Freshness inline = Freshness.builder().timeout(Duration.ofHours(1)).freshFor(Duration.ofSeconds(1))
                .executor(Runnable::run).build();
        Freshness later = inline.toBuilder().executor(queued::add).build();
        try (Cache a = open(clock); Cache b = open(clock)) {
            assertThat(a.getOrSet("k", String.class, counted(loads), inline)).isEqualTo("v1");
            clock.advance(Duration.ofSeconds(2));
            // b reads the stale value; its refresh waits on b's executor
            assertThat(b.getOrSet("k", String.class, counted(loads), later)).isEqualTo("v1");
            assertThat(queued).hasSize(1);
            // a refreshes in full: lease, load, store, release
            assertThat(a.getOrSet("k", String.class, counted(loads), inline)).isEqualTo("v1");
            assertThat(loads).hasValue(2);
            // now b's refresh runs: the lease is free, but the value is fresh again
            queued.get(0).run();
            assertThat(loads).as("one load per refresh across the two processes").hasValue(2);
            assertThat(b.getOrSet("k", String.class, counted(loads), inline)).isEqualTo("v2");
            assertThat(b.stats().loads()).isZero();
        }
    }

    @Test
    void aForegroundLoadThatWinsTheLeaseAfterAnotherProcessLoadedDoesNotLoadAgain() {
        AtomicInteger loads = new AtomicInteger();
        Freshness f = Freshness.builder().timeout(Duration.ofHours(1)).build();
        try (Cache a = open(clock)) {
            // b's clock runs a's whole load right after b's read in loadUnderLease found nothing
            HookedClock bClock = new HookedClock(clock,
                    () -> assertThat(a.getOrSet("k", String.class, counted(loads), f)).isEqualTo("v1"));
            try (Cache b = open(bClock)) {
                assertThat(b.getOrSet("k", String.class, counted(loads), f)).isEqualTo("v1");
                assertThat(bClock.fired).as("the interleaving was forced").isTrue();
                assertThat(loads).as("one load across the two processes").hasValue(1);
            }
        }
    }

    /** A clock that runs {@code hook} once, on the first call made from {@code FreshLoads.loadUnderLease}. */
    private static final class HookedClock extends Clock {
        private final Clock base;
        private final Runnable hook;
        volatile boolean fired;

        HookedClock(Clock base, Runnable hook) {
            this.base = base;
            this.hook = hook;
        }

        @Override
        public long millis() {
            if (!fired && StackWalker.getInstance().walk(s -> s.skip(1).findFirst())
                    .filter(f -> f.getMethodName().equals("loadUnderLease")).isPresent()) {
                fired = true;
                hook.run();
            }
            return base.millis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
