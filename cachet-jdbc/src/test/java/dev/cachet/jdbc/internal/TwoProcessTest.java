package dev.cachet.jdbc.internal;

import dev.cachet.jdbc.Dialect;
import dev.cachet.testkit.TwoProcessRaces;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * incr and add across two processes sharing one table: this JVM and a second one running
 * {@link JdbcWorker} (the {@link TwoProcessRaces}). H2 is left out: an H2 file database
 * belongs to one process.
 */
class TwoProcessTest {
    private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(180);

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB", "SQLITE"})
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void incrsFromTwoProcessesAreExact(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "procincr")) {
            TwoProcessRaces.incrs(f.store(), 4, 1000, THREAD_TIMEOUT, JdbcWorker.class, f.url, f.table);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB", "SQLITE"})
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exactlyOneAddWinsAcrossTwoProcesses(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "procadd")) {
            TwoProcessRaces.adds(f.store(), 4, 300, THREAD_TIMEOUT, JdbcWorker.class, f.url, f.table);
        }
    }
}
