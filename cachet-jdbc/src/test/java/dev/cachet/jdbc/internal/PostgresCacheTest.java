package dev.cachet.jdbc.internal;

/** The contract on Postgres (the real server; skipped, or failed when servers are required, if absent). */
class PostgresCacheTest extends JdbcContractTest {
    @Override
    protected String jdbcUrl() {
        return Databases.postgresUrl();
    }

    @Override
    protected String table() {
        return "ct_postgres";
    }
}
