package dev.cachet.redis;

import dev.cachet.testkit.StoreContractTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Store contract on the shared Redis Cluster of three masters
 * ({@link RedisTestCluster#shared()}): bulk calls cross slots and nodes, and a scope's clear
 * scans every master. A partial failure of a bulk call needs a master down:
 * {@link RedisClusterFailureTest}. The tests that read just past a real-time deadline are off:
 * {@link ExpiryCountsFromArrival}.
 */
@ExtendWith(ExpiryCountsFromArrival.class)
class RedisClusterStoreContractTest extends StoreContractTest {
    @Override
    protected String location() {
        return "redis-cluster://" + RedisTestCluster.shared().seeds();
    }
}
