package dev.cachet.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ReplyWaitTest {
    @Test
    void givesTheReplyDeliveredByAnotherThreadWhetherItSpinsOrNot() throws Exception {
        for (boolean spin : new boolean[] {true, false}) {
            ReplyWait wait = new ReplyWait(spin);
            wait.record(20_000);
            for (int i = 0; i < 200; i++) {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                int expected = i;
                Thread loop = new Thread(() -> f.complete(expected));
                loop.start();
                assertThat(wait.get(f, 10_000)).isEqualTo(expected);
                loop.join();
            }
        }
    }

    @Test
    void aFailureOrASilenceIsReportedAsFutureGetReportsIt() {
        ReplyWait wait = new ReplyWait(true);
        CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("server said no"));
        assertThatThrownBy(() -> wait.get(failed, 1_000)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("server said no");
        assertThatThrownBy(() -> wait.get(new CompletableFuture<String>(), 20)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void theAverageFollowsRecordedRoundTrips() {
        ReplyWait wait = new ReplyWait(true);
        assertThat(wait.averageNanos()).isZero();
        wait.record(80_000);
        assertThat(wait.averageNanos()).isEqualTo(80_000);
        for (int i = 0; i < 100; i++) {
            wait.record(8_000);
        }
        assertThat(wait.averageNanos()).isBetween(8_000L, 8_100L);
        assertThat(new ReplyWait(false).spins()).isFalse();
        assertThat(new ReplyWait(true).spins()).isEqualTo(Runtime.getRuntime().availableProcessors() > 1);
        assertThatThrownBy(() -> new ReplyWait(true, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSpinNanos");
    }

    @Test
    void aCallerReadingItsOwnReplyIsToldHowLongItMaySpin() {
        ReplyWait off = new ReplyWait(false);
        off.record(20_000);
        assertThat(off.beginWait()).as("spin_wait=false: block at once").isZero();
        off.endWait();
        ReplyWait slow = new ReplyWait(true, 100_000);
        slow.record(150_000);
        assertThat(slow.beginWait()).as("round trips above the limit: block at once").isZero();
        slow.endWait();
        ReplyWait fast = new ReplyWait(true);
        fast.record(20_000);
        long before = System.nanoTime();
        long until = fast.beginWait();
        fast.endWait();
        if (until != 0) { // 0 on one core, or while a test beside this one waits
            assertThat(until - before).as("twice the average plus 5 µs, at most")
                    .isBetween(0L, 2 * 20_000L + 5_000 + (System.nanoTime() - before));
        }
        fast.beginWait();
        long second = fast.beginWait(); // a second caller waiting while the first does
        fast.endWait();
        fast.endWait();
        if (Runtime.getRuntime().availableProcessors() < 4) {
            assertThat(second).as("more callers waiting than half the cores: block at once").isZero();
        }
    }

    @Test
    void spinsOnlyWhileTheJvmIsQuiet() {
        long quiet = ReplyWait.CROWD_MEMORY_NANOS + 1;
        long max = ReplyWait.MAX_SPIN_NANOS;
        assertThat(ReplyWait.spins(1, 1, quiet, 20_000, max)).as("alone, quiet, fast replies").isTrue();
        assertThat(ReplyWait.spins(2, 1, quiet, 20_000, max)).as("a second caller waits").isFalse();
        assertThat(ReplyWait.spins(1, 1, ReplyWait.CROWD_MEMORY_NANOS / 2, 20_000, max)).as("crowded a moment ago")
                .isFalse();
        assertThat(ReplyWait.spins(1, 1, quiet, max, max)).as("replies too slow to spin for").isFalse();
        assertThat(ReplyWait.spins(1, 1, quiet, 150_000, max)).as("a 150 µs round trip, within 200").isTrue();
        assertThat(ReplyWait.spins(1, 1, quiet, 150_000, 100_000)).as("beyond a wait's own lower limit").isFalse();
        assertThat(ReplyWait.spins(4, 4, quiet, 20_000, max)).isTrue();
        assertThat(ReplyWait.spinners(1)).isZero();
        assertThat(ReplyWait.spinners(2)).isEqualTo(1);
        assertThat(ReplyWait.spinners(3)).isEqualTo(1);
        assertThat(ReplyWait.spinners(8)).isEqualTo(4);
    }
}
