package dev.cachet.jdbc.internal;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Store;
import dev.cachet.testkit.StoreContractTest;
import dev.cachet.testkit.TestClock;

/**
 * The Store contract on one SQL dialect, in a table of its own created afresh for the class,
 * with the test clock (deadlines are compared with the clock's now, bound as a parameter) and
 * no culling or purge (culling is tested on its own in {@link CullingTest}).
 */
abstract class JdbcStoreContract extends StoreContractTest {
    /** The JDBC URL (the test skips or fails, as {@code Servers} decides, when its server is absent). */
    protected abstract String jdbcUrl();

    /** This class's table. */
    protected abstract String table();

    @Override
    protected String location() {
        return Databases.withFreshTable(jdbcUrl(), table());
    }

    @Override
    protected Store openStore(CacheConfig config) {
        return super.openStore(config.toBuilder().option("table", table()).option("cull_probability", 0)
                .option("purge_interval", 0).build());
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
