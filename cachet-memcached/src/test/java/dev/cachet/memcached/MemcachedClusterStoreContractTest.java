package dev.cachet.memcached;

import dev.cachet.testkit.StoreContractTest;

/**
 * The Store contract on the shared 3-node memcached cluster, on real time: bulk calls span the
 * nodes. {@code generation_refresh=0}, as in {@link MemcachedStoreContractTest}.
 */
class MemcachedClusterStoreContractTest extends StoreContractTest {
    @Override
    protected String location() {
        return MemcachedServers.clusterLocation() + "?generation_refresh=0";
    }
}
