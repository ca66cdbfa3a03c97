package dev.cachet.memcached.internal;

import dev.cachet.spi.ReplyWait;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The nodes of one location and the ketama ring between them: routes a key to its node
 * (skipping down nodes when {@code rehash_down_nodes} is on) and waits for replies with a
 * bounded wait, so no caller ever hangs even if a reply were lost.
 */
final class MemcachedClient implements AutoCloseable {
    final MemcachedSettings settings;
    /** How callers wait for replies: spinning briefly while round trips are short (see {@link ReplyWait}). */
    private final ReplyWait replyWait;
    /**
     * The same for quiet batches, with their own round-trip average: a batch of many keys takes
     * several times a single command's round trip, and one average of both would have single
     * commands park when they should spin and batches spin when they should park.
     */
    private final ReplyWait batchWait;
    /** The longest a caller spins for a batch's replies, in nanoseconds. */
    static final long BATCH_MAX_SPIN_NANOS = 100_000;
    final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final EventLoopGroup group;
    private final List<Node> nodes;
    private final KetamaRing ring;
    private final long waitMillis;

    MemcachedClient(MemcachedSettings settings) {
        this.settings = settings;
        this.replyWait = new ReplyWait(settings.spinWait);
        // a batch's replies keep the event loop busy as they arrive: a caller spinning for them
        // took its core (getMany of 100 keys 1.21-1.23x of a raw batch with a 100 µs limit,
        // 1.38-1.42x with 200 µs), so batches keep the lower limit
        this.batchWait = new ReplyWait(settings.spinWait, BATCH_MAX_SPIN_NANOS);
        this.group = EventLoops.acquire();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout.toMillis()));
        // the longest a request can legitimately take: connect, then a write and a read that
        // each make progress within their timeouts; after this the caller stops waiting
        this.waitMillis = settings.connectTimeout.toMillis() + settings.writeTimeout.toMillis()
                + settings.readTimeout.toMillis() * 4 + 1000;
        List<Node> list = new ArrayList<>();
        for (int i = 0; i < settings.servers.size(); i++) {
            list.add(new Node(i, settings.servers.get(i), b, settings, alloc, waitMillis));
        }
        this.nodes = List.copyOf(list);
        this.ring = nodes.size() > 1 ? new KetamaRing(settings.servers) : null;
    }

    List<Node> nodes() {
        return nodes;
    }

    /** The one node when the location has one (no routing needed), else null. */
    Node onlyNode() {
        return ring == null ? nodes.get(0) : null;
    }

    /** The node that owns {@code key}; with {@code rehash_down_nodes}, the next live node on the ring. */
    Node nodeFor(WireKey key) {
        if (ring == null) {
            return nodes.get(0);
        }
        if (!settings.rehashDownNodes) {
            return nodes.get(ring.serverFor(key.item()));
        }
        int i = ring.serverFor(key.item(), s -> !nodes.get(s).isDown());
        return nodes.get(i < 0 ? ring.serverFor(key.item()) : i);
    }

    /**
     * The node that owns {@code key} on the ring, down or not: for keys that must never move,
     * such as the namespace generation counter (a counter re-created on another node would start
     * at a new value, and the old one would come back with its node).
     */
    Node homeNodeFor(WireKey key) {
        return ring == null ? nodes.get(0) : nodes.get(ring.serverFor(key.item()));
    }

    /** Sends {@code commands} (each with one reply) to {@code node}. */
    CompletableFuture<MetaResponse[]> send(Node node, MetaCommands commands, int[] allowed, String what) {
        CommandRequest r = new CommandRequest(commands, allowed, what);
        r.replyWait = replyWait;
        node.send(r);
        return r.future;
    }

    /** {@link #send}, off the caller's thread whatever the transport: for a request nobody waits for. */
    CompletableFuture<MetaResponse[]> sendInBackground(Node node, MetaCommands commands, int[] allowed, String what) {
        CommandRequest r = new CommandRequest(commands, allowed, what);
        r.background = true;
        node.send(r);
        return r.future;
    }

    /**
     * Sends a quiet batch of {@code n} commands (then {@code mn}) to {@code node}; {@code fences}
     * lists the commands after which the batch already holds an {@code mn}.
     */
    CompletableFuture<QuietBatch.Result> sendQuiet(Node node, MetaCommands commands, int n, int[] fences, int allowed,
            String what) {
        QuietBatch b = new QuietBatch(commands.line("mn"), n, fences, allowed, what);
        b.replyWait = batchWait;
        node.send(b);
        return b.future;
    }

    /** The result of {@code f}, waiting at most the longest a request can take. */
    <T> T await(CompletableFuture<T> f, String what) {
        return await(replyWait, f, what);
    }

    /** {@link #await} for a quiet batch of {@link #sendQuiet}. */
    QuietBatch.Result awaitBatch(CompletableFuture<QuietBatch.Result> f, String what) {
        return await(batchWait, f, what);
    }

    private <T> T await(ReplyWait wait, CompletableFuture<T> f, String what) {
        try {
            return wait.get(f, waitMillis);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                if (re instanceof MemcachedFailure) {
                    throw new MemcachedFailure(re.getMessage(), re);
                }
                throw re;
            }
            throw new MemcachedFailure("memcached: " + what + " failed: " + c, c);
        } catch (TimeoutException e) {
            throw new MemcachedFailure("memcached: " + what + " got no answer within " + waitMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemcachedFailure("memcached: interrupted while waiting for " + what, e);
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.close();
        }
        EventLoops.release(group);
    }
}
