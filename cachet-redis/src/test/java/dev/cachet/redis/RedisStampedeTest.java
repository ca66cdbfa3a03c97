package dev.cachet.redis;

import dev.cachet.testkit.Servers;
import dev.cachet.testkit.StampedeAcrossProcesses;
import org.junit.jupiter.api.AfterAll;

/**
 * The stampede scenarios with three worker JVMs on the real Redis at 127.0.0.1:6379, in
 * database {@value #DATABASE}, which no other test class uses; every run works under a key
 * prefix of its own ({@code st-...}), removed after the class.
 */
class RedisStampedeTest extends StampedeAcrossProcesses {
    static final int DATABASE = 9;

    @Override
    protected String location() {
        return "redis://" + Servers.requireRedis().address() + "/" + DATABASE;
    }

    @AfterAll
    static void removeWhatTheRunsLeft() {
        if (Servers.isListening(Servers.HOST, 6379, java.time.Duration.ofMillis(500))) {
            RedisKeys.unlinkMatching("redis://" + Servers.HOST + ":6379/" + DATABASE, "st-*");
        }
    }
}
