package dev.cachet.testkit;

import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A test hook for {@link dev.cachet.TwoLevel.Builder#decorateBackplane}: a backplane that loses
 * a fraction of the messages it receives, before the cache sees them (what a lossy network or a
 * broker dropping a slow subscriber's buffer does). Publishing and resets pass unchanged.
 * {@link #observe} also reports what reaches the cache (measurements: when an announcement
 * arrived).
 */
public final class DroppingBackplane implements Backplane {
    private final Backplane inner;
    private final double dropRate;
    private final SplittableRandom random;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Consumer<Invalidation> delivered = m -> { };
    private volatile Consumer<String> resets = r -> { };

    /** Wraps {@code inner}, dropping each received message with probability {@code dropRate}. */
    public DroppingBackplane(Backplane inner, double dropRate, long seed) {
        this.inner = inner;
        this.dropRate = dropRate;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Calls {@code delivered} with every message after the cache has applied it, and
     * {@code resets} with every reset's reason after the cache has cleared its local level.
     */
    public DroppingBackplane observe(Consumer<Invalidation> delivered, Consumer<String> resets) {
        this.delivered = delivered;
        this.resets = resets;
        return this;
    }

    /** How many messages were dropped. */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void publish(Invalidation message) {
        inner.publish(message);
    }

    @Override
    public void subscribe(Listener listener) {
        inner.subscribe(new Listener() {
            @Override
            public void onMessage(Invalidation message) {
                boolean drop;
                synchronized (random) {
                    drop = random.nextDouble() < dropRate;
                }
                if (drop) {
                    dropped.incrementAndGet();
                } else {
                    listener.onMessage(message);
                    delivered.accept(message);
                }
            }

            @Override
            public void onReset(String reason) {
                listener.onReset(reason);
                resets.accept(reason);
            }

            @Override
            public void onDisconnected(String reason) {
                listener.onDisconnected(reason);
            }

            @Override
            public void onInSync(long asOfMillis) {
                listener.onInSync(asOfMillis);
            }
        });
    }

    @Override
    public String describe() {
        return inner.describe() + " (dropping " + dropRate + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
