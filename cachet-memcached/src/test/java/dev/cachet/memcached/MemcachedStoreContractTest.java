package dev.cachet.memcached;

import dev.cachet.testkit.StoreContractTest;
import dev.cachet.testkit.TestClock;

/**
 * The Store contract on the shared single memcached server, with the test clock (deadlines
 * are checked at read time against the cache's clock). A bulk call failing for part of its
 * keys needs a node down: {@link NodeFailureTest}.
 */
class MemcachedStoreContractTest extends StoreContractTest {
    @Override
    protected String location() {
        return MemcachedServers.singleLocation();
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
