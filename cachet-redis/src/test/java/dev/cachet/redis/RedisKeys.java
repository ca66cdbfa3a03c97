package dev.cachet.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.function.Function;

/** Plain Lettuce access for tests: look at what a cache stored, and clean up after a class. */
final class RedisKeys {
    private RedisKeys() {
    }

    /** Runs {@code action} over a fresh connection to {@code uri} (a {@code redis://} URI). */
    static <T> T with(String uri, Function<RedisCommands<String, String>, T> action) {
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return action.apply(c.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Removes every key matching the glob {@code pattern} in the database of {@code uri}; returns how many. */
    static long unlinkMatching(String uri, String pattern) {
        return with(uri, r -> {
            long n = 0;
            ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
            KeyScanCursor<String> cursor = r.scan(args);
            while (true) {
                if (!cursor.getKeys().isEmpty()) {
                    n += r.unlink(cursor.getKeys().toArray(new String[0]));
                }
                if (cursor.isFinished()) {
                    return n;
                }
                cursor = r.scan(cursor, args);
            }
        });
    }
}
