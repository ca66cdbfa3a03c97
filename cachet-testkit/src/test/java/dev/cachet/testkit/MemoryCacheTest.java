package dev.cachet.testkit;

/** The contract on local memory by reference (the default): values are the very objects stored. */
class MemoryCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "memory:";
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }

    @Override
    protected boolean serializesValues() {
        return false;
    }

    @Override
    protected boolean sharesStorage() {
        return false;
    }
}
