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
 * (from the write to the reply, no caller wake-up included) and waits with {@link #get}. A caller
 * spins for at most twice the moving average plus 5 µs, only while that average is under
 * {@value #MAX_SPIN_NANOS} ns, and only while the callers waiting for a reply, across every
 * backend of the JVM, are no more than the machine's cores less one: under load from many threads
 * the cores are better spent on the event loops that deliver the replies, so everybody parks (as
 * with spinning off). On one core nobody spins. Thread-safe.
 */
public final class ReplyWait {
    /** The longest a caller spins for a reply before parking, in nanoseconds. */
    public static final long MAX_SPIN_NANOS = 100_000;

    /** Callers waiting for a reply now, in every backend of this JVM. */
    private static final AtomicInteger WAITING = new AtomicInteger();
    /** A caller spins only while at most this many wait: one fewer than the cores (none on one core). */
    private static final int MAX_SPINNERS = Runtime.getRuntime().availableProcessors() - 1;

    private final boolean spin;
    private volatile long averageNanos;

    /** A wait that spins when {@code spin} (the backend's {@code spin_wait} option) and the machine has more than one core. */
    public ReplyWait(boolean spin) {
        this.spin = spin && MAX_SPINNERS > 0;
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
            long average = averageNanos;
            if (spin && waiting <= MAX_SPINNERS && average < MAX_SPIN_NANOS) {
                long until = System.nanoTime() + Math.min(MAX_SPIN_NANOS, 2 * average + 5_000);
                while (!f.isDone() && System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } finally {
            WAITING.decrementAndGet();
        }
    }
}
