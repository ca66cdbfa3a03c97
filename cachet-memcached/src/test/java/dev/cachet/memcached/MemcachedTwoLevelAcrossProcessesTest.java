package dev.cachet.memcached;

import dev.cachet.testkit.Servers;
import dev.cachet.testkit.TwoLevelAcrossProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The two-level loss scenario with the memcached backplane: the shared level on one memcached,
 * the generation counter on another, which the cut restarts (empty: the counter is gone, and
 * while it is down no increment or poll gets through).
 */
class MemcachedTwoLevelAcrossProcessesTest extends TwoLevelAcrossProcesses {
    private static Servers.Memcached shared;
    private static Servers.Memcached backplane;

    @BeforeAll
    static void start() {
        shared = Servers.startMemcached();
        backplane = Servers.startMemcached();
    }

    @AfterAll
    static void stop() {
        if (shared != null) {
            shared.close();
        }
        if (backplane != null) {
            backplane.close();
        }
    }

    @Override
    protected String location() {
        return "memcached://" + shared.address();
    }

    @Override
    protected String backplane() {
        return "memcached://" + backplane.address();
    }

    @Override
    protected boolean deliversMessages() {
        return false;
    }

    @Override
    protected void cutBackplaneConnections() {
        backplane.restart();
    }
}
