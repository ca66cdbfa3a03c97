package dev.cachet.internal.twolevel;

import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One two-level cache's end of the backplane: its epoch (random, per start), the sequence of
 * what it publishes, the heartbeat (every quarter of the bound, and the silence check with it)
 * and the {@link Receiver}. Publishing takes a lock so that sequence numbers go out in order.
 * A message that cannot be sent is logged and skipped: its number is used anyway, so the
 * receivers see the gap. Owns the backplane: {@link #close()} says goodbye and closes it.
 */
final class BackplaneLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet.twolevel");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String cacheName;
    private final Backplane backplane;
    private final Clock clock;
    private final String epoch;
    private final Receiver receiver;
    private final ScheduledExecutorService heartbeat;
    private final Object publishLock = new Object();
    private long sequence;
    private long lastFailureLog;
    private boolean closed;

    BackplaneLink(String cacheName, Backplane backplane, Levels levels, Clock clock, long heartbeatMillis) {
        this.cacheName = cacheName;
        this.backplane = backplane;
        this.clock = clock;
        this.epoch = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        this.receiver = new Receiver(cacheName, epoch, levels, clock);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-two-level-" + cacheName);
            t.setDaemon(true);
            return t;
        });
        backplane.subscribe(receiver);
        heartbeat.scheduleWithFixedDelay(this::beat, 0, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            publish(Invalidation.Kind.HEARTBEAT, "");
            receiver.checkSilence();
        } catch (RuntimeException e) {
            LOG.warn("cache '{}': backplane heartbeat failed: {}", cacheName, e.toString());
        }
    }

    /** Announces {@code kind} of {@code target} to the other instances. */
    void publish(Invalidation.Kind kind, String target) {
        synchronized (publishLock) {
            if (closed) {
                return;
            }
            Invalidation m = new Invalidation(kind, target, epoch, ++sequence, clock.millis());
            try {
                backplane.publish(m);
            } catch (RuntimeException e) {
                long now = System.nanoTime();
                if (lastFailureLog == 0 || now - lastFailureLog > TimeUnit.SECONDS.toNanos(10)) {
                    lastFailureLog = now;
                    LOG.warn("cache '{}': backplane {} could not send message {} (receivers will see the gap): {}",
                            cacheName, backplane.describe(), m.sequence(), e.toString());
                }
            }
        }
    }

    /** Runs {@code task} on the heartbeat thread after {@code delayMillis} (nothing once closed). */
    void later(long delayMillis, Runnable task) {
        try {
            heartbeat.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closed: nothing to announce any more
        }
    }

    String epoch() {
        return epoch;
    }

    Receiver receiver() {
        return receiver;
    }

    String describe() {
        return backplane.describe();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            publish(Invalidation.Kind.LEAVE, "");
        } finally {
            synchronized (publishLock) {
                closed = true;
            }
            backplane.close();
        }
    }
}
