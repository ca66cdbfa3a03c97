package dev.cachet.redis;

import dev.cachet.testkit.StoreContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Store contract on a Redis Cluster of three masters started for this class: bulk calls
 * cross slots and nodes, and a scope's clear scans every master. (A partial failure of a bulk
 * call needs a master down: {@link RedisClusterFailureTest}.)
 * The tests that read just past a real-time deadline are off: {@link ExpiryCountsFromArrival}.
 */
@ExtendWith(ExpiryCountsFromArrival.class)
class RedisClusterStoreContractTest extends StoreContractTest {
    private static RedisTestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisTestCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected String location() {
        return "redis-cluster://" + cluster.seeds();
    }
}
