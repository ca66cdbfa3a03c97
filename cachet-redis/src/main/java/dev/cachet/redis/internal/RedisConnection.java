package dev.cachet.redis.internal;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.RedisAsyncCommandsImpl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection of one Redis cache (keys as UTF-8 strings, values as bytes): by default, on a
 * standalone {@code redis://} server, a {@link BlockingRedisConnection} (each command on its
 * caller's thread over a pooled blocking connection); with {@code transport=pipelined}, and
 * always over TLS or to a cluster, one Lettuce client and its one connection, thread-safe and
 * pipelined: every thread of a cache shares it, and commands of concurrent callers travel
 * together. Either way the store issues Lettuce's asynchronous commands.
 *
 * <p>Lettuce's connection is configured to fail fast and heal by itself: a command issued while it is down
 * is rejected at once ({@code REJECT_COMMANDS}) instead of queued until the command timeout;
 * Lettuce reconnects in the background (see {@link SharedClientResources}); every command has
 * the command timeout, enforced by Lettuce too. A cluster connection refreshes its topology
 * periodically ({@code topology_refresh}) and adaptively (on MOVED/ASK redirects, persistent
 * reconnects and unknown nodes), so resharding and failovers are followed.
 */
final class RedisConnection implements AutoCloseable {
    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final AbstractRedisClient client;
    private final StatefulConnection<String, byte[]> connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private boolean closed;

    private RedisConnection(AbstractRedisClient client, StatefulConnection<String, byte[]> connection,
            RedisClusterAsyncCommands<String, byte[]> commands) {
        this.client = client;
        this.connection = connection;
        this.commands = commands;
    }

    /**
     * Connects to {@code location}.
     *
     * @throws RuntimeException Lettuce's, when the server cannot be reached or refuses the login
     */
    static RedisConnection open(RedisLocation location, RedisSettings settings) {
        ClientResources resources = SharedClientResources.acquire();
        AbstractRedisClient client = null;
        try {
            List<RedisURI> uris = new ArrayList<>();
            for (RedisLocation.HostAndPort seed : location.seeds()) {
                uris.add(uri(location, seed, settings));
            }
            SocketOptions socket = SocketOptions.builder().connectTimeout(settings.connectTimeout).keepAlive(true)
                    .tcpNoDelay(true).build();
            TimeoutOptions timeouts = TimeoutOptions.enabled(settings.commandTimeout);
            if (location.cluster()) {
                ClusterTopologyRefreshOptions.Builder refresh = ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(5));
                if (!settings.topologyRefresh.isZero()) {
                    refresh.enablePeriodicRefresh(settings.topologyRefresh);
                }
                RedisClusterClient cc = RedisClusterClient.create(resources, uris);
                client = cc;
                cc.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(refresh.build())
                        .socketOptions(socket).timeoutOptions(timeouts).sslOptions(ssl(settings))
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
                StatefulRedisClusterConnection<String, byte[]> c = cc.connect(CODEC);
                c.setTimeout(settings.commandTimeout);
                return new RedisConnection(cc, c, c.async());
            }
            if (settings.transport == RedisSettings.Transport.BLOCKING) {
                BlockingRedisConnection c = new BlockingRedisConnection(location, settings, resources);
                return new RedisConnection(null, c, new RedisAsyncCommandsImpl<>(c, CODEC));
            }
            RedisClient rc = RedisClient.create(resources, uris.get(0));
            client = rc;
            rc.setOptions(ClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts).sslOptions(ssl(settings))
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            StatefulRedisConnection<String, byte[]> c = rc.connect(CODEC);
            c.setTimeout(settings.commandTimeout);
            return new RedisConnection(rc, c, c.async());
        } catch (RuntimeException | Error e) {
            shutdown(client);
            throw e;
        }
    }

    /** TLS trust: the certificates of {@code ca_file} when given, else the JVM's trust store. */
    private static SslOptions ssl(RedisSettings settings) {
        SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
        if (settings.caFile != null) {
            b.trustManager(settings.caFile);
        }
        return b.build();
    }

    static RedisURI uri(RedisLocation location, RedisLocation.HostAndPort seed, RedisSettings settings) {
        RedisURI.Builder b = RedisURI.builder().withHost(seed.host()).withPort(seed.port())
                .withDatabase(location.database()).withTimeout(settings.commandTimeout);
        if (location.tls()) {
            b.withSsl(true).withVerifyPeer(settings.verifyPeer ? SslVerifyMode.FULL : SslVerifyMode.NONE);
        }
        if (location.password() != null) {
            if (location.user() != null) {
                b.withAuthentication(location.user(), location.password().toCharArray());
            } else {
                b.withPassword(location.password().toCharArray());
            }
        }
        if (settings.clientName != null) {
            b.withClientName(settings.clientName);
        }
        return b.build();
    }

    /** The asynchronous commands: a standalone connection's, or the cluster's (routed by slot). */
    RedisClusterAsyncCommands<String, byte[]> commands() {
        return commands;
    }

    /**
     * Writes {@code batch} in one go: one write and one flush of the socket for all of them (to
     * a cluster: each command routed to its slot's node), where the command API would write and
     * flush each one. The commands complete as their replies arrive.
     */
    void dispatch(List<? extends RedisCommand<String, byte[], ?>> batch) {
        connection.dispatch(batch);
    }

    /** True while the connection (to a cluster: to at least its default node) is up. */
    boolean isOpen() {
        return connection.isOpen();
    }

    /** Closes the connection and the client, and releases the shared resources. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } finally {
            shutdown(client);
        }
    }

    private static void shutdown(AbstractRedisClient client) {
        try {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            SharedClientResources.release();
        }
    }
}
