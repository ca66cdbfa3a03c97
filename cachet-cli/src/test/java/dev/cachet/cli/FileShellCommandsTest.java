package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell commands over a file: cache, each run opening it anew as a separate process would. */

class FileShellCommandsTest extends InspectableShellCommandsContract {
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

    @Override
    protected String otherPrefixLocation() {
        return "file:" + dir + "?key_prefix=other";
    }

    @Test
    void statsCountsTheFilesAndBytesOnDisk() throws Exception {
        cli.run("set", "--cache", location(), "a", "x".repeat(10_000));
        Cli.Run r = cli.run("stats", "--cache", location());
        assertThat(r.code()).isZero();
        Map<String, String> lines = statsLines(r);
        assertThat(lines.get("directory")).isEqualTo(dir.toRealPath().toString());
        assertThat(lines.get("directory files")).isEqualTo("1");
        long onDisk;
        try (var files = Files.list(dir)) {
            onDisk = files.filter(p -> p.toString().endsWith(".cachet")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(onDisk).as("10,000 x compressed, in a header").isPositive();
        assertThat(Long.parseLong(lines.get("directory bytes"))).isEqualTo(onDisk);
        assertThat(lines.get("max_entries")).as("file caches cull").isEqualTo("300");
    }

    @Test
    void aRelativeDirectoryIsResolvedAndNamed() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        String rel = cwd.relativize(dir.toAbsolutePath()).toString();
        Cli.Run r = cli.run("set", "--cache", "file:" + rel + "?timeout=60", "k", "v");
        assertThat(r.code()).isZero();
        assertThat(r.stderr()).contains("file:" + rel + " is a relative directory; using " + dir.toAbsolutePath().normalize());
        assertThat(cli.run("get", "--cache", location(), "k").out()).isEqualTo("v\n");
    }
}
