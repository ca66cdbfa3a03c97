package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two-level cache's promise with real processes ({@link TwoLevelRuns}): three JVMs write
 * and read under load while their backplane connections are cut every second and 2% of the
 * messages each receives are dropped, and no read returns a value more than the bound after the
 * write that replaced it was acknowledged. Sized for CI (see {@link #writes()}); the README's
 * figures name the full run.
 *
 * <p>A backend's test extends this class, names its locations and cuts the backplane's
 * connections for real ({@code CLIENT KILL}, {@code pg_terminate_backend}).
 */
public abstract class TwoLevelAcrossProcesses {
    /** Where the shared level is, e.g. {@code redis://127.0.0.1:6379/9}. */
    protected abstract String location();

    /** Where the backplane is. */
    protected abstract String backplane();

    /** Cuts every backplane connection of the workers, from outside (the server kills them). */
    protected abstract void cutBackplaneConnections() throws Exception;

    /** Options of the shared level (e.g. a JDBC table); none by default. */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** False for a backplane that polls instead of delivering messages (nothing for the hook to drop). */
    protected boolean deliversMessages() {
        return true;
    }

    /** Writes in all (the issue's figure is 10,000; CI runs fewer when a backend writes slowly). */
    protected int writes() {
        return 10_000;
    }

    /** How long the writes are spread over. */
    protected Duration run() {
        return Duration.ofSeconds(20);
    }

    @Test
    @Timeout(240)
    void noInstanceServesAReplacedValueLongerThanTheBoundWhileMessagesAreLostAndConnectionsCut() throws Exception {
        Duration bound = Duration.ofMillis(500);
        TwoLevelRuns.Result r = new TwoLevelRuns(location(), backplane(), options()).run(3, 2, 60, writes(), run(), bound,
                0.02, Duration.ofSeconds(1), () -> {
                    try {
                        cutBackplaneConnections();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        System.out.println("two-level across processes (" + backplane().replaceAll(":[^:@/]*@", ":***@") + "): " + r);
        assertThat(r.writes()).as("acknowledged writes").isEqualTo(writes() / 3 * 3);
        assertThat(r.reads()).as("reads").isGreaterThan(writes());
        assertThat(r.cuts()).as("connection cuts").isPositive();
        if (deliversMessages()) {
            assertThat(r.dropped()).as("messages dropped by the hook").isPositive();
        }
        assertThat(r.resets()).as("local levels cleared for a possible loss").isPositive();
        assertThat(r.staleBeyondBound()).as("reads of a value replaced more than %s before; %s", bound, r).isZero();
    }
}
