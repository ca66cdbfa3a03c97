package dev.cachet.internal.fresh;

import dev.cachet.CacheStats;
import java.util.concurrent.atomic.LongAdder;

/** The pipeline's counters, one set per cache (shared by its views); thread-safe. */
public final class LoadCounters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder failSafeActivations = new LongAdder();
    final LongAdder leaseWins = new LongAdder();
    final LongAdder leaseWaits = new LongAdder();
    final LongAdder refreshesStarted = new LongAdder();
    final LongAdder refreshesDropped = new LongAdder();
    final LongAdder refreshesFailed = new LongAdder();
    final LongAdder earlyRefreshes = new LongAdder();

    /** A snapshot of the counts. */
    public CacheStats snapshot() {
        return new CacheStats(hits.sum(), misses.sum(), staleServed.sum(), loads.sum(), loadFailures.sum(),
                failSafeActivations.sum(), leaseWins.sum(), leaseWaits.sum(), refreshesStarted.sum(),
                refreshesDropped.sum(), refreshesFailed.sum(), earlyRefreshes.sum());
    }
}
