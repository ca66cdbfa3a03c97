package dev.cachet.testkit;

/** The contract on local memory by value: values copied in and out by the codec's rules, none encoded unless they must be. */
class MemoryByValueCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "memory:?store_by_value=true";
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }

    @Override
    protected boolean sharesStorage() {
        return false;
    }
}
