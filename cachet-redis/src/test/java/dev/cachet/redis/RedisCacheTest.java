package dev.cachet.redis;

import dev.cachet.testkit.CacheContractTest;
import dev.cachet.testkit.Servers;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract suite on the real Redis at 127.0.0.1:6379 (skipped, or failed when servers are
 * required, if it is absent), in database {@value #DATABASE}, which no other test class uses.
 * Expiry runs on Redis' clock, so the suite waits for short timeouts instead of moving a test
 * clock. Every test works under its own key prefix ({@code ct-...}); what they leave is
 * removed after the class.
 */
class RedisCacheTest extends CacheContractTest {
    static final int DATABASE = 11;

    @Override
    protected String location() {
        return "redis://" + Servers.requireRedis().address() + "/" + DATABASE;
    }

    @AfterAll
    static void removeWhatTheTestsLeft() {
        if (Servers.isListening(Servers.HOST, 6379, java.time.Duration.ofMillis(500))) {
            RedisKeys.unlinkMatching("redis://" + Servers.HOST + ":6379/" + DATABASE, "ct-*");
        }
    }
}
