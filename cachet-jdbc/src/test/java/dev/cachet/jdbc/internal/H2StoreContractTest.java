package dev.cachet.jdbc.internal;

/** The Store contract on H2 (see {@link JdbcStoreContract}). */
class H2StoreContractTest extends JdbcStoreContract {
    @Override
    protected String jdbcUrl() {
        return Databases.h2Url("store-contract");
    }

    @Override
    protected String table() {
        return "sc_h2";
    }
}
