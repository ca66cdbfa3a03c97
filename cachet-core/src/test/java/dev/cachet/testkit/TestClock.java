package dev.cachet.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that stands still until a test moves it, for backends that honour
 * {@link dev.cachet.CacheConfig.Builder#clock(Clock) CacheConfig's clock}: expiry is then
 * tested by {@linkplain #advance(Duration) advancing} the clock, never by sleeping.
 *
 * <p>Millisecond resolution (what cachet's deadlines use). Thread-safe: the time is one
 * atomic value, and {@link #withZone(ZoneId)} views share it.
 */
public final class TestClock extends Clock {
    /** Where a new clock starts: a fixed instant, so runs are reproducible. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final AtomicLong millis;
    private final ZoneId zone;

    /** A clock at {@link #START}, in UTC. */
    public TestClock() {
        this(START);
    }

    /** A clock at {@code start}, in UTC. */
    public TestClock(Instant start) {
        this(new AtomicLong(start.toEpochMilli()), ZoneOffset.UTC);
    }

    private TestClock(AtomicLong millis, ZoneId zone) {
        this.millis = millis;
        this.zone = zone;
    }

    /**
     * Moves the clock forward by {@code amount} (backward if negative) and returns the new
     * instant.
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount must not be null");
        return Instant.ofEpochMilli(millis.addAndGet(amount.toMillis()));
    }

    /** Moves the clock forward by {@code amount} milliseconds and returns the new instant. */
    public Instant advanceMillis(long amount) {
        return Instant.ofEpochMilli(millis.addAndGet(amount));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        millis.set(instant.toEpochMilli());
    }

    @Override
    public long millis() {
        return millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view in {@code zone} that shares this clock's time (moving one moves both). */
    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(this.zone) ? this : new TestClock(millis, zone);
    }

    @Override
    public String toString() {
        return "TestClock[" + instant() + ", " + zone + "]";
    }
}
