package dev.cachet.memcached;

import dev.cachet.testkit.StoreContractTest;
import dev.cachet.testkit.TestClock;

/**
 * The Store contract on the shared single memcached server, with the test clock (deadlines
 * are checked at read time against the cache's clock), and {@code generation_refresh=0}: a
 * store sees a clear made through another store (another process, in effect) when it next
 * reads the namespace generation, at most {@code generation_refresh} later; at 0, at once, as
 * the contract's clear tests expect. A bulk call failing for part of its keys needs a node
 * down: {@link NodeFailureTest}.
 */
class MemcachedStoreContractTest extends StoreContractTest {
    @Override
    protected String location() {
        return MemcachedServers.singleLocation() + "?generation_refresh=0";
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
