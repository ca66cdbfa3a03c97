package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testkit.Servers;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell commands, ttl, keys and stats over the Redis on 127.0.0.1:6379 (skipped when none, unless required). */
class RedisShellCommandsTest extends InspectableShellCommandsContract {
    private final String prefix = "cli-test-" + UUID.randomUUID();
    private String server;

    @BeforeEach
    void open() {
        server = "redis://" + Servers.requireRedis().address() + "/0";
        cli = Cli.real();
    }

    @AfterEach
    void clearBoth() {
        Cli c = Cli.real();
        c.run("clear", "--cache", location());
        c.run("clear", "--cache", otherPrefixLocation());
        c.close();
    }

    @Override
    protected String location() {
        return server + "?key_prefix=" + prefix;
    }

    @Override
    protected String otherPrefixLocation() {
        return server + "?key_prefix=" + prefix + "-other";
    }

    @Test
    void statsShowsTheDatabasesOwnFigures() {
        Cli.Run r = runOn("stats");
        assertThat(r.code()).isZero();
        Map<String, String> lines = statsLines(r);
        assertThat(lines.get("database keys")).matches("[0-9]+ \\(DBSIZE: .*");
        assertThat(lines.get("server memory")).matches("[0-9]+ bytes .*");
        assertThat(lines).as("Redis ignores the culling options").doesNotContainKeys("max_entries", "cull_frequency");
    }
}
