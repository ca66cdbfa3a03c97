package dev.cachet.memcached;

import dev.cachet.testkit.StoreContractTest;

/** The Store contract on the shared 3-node memcached cluster, on real time: bulk calls span the nodes. */
class MemcachedClusterStoreContractTest extends StoreContractTest {
    @Override
    protected String location() {
        return MemcachedServers.clusterLocation();
    }
}
