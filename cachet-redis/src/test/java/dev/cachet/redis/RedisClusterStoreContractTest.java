package dev.cachet.redis;

import dev.cachet.testkit.StoreContractTest;

/**
 * The Store contract on the shared Redis Cluster of three masters
 * ({@link RedisTestCluster#shared()}): bulk calls cross slots and nodes, and a scope's clear
 * scans every master. A partial failure of a bulk call needs a master down:
 * {@link RedisClusterFailureTest}. Expiry tests allow a write's transit past a deadline
 * ({@link #expiryLatency()}).
 */
class RedisClusterStoreContractTest extends StoreContractTest {
    /** Redis counts an entry's time left from the write's arrival: it may outlive its deadline by the write's transit. */
    @Override
    protected java.time.Duration expiryLatency() {
        return java.time.Duration.ofMillis(250);
    }

    @Override
    protected String location() {
        return "redis-cluster://" + RedisTestCluster.shared().seeds();
    }
}
