package dev.cachet.memcached.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops every memcached client of the JVM shares (daemon threads, at most one per
 * core and never more than 4): opened by the first client, shut down when the last one closes,
 * so an application with ten memcached caches does not run ten sets of threads.
 */
final class EventLoops {
    private static EventLoopGroup group;
    private static int users;

    private EventLoops() {
    }

    static synchronized EventLoopGroup acquire() {
        if (group == null) {
            int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("cachet-memcached", true),
                    NioIoHandler.newFactory());
        }
        users++;
        return group;
    }

    static synchronized void release(EventLoopGroup g) {
        if (g != group) {
            return;
        }
        if (--users == 0) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            group = null;
        }
    }
}
