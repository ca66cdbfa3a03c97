package dev.cachet.testkit;

/**
 * The contract on local memory by value with a 1 KiB item limit, so every large value is
 * chunked. Chunks are entries too, so {@code max_entries} is raised above the default 300,
 * which could not hold the pieces of a 5 MB value.
 */
class MemoryChunkedCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "memory:?store_by_value=true&max_item_bytes=1024&max_entries=50000";
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
