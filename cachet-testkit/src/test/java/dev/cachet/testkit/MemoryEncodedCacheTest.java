package dev.cachet.testkit;

/**
 * The contract on local memory by value holding encoded bytes (a byte bound asks for them):
 * every value goes through the entry format and the codec, as on the server backends.
 */
class MemoryEncodedCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "memory:?store_by_value=true&max_bytes=1g";
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
