package dev.cachet.redis;

import dev.cachet.testkit.TwoLevelAcrossProcesses;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The two-level loss scenario on a redis-server of its own (a free port): shared level and
 * backplane both there; the cut is {@code CLIENT KILL TYPE pubsub}, which drops every
 * subscription of the three workers at once (on the shared server it would hit other tests').
 */
class RedisTwoLevelAcrossProcessesTest extends TwoLevelAcrossProcesses {
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.launch();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected String location() {
        return "redis://" + redis.address() + "/0";
    }

    @Override
    protected String backplane() {
        return "redis://" + redis.address();
    }

    @Override
    protected void cutBackplaneConnections() {
        RedisKeys.with("redis://" + redis.address(), r -> r.clientKill(KillArgs.Builder.typePubsub()));
    }
}
