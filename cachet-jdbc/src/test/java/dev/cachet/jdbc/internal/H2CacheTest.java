package dev.cachet.jdbc.internal;

/** The contract on H2, in a database file in a temporary directory. */
class H2CacheTest extends JdbcContractTest {
    @Override
    protected String jdbcUrl() {
        return Databases.h2Url("contract");
    }

    @Override
    protected String table() {
        return "ct_h2";
    }
}
