package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestClockTest {
    @Test
    void standsStillUntilMoved() {
        TestClock clock = new TestClock();
        assertThat(clock.instant()).isEqualTo(TestClock.START);
        assertThat(clock.millis()).isEqualTo(TestClock.START.toEpochMilli());
        assertThat(clock.instant()).isEqualTo(TestClock.START);
    }

    @Test
    void advancesAndSets() {
        TestClock clock = new TestClock(Instant.EPOCH);
        assertThat(clock.advance(Duration.ofSeconds(5))).isEqualTo(Instant.ofEpochSecond(5));
        assertThat(clock.advanceMillis(-1000)).isEqualTo(Instant.ofEpochSecond(4));
        clock.set(Instant.parse("2040-06-01T00:00:00Z"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2040-06-01T00:00:00Z"));
    }

    @Test
    void zoneViewsShareTheTime() {
        TestClock clock = new TestClock();
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.withZone(clock.getZone())).isSameAs(clock);
        clock.advance(Duration.ofHours(1));
        assertThat(paris.instant()).isEqualTo(clock.instant());
    }

    @Test
    void concurrentAdvancesAddUp() throws InterruptedException {
        TestClock clock = new TestClock(Instant.EPOCH);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    clock.advanceMillis(1);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(clock.millis()).isEqualTo(80_000);
    }
}
