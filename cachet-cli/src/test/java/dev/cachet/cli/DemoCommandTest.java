package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cachet demo}: the smoke visit on the small dataset, and bad usage named (the site is tested in cachet-demo). */
class DemoCommandTest {
    final Cli cli = Cli.real();

    @TempDir
    Path data;

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void theSmokeVisitPrintsItsFiguresAndLeavesNoTemporaryFolder() throws Exception {
        long before;
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            before = s.filter(p -> p.getFileName().toString().startsWith("cachet-demo-smoke")).count();
        }
        Cli.Run r = cli.run("demo", "--smoke", "--small");
        assertThat(r.code()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("cachet demo: http://127.0.0.1:", "local memory in front of jdbc:sqlite:");
        assertThat(r.out()).contains("first page (nothing cached)", "computed", "200 visits (after 300): p50", "right after \"add a feed\"",
                "fresh again", "first page after a feed update", "hit ratio");
        try (var s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith("cachet-demo-smoke")).count()).isEqualTo(before);
        }
    }

    @Test
    void badOptionsAreNamed() throws Exception {
        Cli.Run period = cli.run("demo", "--feed-updates", "often", "--data", data.toString());
        assertThat(period.code()).isNotZero();
        assertThat(period.stderr()).contains("feed_updates='often'");
        Cli.Run cache = cli.run("demo", "--cache", "nosuch://x", "--port", "0", "--data", data.resolve("a").toString());
        assertThat(cache.code()).isNotZero();
        assertThat(cache.stderr()).contains("nosuch");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run inUse = cli.run("demo", "--small", "--port", Integer.toString(taken.getLocalPort()), "--data",
                    data.resolve("b").toString());
            assertThat(inUse.code()).isNotZero();
            assertThat(inUse.stderr()).contains("cannot start the demo on 127.0.0.1:" + taken.getLocalPort());
        }
        Cli.Run other = cli.run("demo", "--port", "0", "--data", data.resolve("b").toString());
        assertThat(other.code()).isNotZero();
        assertThat(other.stderr()).contains("was made with other data (cachet-demo seed=42 size=small)");
    }
}
