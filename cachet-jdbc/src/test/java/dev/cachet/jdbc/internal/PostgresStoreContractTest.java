package dev.cachet.jdbc.internal;

/** The Store contract on Postgres (see {@link JdbcStoreContract}). */
class PostgresStoreContractTest extends JdbcStoreContract {
    @Override
    protected String jdbcUrl() {
        return Databases.postgresUrl();
    }

    @Override
    protected String table() {
        return "sc_postgres";
    }
}
