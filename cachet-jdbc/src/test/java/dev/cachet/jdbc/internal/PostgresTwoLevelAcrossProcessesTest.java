package dev.cachet.jdbc.internal;

import dev.cachet.testkit.TwoLevelAcrossProcesses;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/**
 * The two-level loss scenario on the real PostgreSQL: the shared level in a table of this
 * class's own, the backplane {@code LISTEN/NOTIFY}; the cut is {@code pg_terminate_backend} of
 * every listening backend ({@code application_name} {@value PostgresBackplane#LISTENER_NAME}).
 */
class PostgresTwoLevelAcrossProcessesTest extends TwoLevelAcrossProcesses {
    private static final String TABLE = "two_level_postgres";

    @Override
    protected String location() {
        return Databases.withFreshTable(Databases.postgresUrl(), TABLE);
    }

    @Override
    protected String backplane() {
        return Databases.postgresUrl();
    }

    @Override
    protected Map<String, String> options() {
        return Map.of("table", TABLE, "cull_probability", "0", "purge_interval", "0");
    }

    @Override
    protected void cutBackplaneConnections() throws Exception {
        try (Connection c = DriverManager.getConnection(Databases.postgresUrl());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE application_name = '" + PostgresBackplane.LISTENER_NAME + "'")) {
            rs.next();
        }
    }
}
