package dev.cachet.jdbc.internal;

/** The Store contract on SQLite (see {@link JdbcStoreContract}). */
class SqliteStoreContractTest extends JdbcStoreContract {
    @Override
    protected String jdbcUrl() {
        return Databases.sqliteUrl("store-contract");
    }

    @Override
    protected String table() {
        return "sc_sqlite";
    }
}
