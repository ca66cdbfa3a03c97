package dev.cachet.internal.twolevel;

import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@code memory:} backplane: the two-level caches of one JVM on one channel. A message is
 * delivered to every subscriber before {@link #publish} returns, in order (one lock per
 * channel), so these caches behave as one level towards each other. For tests, and for several
 * two-level caches over one shared cache in one process.
 */
final class InProcessBackplane implements Backplane {
    private static final Map<String, List<InProcessBackplane>> CHANNELS = new ConcurrentHashMap<>();

    private final String channel;
    private final List<InProcessBackplane> members;
    private volatile Listener listener;

    InProcessBackplane(String channel) {
        this.channel = channel;
        this.members = CHANNELS.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
    }

    @Override
    public void publish(Invalidation message) {
        String text = message.encode();
        synchronized (members) {
            for (InProcessBackplane m : members) {
                Listener l = m.listener;
                if (l != null) {
                    l.onMessage(Invalidation.decode(text));
                }
            }
        }
    }

    @Override
    public void subscribe(Listener listener) {
        synchronized (members) {
            this.listener = listener;
            if (!members.contains(this)) {
                members.add(this);
            }
            listener.onReset("subscribed to memory:" + channel);
        }
    }

    @Override
    public String describe() {
        return "memory: channel " + channel;
    }

    @Override
    public void close() {
        synchronized (members) {
            members.remove(this);
        }
    }
}
