package dev.cachet.internal.fresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheStats;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.testkit.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XFetch through the pipeline under steady load, on an injected clock: readers every 10 ms, a
 * value fresh for 10 s whose load takes 100 ms. With single flight each expiry cycle ends in
 * exactly one recomputation, started before the value goes stale, so no reader ever waits on a
 * cold load; how early it starts matches the paper's distribution.
 */
class XFetchPipelineTest {
    private static final long FRESH = 10_000;
    private static final long DELTA = 100;
    private static final long STEP = 10;

    /** The expected lead (ms before expiry) of the first trigger among reads every STEP ms. */
    private static double expectedLead(double beta) {
        double none = 1.0;
        double lead = 0;
        for (long before = FRESH - STEP; before > 0; before -= STEP) {
            double p = XFetch.probability(before, DELTA, beta);
            lead += before * p * none;
            none *= 1 - p;
        }
        return lead; // a cycle with no trigger before expiry would have lead 0 (it never happens here)
    }

    @Test
    void oneRecomputationPerCycleBeforeExpiryAtThePapersLead() {
        TestClock clock = new TestClock();
        List<Long> leads = new ArrayList<>();
        long[] freshUntil = {0};
        try (Cache cache = Caches.open(CacheConfig.builder("memory:").clock(clock).build())) {
            Freshness f = Freshness.builder().timeout(Duration.ofHours(1)).freshFor(Duration.ofMillis(FRESH))
                    .xfetch(1.0).executor(Runnable::run).build();
            int cycles = 300;
            while (leads.size() < cycles) {
                cache.getOrSet("hot", String.class, () -> {
                    long start = clock.millis();
                    if (freshUntil[0] != 0) {
                        leads.add(freshUntil[0] - start);
                    }
                    clock.advanceMillis(DELTA);
                    freshUntil[0] = clock.millis() + FRESH;
                    return "v" + start;
                }, f);
                clock.advanceMillis(STEP);
            }
            CacheStats s = cache.stats();
            assertThat(s.misses()).as("only the very first read found nothing").isEqualTo(1);
            assertThat(s.staleServed()).as("no value ever went stale under steady load").isZero();
            assertThat(s.earlyRefreshes()).as("one recomputation per cycle").isEqualTo(cycles);
            assertThat(s.loads()).isEqualTo(cycles + 1);
        }
        assertThat(leads).allMatch(l -> l > 0);
        double mean = leads.stream().mapToLong(Long::longValue).average().orElseThrow();
        assertThat(mean).isCloseTo(expectedLead(1.0), within(expectedLead(1.0) * 0.15));
    }
}
