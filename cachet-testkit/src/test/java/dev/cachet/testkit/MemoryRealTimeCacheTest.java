package dev.cachet.testkit;

import java.time.Duration;

/**
 * The contract on local memory by value, on real time: no test clock, so expiry tests wait
 * (polling, with a deadline) for a probe key to expire, exactly as they do for server
 * backends. It keeps that path of the suite tested where no server is needed; the timeout is
 * shorter than the servers' 1 s to keep the run short.
 */
class MemoryRealTimeCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "memory:?store_by_value=true";
    }

    @Override
    protected boolean sharesStorage() {
        return false;
    }

    @Override
    protected Duration shortTimeout() {
        return Duration.ofMillis(500);
    }
}
