package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell commands over a memory: cache shared by every run of a test. */
class SharedMemoryShellCommandsTest extends ShellCommandsContract {
    @BeforeEach
    void open() {
        cli = Cli.sharedCaches();
    }

    @Override
    protected String location() {
        return "memory:";
    }

    @Test
    void ttlAndKeysSayAMemoryCacheIsNotVisibleFromTheCommandLine() {
        runOn("set", "k", "v");
        Cli.Run ttl = runOn("ttl", "k");
        assertThat(ttl.code()).isEqualTo(3);
        assertThat(ttl.stdout()).isEmpty();
        assertThat(ttl.stderr()).contains("cachet ttl: a memory: cache lives inside one process");
        Cli.Run keys = runOn("keys");
        assertThat(keys.code()).isEqualTo(3);
        assertThat(keys.stderr()).contains("cachet keys: a memory: cache lives inside one process");
    }
}
