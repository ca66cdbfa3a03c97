package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell commands over a file: cache, each run opening it anew as a separate process would. */

class FileShellCommandsTest extends ShellCommandsContract {
    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        cli = Cli.real();
    }

    @Override
    protected String location() {
        return "file:" + dir;
    }

    @Test
    void statsCountsTheFilesAndBytesOnDisk() {
        cli.run("set", "--cache", location(), "a", "x".repeat(10_000));
        Cli.Run r = cli.run("stats", "--cache", location());
        assertThat(r.code()).isZero();
        String files = r.out().lines().filter(l -> l.startsWith("files ")).findFirst().orElseThrow();
        String bytes = r.out().lines().filter(l -> l.startsWith("bytes ")).findFirst().orElseThrow();
        assertThat(Long.parseLong(files.substring(5).trim())).isPositive();
        assertThat(Long.parseLong(bytes.substring(5).trim())).isGreaterThan(0);
    }
}
