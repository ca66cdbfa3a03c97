package dev.cachet.redis.internal;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Backplane;
import dev.cachet.spi.Invalidation;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis backplane: {@code SUBSCRIBE} on a pub/sub connection of its own and {@code PUBLISH}
 * on a second one (a subscribed connection takes no other command), both of one Lettuce client
 * apart from the cache's. Lettuce reconnects and subscribes again by itself; every confirmed
 * subscription ({@code subscribed}) is a reset for the receiver, since messages sent while it
 * was down are gone (Redis pub/sub keeps nothing). A server down at open does not fail it: the
 * backplane connects in the background, once a second, until the server answers.
 */
public final class RedisBackplane implements Backplane {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cachet.twolevel");

    private final RedisLocation location;
    private final String channel;
    private final RedisClient client;
    private final ScheduledExecutorService connector;
    private volatile Listener listener;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile boolean closed;
    private volatile long undecodable;

    private RedisBackplane(RedisLocation location, RedisSettings settings, String channel) {
        this.location = location;
        this.channel = channel;
        this.client = RedisClient.create(SharedClientResources.acquire(), RedisConnection.uri(location,
                location.seeds().get(0), settings));
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout).keepAlive(true).tcpNoDelay(true).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout))
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                Listener l = listener;
                if (l != null && connection == subscription && !closed) {
                    l.onDisconnected("connection to " + location.describe() + " lost");
                }
            }
        });
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cachet-redis-backplane");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the backplane at {@code config} (a {@code redis://} or {@code rediss://} location) on
     * {@code channel}. A Redis Cluster delivers a {@code PUBLISH} to every node's subscribers, so
     * one node's {@code redis://} location serves a whole cluster.
     *
     * @throws IllegalArgumentException naming a bad location or option
     */
    public static RedisBackplane open(CacheConfig config, String channel) {
        RedisLocation location = RedisLocation.parse(config.name(), config.scheme(), config.target());
        if (location.cluster()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': a " + config.scheme()
                    + ":// backplane is not supported; give one node as redis://host:port (a cluster delivers"
                    + " PUBLISH to the subscribers of every node)");
        }
        return new RedisBackplane(location, RedisSettings.of(config, location), channel);
    }

    /**
     * Subscribes, waiting (at most 5 s) for the first connection attempt, so that a backplane
     * whose server is up publishes from its first message on; when Redis cannot be reached, the
     * attempts go on every second in the background.
     */
    @Override
    public void subscribe(Listener l) {
        this.listener = l;
        java.util.concurrent.Future<?> first = connector.submit(this::connect);
        try {
            first.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // connect() logs and retries by itself
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            if (subscription == null) {
                StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub(StringCodec.UTF8);
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void subscribed(String ch, long count) {
                        Listener l = listener;
                        if (l != null && ch.equals(channel)) {
                            l.onReset("subscribed to " + channel + " on " + location.describe());
                        }
                    }

                    @Override
                    public void message(String ch, String text) {
                        deliver(text);
                    }
                });
                subscription = sub;
                sub.async().subscribe(channel);
            }
            if (publisher == null) {
                publisher = client.connect(StringCodec.UTF8);
            }
        } catch (RuntimeException e) {
            LOG.info("redis backplane at {}: not connected yet ({}); retrying every second", location.describe(), e.toString());
            if (!closed) {
                connector.schedule(this::connect, 1, TimeUnit.SECONDS);
            }
        }
    }

    private void deliver(String text) {
        Invalidation m;
        try {
            m = Invalidation.decode(text);
        } catch (IllegalArgumentException e) {
            undecodable++;
            LOG.warn("redis backplane at {} channel {}: ignored: {}", location.describe(), channel, e.getMessage());
            return;
        }
        Listener l = listener;
        if (l != null) {
            l.onMessage(m);
        }
    }

    @Override
    public void publish(Invalidation message) {
        StatefulRedisConnection<String, String> p = publisher;
        if (p == null) {
            throw new IllegalStateException("not connected to " + location.describe() + " yet");
        }
        p.async().publish(channel, message.encode()); // in order on one connection; a failure is a gap for the receivers
    }

    @Override
    public String describe() {
        return "redis " + location.describe() + " channel " + channel;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        connector.shutdownNow();
        try {
            if (subscription != null) {
                subscription.close();
            }
            if (publisher != null) {
                publisher.close();
            }
        } finally {
            try {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            } finally {
                SharedClientResources.release();
            }
        }
    }
}
