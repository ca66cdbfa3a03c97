package dev.cachet.testkit;

/** The contract on the dummy backend: writes succeed, nothing is stored (Django's DummyCache). */
class DummyCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "dummy:";
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }

    @Override
    protected boolean storesValues() {
        return false;
    }
}
