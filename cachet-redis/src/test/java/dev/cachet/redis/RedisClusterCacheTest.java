package dev.cachet.redis;

import dev.cachet.testkit.CacheContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole contract suite on a Redis Cluster of three masters that this class starts on free
 * loopback ports ({@link RedisTestCluster}) and kills afterwards. Keys of one test land on all
 * three nodes, so every multi-key operation (MGET per slot, pipelined SETs, UNLINK per slot,
 * SCAN of every master for clear, chunked values whose pieces live on other nodes) crosses
 * slots. Skipped with a message naming redis-server when it is not installed (failed when
 * servers are required).
 */
class RedisClusterCacheTest extends CacheContractTest {
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
