package dev.cachet.memcached.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This cache's namespace generation: a counter in memcached, under {@code @gen:<key_prefix>},
 * folded into every key ({@code <generation in base 36>.<stored key>}). {@code clear} increments
 * it, so every key of the cache (of every version) becomes unreachable at once, without
 * touching other caches on the same servers; the old entries age out by LRU or TTL.
 *
 * <p>The counter is read and created in one atomic command ({@code ma ... N0 J<random> D0}): a
 * missing counter (never created, or evicted) starts at a fresh random value, so entries from
 * before an eviction can never come back; a lost counter is at worst a clear.
 *
 * <h2>Consistency across processes</h2>
 * Each store keeps the generation it read with the time it asked for it. An operation never
 * uses a generation asked for more than {@code generation_refresh} ago (default 1 s): past half
 * of that a background read refreshes it, past all of it the operation reads it first. So a
 * {@code clear} in one process is seen by every other process within {@code generation_refresh};
 * in the process that cleared, at once. With {@code generation_refresh=0} every operation reads
 * the generation first (one more round trip, no window).
 *
 * <p>The counter lives on its own node of the ring and never moves (not even with
 * {@code rehash_down_nodes}). While that node cannot be reached, a store that knows a
 * generation goes on with it (logged once): the other nodes' keys stay served, and only the
 * bound on seeing other processes' clears is suspended until the node answers again. A store
 * that never read the generation fails with the node's error.
 */
final class Namespace {
    private static final Logger LOG = LoggerFactory.getLogger(Namespace.class);
    private final MemcachedClient client;
    private final WireKey counterKey;
    private final long refreshNanos;
    private volatile Generation current;
    private CompletableFuture<Generation> refreshing;
    private long barrierNanos = System.nanoTime();
    private volatile boolean stale;

    private record Generation(String prefix, long askedNanos) {
    }

    Namespace(MemcachedClient client, String keyPrefix) {
        this.client = client;
        this.counterKey = WireKeys.encode("", "@gen:" + keyPrefix);
        this.refreshNanos = client.settings.generationRefresh.toNanos();
    }

    /** The text to put in front of every stored key: {@code <generation>.}. */
    String prefix() {
        Generation g = current;
        long now = System.nanoTime();
        if (g != null && refreshNanos > 0) {
            long age = now - g.askedNanos;
            if (age < refreshNanos / 2) {
                return g.prefix;
            }
            if (age < refreshNanos) {
                refreshInBackground();
                return g.prefix;
            }
        }
        try {
            client.await(read(0, false), "reading the namespace generation");
        } catch (RuntimeException e) {
            if (g == null) {
                throw e;
            }
            if (!stale) {
                stale = true;
                LOG.warn("memcached: the namespace generation counter cannot be read ({}); going on with the last"
                        + " one read, so clears by other processes are not seen until its server answers", e.getMessage());
            }
            return g.prefix;
        }
        if (stale) {
            stale = false;
            LOG.info("memcached: the namespace generation counter answers again");
        }
        return current.prefix;
    }

    /** Moves to a new generation: everything stored before is unreachable. */
    void bump() {
        client.await(read(1, false), "bumping the namespace generation (clear)");
    }

    private synchronized void refreshInBackground() {
        if (refreshing == null || refreshing.isDone()) {
            refreshing = read(0, true);
        }
    }

    /** Reads the counter after adding {@code delta}, creating it at a random value when missing. */
    private CompletableFuture<Generation> read(long delta, boolean background) {
        long asked = System.nanoTime();
        long seed = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 62);
        MetaCommands c = new MetaCommands(client.alloc, 96).command("ma", counterKey, "N0 J" + seed + " D" + delta + " v", -1);
        int[] allowed = {CommandRequest.codes(MetaResponse.Code.VA)};
        Node home = client.homeNodeFor(counterKey);
        String what = "ma (namespace generation)";
        return (background ? client.sendInBackground(home, c, allowed, what) : client.send(home, c, allowed, what))
                .thenApply(r -> {
                    MetaResponse m = r[0];
                    if (m.code != MetaResponse.Code.VA) {
                        throw new MemcachedFailure("memcached refused the namespace generation counter: " + m);
                    }
                    String text = new String(m.value, java.nio.charset.StandardCharsets.US_ASCII).trim();
                    long v;
                    try {
                        v = Long.parseUnsignedLong(text);
                    } catch (NumberFormatException e) {
                        throw new MemcachedFailure("the namespace generation counter holds " + ResponseDecoder.printable(text)
                                + ", not a number");
                    }
                    Generation g = new Generation(Long.toUnsignedString(v, 36) + ".", asked);
                    update(g, delta != 0);
                    return g;
                });
    }

    /**
     * Keeps the newest generation. After a bump completes, reads asked before it are ignored
     * (one may have been answered before the bump and would bring the old generation back).
     */
    private synchronized void update(Generation g, boolean bumped) {
        if (bumped) {
            current = g;
            barrierNanos = System.nanoTime();
            return;
        }
        Generation c = current;
        if (c == null || (g.askedNanos - barrierNanos >= 0 && g.askedNanos - c.askedNanos >= 0)) {
            current = g;
        }
    }
}
