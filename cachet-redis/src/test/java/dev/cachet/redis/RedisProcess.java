package dev.cachet.redis;

import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code redis-server} on a free loopback port, started by a test in a scratch
 * directory of its own (no persistence), so a test may kill and restart it without touching
 * the shared server on 6379. {@link #close()} kills it and removes the directory.
 */
final class RedisProcess implements AutoCloseable {
    static final String HOW = "install it with: apt-get install -y redis-server";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path binary;
    private final Path dir;
    private final int port;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(Path binary, Path dir, int port, List<String> extraArgs) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.extraArgs = extraArgs;
    }

    /** {@code redis-server}, or skips the test (fails it when servers are required) when it is not installed. */
    static Path binary() {
        return Servers.requireExecutable("redis-server", HOW);
    }

    /** Launches a server on a free port with {@code extraArgs} (e.g. cluster mode) and waits until it listens. */
    static RedisProcess launch(String... extraArgs) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launchOn(Servers.freePort(), extraArgs);
            } catch (IllegalStateException e) {
                last = e; // the port was taken meanwhile: another one
            }
        }
        throw last;
    }

    /** Launches a server listening on {@code port} (which {@code extraArgs} may make its TLS port) and waits for it. */
    static RedisProcess launchOn(int port, String... extraArgs) {
        Path binary = binary();
        Path dir;
        try {
            dir = Files.createTempDirectory("cachet-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RedisProcess p = new RedisProcess(binary, dir, port, List.of(extraArgs));
        try {
            p.start();
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Starts the server (again, on the same port and directory) and waits until it listens. */
    void start() {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port), "--bind",
                Servers.HOST, "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis-" + port + ".log").toString()));
        cmd.addAll(extraArgs);
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Process p = process;
        // a test JVM that ends without close() (a timeout, a killed fork's orderly exit) takes its servers along
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "redis-" + port + "-reaper"));
        if (!Servers.waitUntil(() -> !p.isAlive() || Servers.isListening(Servers.HOST, port, Duration.ofMillis(200)),
                START_TIMEOUT)
                || !p.isAlive()) {
            throw new IllegalStateException("redis-server did not start listening on port " + port + "; its log: "
                    + log());
        }
    }

    /** Kills the server at once (SIGKILL, like a crash) and waits until the port is free. */
    void kill() {
        kill(true);
    }

    private void kill(boolean waitForPort) {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        if (waitForPort && !Servers.waitUntil(() -> !Servers.isListening(Servers.HOST, port, Duration.ofMillis(200)),
                Duration.ofSeconds(10))) {
            throw new IllegalStateException("port " + port + " still accepts connections after killing redis-server");
        }
    }

    /** The process id of the running server. */
    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    String address() {
        return Servers.HOST + ":" + port;
    }

    Path dir() {
        return dir;
    }

    String log() {
        try {
            Path log = dir.resolve("redis-" + port + ".log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(unreadable log: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill(false);
        deleteTree(dir);
    }

    /** Deletes a scratch directory (shared by the nodes of a cluster: the last one out removes it). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a scratch directory under /tmp: left for the system to clean
        }
    }
}
