package dev.cachet.jdbc.internal;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.testkit.CacheContractTest;
import dev.cachet.testkit.TestClock;

/**
 * The contract suite on one SQL dialect, in a table of its own that is created afresh for the
 * class. The cache clock is the suite's test clock (the store compares deadlines with the
 * clock's now, bound as a parameter, so moving the clock is moving time). Culling and the
 * background purge are turned off: the suite's tests share the table, and culling is tested on
 * its own in {@link JdbcStoreTest}.
 */
abstract class JdbcContractTest extends CacheContractTest {
    /** The JDBC URL (the test skips or fails, as {@code Servers} decides, when its server is absent). */
    protected abstract String jdbcUrl();

    /** This class's table. */
    protected abstract String table();

    @Override
    protected String location() {
        return Databases.withFreshTable(jdbcUrl(), table());
    }

    @Override
    protected Cache createCache(CacheConfig.Builder config) {
        return Caches.open(config.option("table", table()).option("cull_probability", 0).option("purge_interval", 0)
                .build());
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
