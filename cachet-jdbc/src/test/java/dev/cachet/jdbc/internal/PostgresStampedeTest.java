package dev.cachet.jdbc.internal;

import dev.cachet.testkit.StampedeAcrossProcesses;
import java.util.Map;

/**
 * The stampede scenarios with three worker JVMs on the real PostgreSQL, in a table of this
 * class's own created afresh (culling and the background purge off, as in the contract suite).
 */
class PostgresStampedeTest extends StampedeAcrossProcesses {
    private static final String TABLE = "stampede_postgres";

    @Override
    protected String location() {
        return Databases.withFreshTable(Databases.postgresUrl(), TABLE);
    }

    @Override
    protected Map<String, String> options() {
        return Map.of("table", TABLE, "cull_probability", "0", "purge_interval", "0");
    }
}
