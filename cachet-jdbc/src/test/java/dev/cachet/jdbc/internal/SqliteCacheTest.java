package dev.cachet.jdbc.internal;

/** The contract on SQLite, in a database file in a temporary directory. */
class SqliteCacheTest extends JdbcContractTest {
    @Override
    protected String jdbcUrl() {
        return Databases.sqliteUrl("contract");
    }

    @Override
    protected String table() {
        return "ct_sqlite";
    }
}
