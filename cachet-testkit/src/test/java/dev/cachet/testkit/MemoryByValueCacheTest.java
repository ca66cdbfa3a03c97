package dev.cachet.testkit;

/** The contract on local memory by value: every value goes through the entry format and the codec. */
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
