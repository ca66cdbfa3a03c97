package dev.cachet.redis;

import dev.cachet.testkit.CacheContractTest;

/**
 * The whole contract suite on the shared Redis Cluster of three masters on free loopback ports
 * ({@link RedisTestCluster#shared()}), killed when the test JVM exits. Keys of one test land on all
 * three nodes, so every multi-key operation (MGET per slot, pipelined SETs, UNLINK per slot,
 * SCAN of every master for clear, chunked values whose pieces live on other nodes) crosses
 * slots. Skipped with a message naming redis-server when it is not installed (failed when
 * servers are required).
 */
class RedisClusterCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "redis-cluster://" + RedisTestCluster.shared().seeds();
    }
}
