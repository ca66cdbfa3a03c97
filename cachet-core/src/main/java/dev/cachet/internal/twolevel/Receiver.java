package dev.cachet.internal.twolevel;

import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the backplane, in one place: applies the other instances' invalidations to the
 * local levels and decides when the local level is confirmed in sync.
 *
 * <ul>
 *   <li>Per publisher (epoch) it keeps the last sequence number and when it was last heard
 *       (the earlier of the message's send time and its arrival). The next number is applied;
 *       a repeated or older one (a replay) is ignored; a <b>gap</b> clears the local level, as
 *       does the first message of a <b>new epoch</b> (another instance started, or restarted),
 *       a <b>reset</b> of the subscription (a reconnect) and a publisher <b>silent</b> for
 *       longer than the bound (it is then forgotten; if it speaks again, it is a new epoch).</li>
 *   <li>The local level is confirmed in sync up to the earliest "last heard" among the known
 *       publishers, this instance's own heartbeats included (until they come back, nothing is
 *       confirmed): every message sent before that moment has arrived, or a gap would show.
 *       For a polling backplane, also no later than its last {@code onInSync}.</li>
 * </ul>
 * Thread-safe (one lock; messages arrive on one thread anyway).
 */
final class Receiver implements Backplane.Listener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet.twolevel");

    private static final class Peer {
        long sequence;
        long heardAt;
        long arrivedAt;

        Peer(long sequence, long heardAt, long arrivedAt) {
            this.sequence = sequence;
            this.heardAt = heardAt;
            this.arrivedAt = arrivedAt;
        }
    }

    private final String cacheName;
    private final String selfEpoch;
    private final Levels levels;
    private final Clock clock;
    private final Map<String, Peer> peers = new HashMap<>();
    private long polledAt = Long.MIN_VALUE;
    private boolean polling;
    private long gaps;
    private long newEpochs;
    private long silences;

    Receiver(String cacheName, String selfEpoch, Levels levels, Clock clock) {
        this.cacheName = cacheName;
        this.selfEpoch = selfEpoch;
        this.levels = levels;
        this.clock = clock;
    }

    @Override
    public synchronized void onMessage(Invalidation m) {
        long now = clock.millis();
        long heardAt = Math.min(m.sentAtMillis(), now);
        boolean self = m.epoch().equals(selfEpoch);
        Peer p = peers.get(m.epoch());
        if (p == null) {
            if (m.kind() == Invalidation.Kind.LEAVE) {
                return;
            }
            peers.put(m.epoch(), new Peer(m.sequence(), heardAt, now));
            if (!self) {
                newEpochs++;
                reset("a new instance (epoch " + m.epoch() + ") on the backplane");
            }
        } else if (m.sequence() <= p.sequence) {
            return; // a replay of what was applied
        } else {
            if (m.sequence() != p.sequence + 1 && !self) {
                gaps++;
                reset("messages " + (p.sequence + 1) + ".." + (m.sequence() - 1) + " of epoch " + m.epoch() + " were lost");
            }
            p.sequence = m.sequence();
            p.heardAt = Math.max(p.heardAt, heardAt);
            p.arrivedAt = now;
        }
        if (!self) {
            switch (m.kind()) {
                case KEY -> levels.invalidate(m.target());
                case TAG, CLEAR -> levels.clearAll();
                case LEAVE -> peers.remove(m.epoch());
                case HEARTBEAT -> { }
            }
        }
        recompute();
    }

    @Override
    public synchronized void onReset(String reason) {
        reset(reason);
    }

    @Override
    public void onDisconnected(String reason) {
        LOG.info("cache '{}': backplane subscription down ({}); local copies are served at most the bound after they were read",
                cacheName, reason);
    }

    @Override
    public synchronized void onInSync(long asOfMillis) {
        polling = true;
        polledAt = Math.max(polledAt, asOfMillis);
        recompute();
    }

    /** Forgets publishers (not this one) silent for longer than {@code boundMillis}, clearing the local level. */
    synchronized void checkSilence() {
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Peer>> it = peers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Peer> e = it.next();
            if (!e.getKey().equals(selfEpoch) && now - e.getValue().arrivedAt > levels.boundMillis()) {
                it.remove();
                silences++;
                reset("instance " + e.getKey() + " silent for over " + levels.boundMillis() + " ms");
            }
        }
        recompute();
    }

    private void reset(String reason) {
        LOG.debug("cache '{}': local level cleared: {}", cacheName, reason);
        levels.reset();
    }

    private void recompute() {
        long synced;
        Peer self = peers.get(selfEpoch);
        if (polling) {
            synced = polledAt;
        } else if (self == null) {
            synced = Long.MIN_VALUE;
        } else {
            synced = Long.MAX_VALUE;
        }
        if (synced != Long.MIN_VALUE) {
            for (Peer p : peers.values()) {
                synced = Math.min(synced, p.heardAt);
            }
        }
        levels.sync().set(synced == Long.MIN_VALUE || synced == Long.MAX_VALUE ? Long.MIN_VALUE
                : LocalLevel.saturatedAdd(synced, levels.boundMillis()));
    }

    synchronized long gaps() {
        return gaps;
    }

    synchronized long newEpochs() {
        return newEpochs;
    }

    synchronized long silences() {
        return silences;
    }
}
