package dev.cachet.spring;

/** The Spring contract on local memory. */
class MemorySpringCacheContractTest extends SpringCacheContract {
    @Override
    protected String location() {
        return "memory:";
    }

    @Override
    protected boolean shared() {
        return false;
    }
}
