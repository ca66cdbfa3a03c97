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
 * channel: its member list), so these caches behave as one level towards each other. A channel
 * whose last member closes is forgotten. For tests, and for several two-level caches over one
 * shared cache in one process.
 */
final class InProcessBackplane implements Backplane {
    private static final Map<String, List<InProcessBackplane>> CHANNELS = new ConcurrentHashMap<>();

    private final String channel;
    private volatile Listener listener;

    InProcessBackplane(String channel) {
        this.channel = channel;
    }

    @Override
    public void publish(Invalidation message) {
        String text = message.encode();
        List<InProcessBackplane> members = CHANNELS.getOrDefault(channel, List.of());
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
        this.listener = listener;
        CHANNELS.compute(channel, (c, members) -> {
            List<InProcessBackplane> m = members != null ? members : new CopyOnWriteArrayList<>();
            if (!m.contains(this)) {
                m.add(this);
            }
            return m;
        });
        listener.onReset("subscribed to memory:" + channel);
    }

    @Override
    public String describe() {
        return "memory: channel " + channel;
    }

    @Override
    public void close() {
        CHANNELS.computeIfPresent(channel, (c, members) -> {
            members.remove(this);
            return members.isEmpty() ? null : members; // no channel left behind by tests' unique names
        });
    }
}
