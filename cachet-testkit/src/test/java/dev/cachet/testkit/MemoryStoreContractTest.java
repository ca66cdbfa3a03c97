package dev.cachet.testkit;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Store;

/**
 * The Store contract on the local-memory byte store (by value). Stores of {@code memory:} never
 * share storage, so every cache of a test gets the same store here, as caches opened over one
 * store with {@code Caches.open(config, store)} do.
 */
class MemoryStoreContractTest extends StoreContractTest {
    private Store shared;

    @Override
    protected String location() {
        return "memory:";
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }

    @Override
    protected Store openStore(CacheConfig config) {
        if (shared == null) {
            shared = super.openStore(config);
        }
        return shared; // closed once per opening after the test: closing a memory store again does nothing more
    }

    @org.junit.jupiter.api.AfterEach
    void forgetTheSharedStore() {
        shared = null;
    }
}
