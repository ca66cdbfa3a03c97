package dev.cachet.redis.internal;

import dev.cachet.spi.KeyScope;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreStats;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@link RedisStore}'s inspection ({@code cachet stats}, {@code keys}, {@code ttl}): {@code SCAN
 * MATCH} the scope's key shape as {@code clear} does, {@code STRLEN} the keys found (pipelined
 * per {@code SCAN} step), {@code PTTL} for a deadline, {@code DBSIZE} and {@code INFO memory}
 * for the database's own figures.
 */
final class RedisInspection {
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final Replies replies;
    private final Clock clock;

    RedisInspection(RedisClusterAsyncCommands<String, byte[]> commands, Replies replies, Clock clock) {
        this.commands = commands;
        this.replies = replies;
        this.clock = clock;
    }

    /** The keys {@code scope} owns and the sum of their values' lengths; DBSIZE and used_memory as details. */
    StoreStats stats(KeyScope scope) {
        long[] n = new long[2];
        scan(scope, batch -> {
            List<RedisFuture<Long>> lengths = new ArrayList<>(batch.size());
            for (String k : batch) {
                lengths.add(commands.strlen(k));
            }
            for (RedisFuture<Long> f : lengths) {
                Long len = replies.await("STRLEN", f);
                if (len != null && len > 0) { // values are never empty: 0 is a key expired since SCAN saw it
                    n[0]++;
                    n[1] += len;
                }
            }
            return true;
        });
        List<StoreStats.Detail> details = new ArrayList<>();
        details.add(new StoreStats.Detail("database keys", replies.call("DBSIZE", commands::dbsize)
                + " (DBSIZE: every key of the database, any cache's)"));
        String memory = usedMemory(replies.call("INFO", () -> commands.info("memory")));
        if (memory != null) {
            details.add(new StoreStats.Detail("server memory", memory + " bytes (INFO used_memory: the whole server)"));
        }
        return new StoreStats(n[0], n[1], details);
    }

    /** Up to {@code limit} keys {@code scope} owns. */
    List<String> keys(KeyScope scope, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, not " + limit);
        }
        List<String> keys = new ArrayList<>();
        if (limit > 0) {
            scan(scope, batch -> {
                for (String k : batch) {
                    keys.add(k);
                    if (keys.size() >= limit) {
                        return false;
                    }
                }
                return true;
            });
        }
        return keys;
    }

    /** {@code PTTL}: now plus the time left, {@link Store#NEVER} without expiry, {@link Store#NO_ENTRY} for no key. */
    long expiresAt(String key) {
        long now = clock.millis();
        Long ttl = replies.call("PTTL", () -> commands.pttl(key));
        if (ttl == null || ttl == -2) {
            return Store.NO_ENTRY;
        }
        return ttl == -1 ? Store.NEVER : now + ttl;
    }

    /** Feeds the owned keys of each {@code SCAN} step to {@code sink} until it returns false or the scan ends. */
    private void scan(KeyScope scope, Predicate<List<String>> sink) {
        ScanArgs args = ScanArgs.Builder.limit(RedisStore.CLEAR_BATCH);
        if (!scope.isEverything()) {
            args.match(RedisStore.pattern(scope));
        }
        KeyScanCursor<String> cursor = replies.call("SCAN", () -> commands.scan(args));
        while (true) {
            List<String> owned = new ArrayList<>(cursor.getKeys().size());
            for (String k : cursor.getKeys()) {
                if (scope.owns(k)) {
                    owned.add(k);
                }
            }
            if (!owned.isEmpty() && !sink.test(owned) || cursor.isFinished()) {
                return;
            }
            ScanCursor at = cursor;
            cursor = replies.call("SCAN", () -> commands.scan(at, args));
        }
    }

    /** The {@code used_memory} figure of an {@code INFO memory} reply, or null. */
    static String usedMemory(String info) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return line.substring("used_memory:".length()).trim();
            }
        }
        return null;
    }
}
