package dev.cachet.memcached.internal;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Timeout;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.security.SecureRandom;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The memcached backplane: memcached has no pub/sub, so every change increments one generation
 * counter (key {@code cachet-backplane:<channel>}, no expiry) and every instance polls it once
 * a heartbeat. A poll that finds the counter where it left it, or moved only by this
 * instance's own increments, confirms that nothing was published before the poll started
 * ({@code onInSync}); one that finds it moved by another instance, missing (evicted, a
 * restarted server) or unreadable resets the local level. So another instance's write clears
 * the whole local level here within a heartbeat: the right backplane for read-mostly data.
 * Messages are not delivered: heartbeats and goodbyes need no increment. A counter that cannot
 * be incremented throws from {@link #publish} and is retried at every poll until it gets
 * through; while the server is down the pollers fail too, so local copies are refused past the
 * bound, and the first poll after it is back finds the counter gone and resets.
 */
public final class MemcachedBackplane implements Backplane {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cache counter;
    private final String key;
    private final String shown;
    private final long pollMillis;
    private final ScheduledExecutorService poller;
    private final NavigableSet<Long> own = new ConcurrentSkipListSet<>();
    private volatile Listener listener;
    private Long seen;
    private volatile boolean pending;

    private MemcachedBackplane(Cache counter, String channel, String shown, long pollMillis) {
        this.counter = counter;
        this.key = channel;
        this.shown = shown;
        this.pollMillis = pollMillis;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-memcached-backplane");
            t.setDaemon(true);
            return t;
        });
    }

    /** The backplane at {@code config} ({@code memcached://...}), polling every {@code pollMillis}. */
    public static MemcachedBackplane open(CacheConfig config, String channel, long pollMillis) {
        CacheConfig counterConfig = CacheConfig.builder(config.scheme() + ":" + config.target()).name(config.name())
                .option("key_prefix", "cachet-backplane").option("timeout", "forever")
                // never mark the server down: an increment must get through the moment it answers
                .option("failure_limit", "1000").option("retry_interval", "50ms").build();
        return new MemcachedBackplane(Caches.open(counterConfig), channel,
                "memcached " + config.redactedLocation() + " generation " + channel, pollMillis);
    }

    @Override
    public void publish(Invalidation message) {
        if (message.kind() == Invalidation.Kind.HEARTBEAT || message.kind() == Invalidation.Kind.LEAVE) {
            return;
        }
        try {
            increment();
            pending = false;
        } catch (RuntimeException e) {
            pending = true; // the poller retries it: nothing else tells the others
            throw e;
        }
    }

    private void increment() {
        long value;
        try {
            value = counter.incr(key);
        } catch (NoSuchElementException missing) {
            value = (RANDOM.nextLong() & 0xffff_ffffL) + 1;
            if (!counter.add(key, value, Timeout.FOREVER)) {
                value = counter.incr(key);
            }
        }
        own.add(value);
    }

    @Override
    public void subscribe(Listener l) {
        this.listener = l;
        poller.scheduleWithFixedDelay(this::poll, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        if (pending) {
            try {
                increment();
                pending = false;
            } catch (RuntimeException e) {
                // still unreachable: retried at the next poll
            }
        }
        long startedAt = System.currentTimeMillis();
        Long now;
        try {
            now = counter.get(key, Long.class);
            if (now == null) {
                now = created();
            }
        } catch (RuntimeException e) {
            listener.onDisconnected(shown + " unreadable: " + e);
            seen = null;
            return; // nothing confirmed: local copies age out at the bound
        }
        if (now == null) {
            listener.onReset(shown + " lost its counter again");
        } else if (seen == null || !movedOnlyByUs(seen, now)) {
            listener.onReset(seen == null ? "first poll of " + shown : shown + " moved");
        }
        seen = now;
        if (now != null) {
            own.headSet(now, true).clear();
        }
        listener.onInSync(startedAt);
    }

    /**
     * Creates the missing counter (first use, evicted, or a restarted server: whatever it counted
     * is gone) at a random value, and returns what it holds then; forgets what this instance
     * saw, so the caller resets.
     */
    private Long created() {
        seen = null;
        long fresh = (RANDOM.nextLong() & 0xffff_ffffL) + 1;
        return counter.add(key, fresh, Timeout.FOREVER) ? Long.valueOf(fresh) : counter.get(key, Long.class);
    }

    /** True when every value in (from, to] was returned by this instance's own increments. */
    private boolean movedOnlyByUs(long from, long to) {
        if (to == from) {
            return true;
        }
        if (to < from || to - from > 10_000) {
            return false;
        }
        for (long v = from + 1; v <= to; v++) {
            if (!own.contains(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return shown;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counter.close();
    }
}
