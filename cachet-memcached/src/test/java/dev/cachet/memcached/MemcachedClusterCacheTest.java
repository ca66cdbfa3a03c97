package dev.cachet.memcached;

import dev.cachet.Cache;
import dev.cachet.testkit.CacheContractTest;
import dev.cachet.testkit.Servers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract suite on a cluster of three memcached servers, keys spread by ketama; besides
 * the suite, what clear removes, per scope, on every server.
 */
class MemcachedClusterCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return MemcachedServers.clusterLocation() + "?weights=1,2,1";
    }

    /** A prefix's clear leaves other caches' entries on every server; a custom key function's flushes every server. */
    @Test
    void clearOfAPrefixBumpsItsGenerationAloneAndClearWithACustomKeyFunctionFlushesEveryServer() {
        Cache a = open("a", o -> { });
        Cache b = open("b", o -> { });
        Cache c = open("c", o -> o.keyFunction(ClearScopes.CUSTOM));
        List<RawMemcached> raw = new ArrayList<>();
        try {
            for (Servers.Memcached m : MemcachedServers.clusterServers()) {
                raw.add(new RawMemcached(m.host(), m.port()));
            }
            ClearScopes.check(a, b, c, raw);
        } finally {
            raw.forEach(RawMemcached::close);
        }
    }
}
