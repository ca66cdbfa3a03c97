package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fresh-data pipeline's stampede guarantees with real processes on one shared backend
 * ({@link StampedeRuns}: three worker JVMs, counts kept with {@code incr} on the backend). The
 * sizes are the issue's where they cost little (3 x 64 callers, a 200 ms and a 2 s loader),
 * the windows shorter (5 s instead of 20 s and 30 s); the benchmark runs the full ones. Only
 * counts are asserted, and one generous time bound: a killed lease holder's load is taken
 * over within the lease time plus 1 s (plus 1 s of slack for a loaded CI machine).
 *
 * <p>A backend's test extends this class and names its location (and options).
 */
public abstract class StampedeAcrossProcesses {
    /** The processes of every scenario. */
    protected static final int PROCESSES = 3;

    /** Where the processes meet, e.g. {@code redis://127.0.0.1:6379/9}. */
    protected abstract String location();

    /** Options every process opens its cache with (e.g. a JDBC table); none by default. */
    protected Map<String, String> options() {
        return Map.of();
    }

    private StampedeRuns runs() {
        return new StampedeRuns(location(), options());
    }

    @Test
    @Timeout(120)
    void aColdKeyReadByThreeProcessesIsLoadedOnceAndEveryCallerGetsTheValue() throws Exception {
        StampedeRuns.ColdRun r = runs().cold(PROCESSES, 64, Duration.ofMillis(200));
        assertThat(r.loads()).as("loader runs in the cluster").isEqualTo(1);
        assertThat(r.bad()).as("callers that failed").isZero();
        assertThat(r.values()).as("what the callers got").containsExactly(Map.entry(r.values().keySet()
                .iterator().next(), 192L));
        assertThat(r.values().keySet().iterator().next()).startsWith("v1@");
        assertThat(r.waits().count()).isEqualTo(192);
        assertThat(r.stats().loads()).isEqualTo(1);
        assertThat(r.stats().leaseWins()).as("lease wins (one per load)").isEqualTo(1);
        assertThat(r.stats().leaseWaits()).as("processes that waited for the winner's value")
                .isLessThanOrEqualTo(PROCESSES - 1);
    }

    @Test
    @Timeout(120)
    void aStaleKeyIsRefreshedOncePerCycleInTheClusterWhileReadersGetTheStaleValue() throws Exception {
        Duration fresh = Duration.ofSeconds(1);
        Duration load = Duration.ofSeconds(2);
        Duration run = Duration.ofSeconds(5);
        StampedeRuns.RefreshRun r = runs().refresh(PROCESSES, 64, fresh, load, run, Duration.ofMillis(10));
        assertThat(r.bad()).as("reads that failed").isZero();
        assertThat(r.premature()).as("loader runs that started while a fresh value was stored").isZero();
        assertThat(r.overlaps()).as("loader runs that started while another ran").isZero();
        // a cycle is fresh + load: refreshes start at fresh, 2 fresh + load, ...; the last may end after the run
        long cycles = (run.toMillis() + load.toMillis()) / (fresh.toMillis() + load.toMillis());
        assertThat(r.refreshes()).as("refreshes in %s (cycles of %s)", run, fresh.plus(load))
                .isBetween(1L, cycles);
        assertThat(r.stats().loads()).as("loads in the readers' processes").isEqualTo(r.refreshes());
        assertThat(r.stats().staleServed()).as("stale reads").isPositive();
        assertThat(r.staleReads().count()).as("reads that returned a value past its fresh period").isPositive();
        assertThat(r.stats().misses()).as("reads that found nothing").isZero();
    }

    @Test
    @Timeout(120)
    void aFailingLoaderIsRetriedAtMostOncePerThrottleInTheClusterAndTheLastGoodValueIsServed() throws Exception {
        Duration throttle = Duration.ofSeconds(1);
        Duration run = Duration.ofSeconds(5);
        StampedeRuns.FailSafeRun r = runs().failSafe(PROCESSES, 64, Duration.ofMillis(500), throttle, run,
                Duration.ofMillis(10));
        assertThat(r.bad()).as("reads that did not return the last good value").isZero();
        assertThat(r.reads().count()).isPositive();
        assertThat(r.attempts()).as("loader runs").isPositive();
        // the throttle re-stamps the entry on the backend: every process sees it fresh, so the
        // bound is cluster-wide, not per process
        assertThat(r.minGapMillis()).as("the closest two loader runs in the cluster, %s", r.attemptTimes())
                .isGreaterThanOrEqualTo(throttle.toMillis());
        long bound = (long) Math.ceil((double) run.toMillis() / throttle.toMillis()) + 1;
        assertThat(r.attempts()).as("loader runs in %s, throttle %s", run, throttle).isLessThanOrEqualTo(bound);
        assertThat(r.stats().failSafeActivations()).isEqualTo(r.attempts());
    }

    @Test
    @Timeout(120)
    void whenTheLeaseHolderIsKilledMidLoadAnotherProcessTakesOverWhenTheLeaseExpires() throws Exception {
        Duration lease = Duration.ofSeconds(2);
        StampedeRuns.TakeoverRun r = runs().takeover(PROCESSES, 8, lease);
        assertThat(r.loads()).as("loader runs: the killed one and the takeover").isEqualTo(2);
        assertThat(r.takeoverPid()).as("the process that took over").isNotZero().isNotEqualTo(r.killedPid());
        assertThat(r.bad()).as("surviving callers that failed").isZero();
        assertThat(r.survivingCallers()).isEqualTo((PROCESSES - 1) * 8);
        assertThat(r.values()).as("what the surviving callers got").hasSize(1);
        assertThat(r.values().values()).containsExactly((long) r.survivingCallers());
        assertThat(r.values().keySet().iterator().next()).startsWith("v2@");
        assertThat(r.takeoverMillis()).as("from the killed load's start to the next one's")
                .isLessThanOrEqualTo(lease.toMillis() + 2000);
    }
}
