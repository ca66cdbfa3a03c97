package dev.cachet.cli;

import org.junit.jupiter.api.BeforeEach;

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
}
