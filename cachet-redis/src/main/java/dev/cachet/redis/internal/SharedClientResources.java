package dev.cachet.redis.internal;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce thread pools and timer every Redis cache of the JVM shares, created when the
 * first cache opens and shut down when the last one closes (reference counted), so that many
 * caches do not mean many event loops. Lettuce reconnects a dropped connection by itself; the
 * delay between attempts starts at {@value #RECONNECT_MIN_MILLIS} ms and doubles up to
 * {@value #RECONNECT_MAX_MILLIS} ms (Lettuce's default grows to 30 s), so a cache is back within
 * about a second of its server. Thread-safe.
 */
final class SharedClientResources {
    static final long RECONNECT_MIN_MILLIS = 50;
    static final long RECONNECT_MAX_MILLIS = 1000;

    private static ClientResources resources;
    private static int users;

    private SharedClientResources() {
    }

    /** The shared resources; every call must be matched by one {@link #release()}. */
    static synchronized ClientResources acquire() {
        if (users == 0) {
            resources = DefaultClientResources.builder()
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(RECONNECT_MIN_MILLIS),
                            Duration.ofMillis(RECONNECT_MAX_MILLIS), 2, TimeUnit.MILLISECONDS))
                    .build();
        }
        users++; // counted only once the resources exist: a failed build leaves the count alone
        return resources;
    }

    /** Gives one acquisition back; the last one shuts the threads down (without waiting for them). */
    static synchronized void release() {
        if (users == 0) {
            return;
        }
        if (--users == 0) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            resources = null;
        }
    }
}
