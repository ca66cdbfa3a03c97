package dev.cachet.jdbc.internal;

/** The contract on MariaDB (the real server; skipped, or failed when servers are required, if absent). */
class MariaDbCacheTest extends JdbcContractTest {
    @Override
    protected String jdbcUrl() {
        return Databases.mariaDbUrl();
    }

    @Override
    protected String table() {
        return "ct_mariadb";
    }
}
