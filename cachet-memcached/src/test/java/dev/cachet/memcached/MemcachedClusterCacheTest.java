package dev.cachet.memcached;

import dev.cachet.testkit.CacheContractTest;

/** The contract suite on a cluster of three memcached servers, keys spread by ketama. */
class MemcachedClusterCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return MemcachedServers.clusterLocation() + "?weights=1,2,1";
    }
}
