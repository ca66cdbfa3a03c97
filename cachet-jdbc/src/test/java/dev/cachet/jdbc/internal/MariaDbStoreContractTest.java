package dev.cachet.jdbc.internal;

/** The Store contract on MariaDB (see {@link JdbcStoreContract}). */
class MariaDbStoreContractTest extends JdbcStoreContract {
    @Override
    protected String jdbcUrl() {
        return Databases.mariaDbUrl();
    }

    @Override
    protected String table() {
        return "sc_mariadb";
    }
}
