package dev.cachet.memcached;

import dev.cachet.testkit.CacheContractTest;
import dev.cachet.testkit.TestClock;

/**
 * The contract suite on one memcached server, with the suite's test clock: deadlines are
 * checked at read time against the cache's clock (see {@code Deadlines}), so moving the clock
 * expires entries to the millisecond even though memcached keeps them a little longer. The
 * cluster test runs the suite on real time.
 */
class MemcachedCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return MemcachedServers.singleLocation();
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
