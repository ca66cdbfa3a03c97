package dev.cachet.testkit;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import java.time.Duration;

/**
 * The contract on a two-level cache over local memory, with the in-process backplane and the
 * test clock: the decorator must behave as one level.
 */
class TwoLevelMemoryCacheTest extends CacheContractTest {
    @Override
    protected String location() {
        return "memory:";
    }

    @Override
    protected Cache createCache(CacheConfig.Builder config) {
        return TwoLevel.over(Caches.open(config.build())).backplane("memory:?channel=" + prefix)
                .localTimeout(Duration.ofMinutes(10)).clock(testClock).build();
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
