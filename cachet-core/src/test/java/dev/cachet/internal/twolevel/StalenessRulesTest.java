package dev.cachet.internal.twolevel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.spi.Invalidation;
import dev.cachet.testkit.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backplane's rules, message by message, on two instances (A writes, B reads) over one
 * shared cache, with a channel the test delivers or drops and the test clock. The bound is an
 * hour of test time, so the real-time heartbeat thread sends only its first heartbeat.
 */
class StalenessRulesTest {
    private static final Duration BOUND = Duration.ofHours(1);

    private final TestClock clock = new TestClock();
    private final ManualHub hub = new ManualHub();
    private Cache shared;
    private ManualHub.Member aPlane;
    private ManualHub.Member bPlane;
    private TwoLevelCache a;
    private TwoLevelCache b;

    @BeforeEach
    void open() {
        shared = Caches.open("memory:?timeout=forever");
        aPlane = hub.join();
        bPlane = hub.join();
        a = Backplanes.twoLevel(shared, aPlane, 1000, Duration.ofDays(1).toMillis(), BOUND.toMillis(), clock);
        b = Backplanes.twoLevel(shared, bPlane, 1000, Duration.ofDays(1).toMillis(), BOUND.toMillis(), clock);
        waitFor(() -> deliverAll() >= 0 && b.resets() >= 2); // subscribed, then A's first heartbeat (a new epoch)
        deliverAll();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private int deliverAll() {
        return aPlane.deliver() + bPlane.deliver();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.onSpinWait();
        }
    }

    /** B holds v1 locally, served from there (the shared cache is changed behind its back to prove it). */
    private void bHoldsV1() {
        a.set("k", "v1");
        deliverAll();
        assertThat(b.get("k")).isEqualTo("v1");
        shared.set("k", "behind");
        assertThat(b.get("k")).as("a local hit").isEqualTo("v1");
        shared.set("k", "v1");
    }

    @Test
    void aDeliveredInvalidationDropsTheLocalCopy() {
        bHoldsV1();
        a.set("k", "v2");
        assertThat(b.get("k")).as("not delivered yet").isEqualTo("v1");
        deliverAll();
        assertThat(b.get("k")).isEqualTo("v2");
    }

    @Test
    void aGapInTheSequenceClearsTheLocalLevel() {
        bHoldsV1();
        a.set("k", "v2");
        assertThat(bPlane.drop(Invalidation.Kind.KEY)).isEqualTo(1);
        assertThat(b.get("k")).as("the lost message went unnoticed so far").isEqualTo("v1");
        long resets = b.resets();
        a.set("other", "x"); // the next message reveals the gap
        deliverAll();
        assertThat(b.resets()).isEqualTo(resets + 1);
        assertThat(b.link().receiver().gaps()).isEqualTo(1);
        assertThat(b.get("k")).isEqualTo("v2");
    }

    @Test
    void withNoMessageAtAllALocalCopyIsRefusedOnceTheBoundHasPassed() {
        bHoldsV1();
        a.set("k", "v2");
        bPlane.drop(Invalidation.Kind.KEY); // lost, and nothing follows to reveal it
        clock.advance(BOUND.minusSeconds(1));
        assertThat(b.get("k")).as("within the bound").isEqualTo("v1");
        clock.advance(Duration.ofSeconds(2));
        assertThat(b.get("k")).as("past the bound, whatever the network did").isEqualTo("v2");
    }

    @Test
    void confirmedSyncKeepsALocalCopyPastTheBound() {
        bHoldsV1();
        clock.advance(BOUND.plusMinutes(1));
        a.link().publish(Invalidation.Kind.HEARTBEAT, "");
        b.link().publish(Invalidation.Kind.HEARTBEAT, "");
        deliverAll();
        shared.set("k", "behind");
        assertThat(b.get("k")).as("in sync, so the local copy still counts").isEqualTo("v1");
    }

    @Test
    void aNewInstanceAReconnectAndASilentInstanceClearTheLocalLevel() {
        bHoldsV1();
        long resets = b.resets();
        bPlane.listener().onReset("reconnected");
        assertThat(b.resets()).isEqualTo(resets + 1);
        assertThat(b.local().get("k", clock.millis())).isNull();

        assertThat(b.get("k")).isEqualTo("v1");
        bPlane.listener().onMessage(new Invalidation(Invalidation.Kind.HEARTBEAT, "", "newcomer", 1, clock.millis()));
        assertThat(b.resets()).as("a new epoch").isEqualTo(resets + 2);
        assertThat(b.link().receiver().newEpochs()).isGreaterThanOrEqualTo(1);

        assertThat(b.get("k")).isEqualTo("v1");
        clock.advance(BOUND.plusSeconds(1));
        b.link().receiver().checkSilence();
        assertThat(b.link().receiver().silences()).as("A and the newcomer, silent for the bound").isEqualTo(2);
        assertThat(b.local().get("k", clock.millis())).isNull();
    }

    @Test
    void aRepeatedMessageIsIgnoredAndAFillThatRacedAnInvalidationIsNotKept() {
        bHoldsV1();
        Invalidation replay = new Invalidation(Invalidation.Kind.KEY, "1:k", a.epoch(), 1, clock.millis());
        long resets = b.resets();
        bPlane.listener().onMessage(replay);
        assertThat(b.resets()).isEqualTo(resets);
        assertThat(b.get("k")).as("an old message applies nothing").isEqualTo("v1");

        LocalLevel local = b.local();
        long stamp = local.stamp("k2");
        local.invalidate("k2", Long.MAX_VALUE); // a write landed while the fill read the old value
        local.fill("k2", "old", stamp, clock.millis());
        assertThat(local.get("k2", clock.millis())).isNull();
    }

    @Test
    void aFillThatRacedAPipelineWriteHereIsNotKeptNorIsTheWriteKeptAfterAnotherInvalidation() {
        LocalLevel local = b.local();
        long readerStamp = local.stamp("k");        // a plain read starts, reads the old value ...
        long writerStamp = local.stamp("k");        // ... while the pipeline writes the new one
        local.written("k", "new", writerStamp, clock.millis(), Long.MAX_VALUE);
        assertThat(local.get("k", clock.millis()).value()).isEqualTo("new");
        local.fill("k", "old", readerStamp, clock.millis()); // the read's fill lands last
        assertThat(local.get("k", clock.millis())).as("neither the old value nor a guess").isNull();

        long stamp = local.stamp("k2");
        local.invalidate("k2", Long.MAX_VALUE);     // another instance wrote k2 after this one's write
        local.written("k2", "mine", stamp, clock.millis(), Long.MAX_VALUE);
        assertThat(local.get("k2", clock.millis())).isNull();
    }

    @Test
    void aWriteHereCapsLaterLocalCopiesAtItsTimeout() {
        a.set("short", "v", Duration.ofSeconds(10));
        assertThat(a.get("short")).isEqualTo("v");
        clock.advance(Duration.ofSeconds(11));
        assertThat(a.local().get("short", clock.millis())).as("the local copy expired with the write").isNull();
    }
}
