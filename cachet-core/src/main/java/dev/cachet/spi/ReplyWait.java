package dev.cachet.spi;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a caller of a network backend waits for a reply that an event-loop thread delivers: by
 * spinning briefly when replies usually come soon and a core is free for it, so that the reply
 * wakes no parked thread (on loopback or a fast LAN, the wake-up is a good part of the round
 * trip), and by parking at once otherwise.
 *
 * <p>The backend {@linkplain #record records} each request's round trip as its event loop sees it
 * (from the write to the reply, no caller wake-up included) and waits with {@link #get}; a
 * backend whose caller reads its own reply from a blocking connection asks
 * {@link #beginWait} how long to poll before it blocks. A caller
 * spins for at most twice the moving average plus 5 µs and never beyond the wait's limit
 * ({@value #MAX_SPIN_NANOS} ns unless given), only while that average is under the limit, and
 * only while the JVM is quiet: no more callers waiting for a reply, across every backend of the
 * JVM, than half the machine's cores (at least one), and none more than that in the last
 * {@value #CROWD_MEMORY_NANOS} ns. Under load from several threads
 * the cores are better spent on the event loops (and, on loopback, the servers) that deliver
 * the replies, so everybody parks, as with spinning off: on 2 cores, a spinning caller beside a
 * second one cost a tenth of the throughput that parking both gives. On one core nobody spins.
 * Thread-safe.
 */
public final class ReplyWait {
    /**
     * The longest a caller spins for a reply before parking, in nanoseconds, unless the wait was
     * made with another limit. Loopback and same-host round trips on virtual machines take
     * 60-150 µs; with a limit of 100 µs the round trip measured while callers parked (longer
     * than while one spins) kept the average above the limit, and Redis get took 108-125 µs
     * where spinning gave 50-69 µs and a blocking socket 69-89 µs.
     */
    public static final long MAX_SPIN_NANOS = 200_000;

    /** How long, in nanoseconds, a moment with more callers waiting than may spin keeps every caller parking. */
    public static final long CROWD_MEMORY_NANOS = 20_000_000;

    /** Callers waiting for a reply now, in every backend of this JVM. */
    private static final AtomicInteger WAITING = new AtomicInteger();
    /** A caller spins only while at most this many wait: half the cores, at least one (none on one core). */
    private static final int MAX_SPINNERS = spinners(Runtime.getRuntime().availableProcessors());
    /** When more than {@link #MAX_SPINNERS} callers last waited at once ({@code System.nanoTime}). */
    private static volatile long crowdedAt = System.nanoTime() - 2 * CROWD_MEMORY_NANOS;

    private final boolean spin;
    private final long maxSpinNanos;
    private volatile long averageNanos;

    /**
     * A wait that spins when {@code spin} (the backend's {@code spin_wait} option) and the
     * machine has more than one core, at most {@link #MAX_SPIN_NANOS}.
     */
    public ReplyWait(boolean spin) {
        this(spin, MAX_SPIN_NANOS);
    }

    /**
     * A wait as {@link #ReplyWait(boolean)} whose callers spin at most {@code maxSpinNanos}, and
     * only while round trips average under it: lower for replies that keep the event loop busy
     * while they arrive (a batch of many values), which a spinning caller would slow down.
     *
     * @throws IllegalArgumentException when {@code maxSpinNanos} is negative
     */
    public ReplyWait(boolean spin, long maxSpinNanos) {
        if (maxSpinNanos < 0) {
            throw new IllegalArgumentException("maxSpinNanos must not be negative, not " + maxSpinNanos);
        }
        this.spin = spin && MAX_SPINNERS > 0;
        this.maxSpinNanos = maxSpinNanos;
    }

    /** Whether callers may spin at all. */
    public boolean spins() {
        return spin;
    }

    /** Adds one round trip (write to reply, in nanoseconds) to the moving average (weight 1/8); a lost race loses a sample at worst. */
    public void record(long nanos) {
        long a = averageNanos;
        averageNanos = a == 0 ? nanos : a + (nanos - a) / 8;
    }

    /** The average round trip in nanoseconds, 0 before the first. */
    public long averageNanos() {
        return averageNanos;
    }

    /**
     * The value of {@code f}, as {@code f.get(timeoutMillis, MILLISECONDS)} gives it, after
     * spinning for it first when that pays (see above).
     */
    public <T> T get(Future<T> f, long timeoutMillis) throws InterruptedException, ExecutionException, TimeoutException {
        if (f.isDone()) {
            return f.get();
        }
        int waiting = WAITING.incrementAndGet();
        try {
            long now = System.nanoTime();
            if (waiting > MAX_SPINNERS && now - crowdedAt > CROWD_MEMORY_NANOS / 16) {
                crowdedAt = now; // written at most a few times per memory span, not by every crowded call
            }
            long average = averageNanos;
            if (spin && spins(waiting, MAX_SPINNERS, now - crowdedAt, average, maxSpinNanos)) {
                long until = now + Math.min(maxSpinNanos, 2 * average + 5_000);
                while (!f.isDone() && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } finally {
            WAITING.decrementAndGet();
        }
    }

    /**
     * For a caller that reads its reply itself, on its own thread, from a blocking connection:
     * counts it as waiting, as {@link #get} does, and tells how long it may spin polling its
     * connection without blocking before it blocks in its read, by the same rule as {@link #get}
     * (0: block at once). Every call must be followed by one {@link #endWait}.
     *
     * @return the spin's deadline as a {@code System.nanoTime} value, or 0 when not to spin
     */
    public long beginWait() {
        int waiting = WAITING.incrementAndGet();
        long now = System.nanoTime();
        if (waiting > MAX_SPINNERS && now - crowdedAt > CROWD_MEMORY_NANOS / 16) {
            crowdedAt = now;
        }
        long average = averageNanos;
        if (!spin || !spins(waiting, MAX_SPINNERS, now - crowdedAt, average, maxSpinNanos)) {
            return 0;
        }
        long until = now + Math.min(maxSpinNanos, 2 * average + 5_000);
        return until == 0 ? 1 : until;
    }

    /** Ends the wait {@link #beginWait} began. */
    public void endWait() {
        WAITING.decrementAndGet();
    }

    /** How many callers may spin at once on {@code cores} cores: half of them, at least one; none on one core. */
    static int spinners(int cores) {
        return cores <= 1 ? 0 : Math.max(1, cores / 2);
    }

    /**
     * Whether a caller spins: it is one of at most {@code maxSpinners} waiting, none were more
     * for {@code sinceCrowdedNanos} (at least {@link #CROWD_MEMORY_NANOS}), and replies come
     * within {@code maxSpinNanos} on average.
     */
    static boolean spins(int waiting, int maxSpinners, long sinceCrowdedNanos, long averageNanos, long maxSpinNanos) {
        return waiting <= maxSpinners && sinceCrowdedNanos > CROWD_MEMORY_NANOS && averageNanos < maxSpinNanos;
    }
}
