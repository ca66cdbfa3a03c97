package dev.cachet.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real servers a backend's contract tests run against, or starts them.
 *
 * <p>Each {@code requireX()} checks the server with a plain TCP connect (no driver needed
 * here). When it is absent the calling test is <em>skipped</em> (a JUnit assumption fails),
 * with a message naming the server and how to start it; but when the system property
 * {@value #REQUIRE_PROPERTY} or the environment variable {@value #REQUIRE_ENV} is
 * {@code true} (CI sets it), the test <em>fails</em> instead, so a missing server can never
 * turn a CI run green by skipping everything.
 *
 * <p>Thread-safe (stateless); the memcached handle is owned by the caller.
 */
public final class Servers {
    /** System property that turns "server absent" from a skip into a failure. */
    public static final String REQUIRE_PROPERTY = "cachet.requireServers";
    /** Environment variable that turns "server absent" from a skip into a failure. */
    public static final String REQUIRE_ENV = "CACHET_REQUIRE_SERVERS";

    /** The loopback address every server is looked for on. */
    public static final String HOST = "127.0.0.1";

    static final String POSTGRES_HOW = "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start";
    static final String MARIADB_HOW = "start it with: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd";
    static final String REDIS_HOW = "start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no";
    static final String MEMCACHED_HOW = "install it with: apt-get install -y memcached";

    private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);

    private Servers() {
    }

    /** A server found listening: where it is, and what a client logs in as. */
    public record Server(String name, String host, int port, String database, String user) {
        /** {@code host:port}. */
        public String address() {
            return host + ":" + port;
        }
    }

    /** PostgreSQL on 127.0.0.1:5432, database {@code test}, user {@code root} (trust authentication). */
    public static Server requirePostgres() {
        return require(new Server("PostgreSQL", HOST, 5432, "test", "root"), POSTGRES_HOW);
    }

    /** MariaDB (or MySQL) on 127.0.0.1:3306, database {@code test}, user {@code root} without a password. */
    public static Server requireMariaDb() {
        return require(new Server("MariaDB", HOST, 3306, "test", "root"), MARIADB_HOW);
    }

    /** Redis on 127.0.0.1:6379, no password. */
    public static Server requireRedis() {
        return require(new Server("Redis", HOST, 6379, null, null), REDIS_HOW);
    }

    /**
     * Starts a private memcached ({@code memcached} on the PATH) on a free loopback port and
     * waits until it accepts connections. Close the handle to kill it.
     */
    public static Memcached startMemcached() {
        return startMemcached(List.of());
    }

    /**
     * {@link #startMemcached()} with extra command-line arguments for memcached, e.g.
     * {@code List.of("-I", "2m")}.
     */
    public static Memcached startMemcached(List<String> extraArgs) {
        Optional<Path> binary = findOnPath("memcached");
        decide("memcached", binary.isPresent(), "the memcached binary is not on the PATH; " + MEMCACHED_HOW,
                serversRequired());
        return Memcached.start(binary.orElseThrow(), List.copyOf(extraArgs), Duration.ofSeconds(10));
    }

    /**
     * The executable {@code name} from the PATH (or the usual system directories), for tests
     * that start their own server processes; when it is missing the test is skipped, or fails
     * when servers are required, with a message naming it and {@code how} to install it.
     */
    public static Path requireExecutable(String name, String how) {
        Optional<Path> binary = findOnPath(name);
        decide(name, binary.isPresent(), name + " is not on the PATH; " + how, serversRequired());
        return binary.orElseThrow();
    }

    /**
     * Polls {@code condition} (pausing 1 ms, doubling up to 50 ms) until it holds or
     * {@code timeout} has passed; true if it held. For tests that wait for a server to start,
     * stop or recover, never sleeping a fixed time.
     */
    public static boolean waitUntil(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
            pause = Math.min(50, pause * 2);
        }
        return true;
    }

    /** Whether absent servers fail tests ({@value #REQUIRE_PROPERTY} or {@value #REQUIRE_ENV} is {@code true}). */
    public static boolean serversRequired() {
        return serversRequired(System::getProperty, System::getenv);
    }

    static boolean serversRequired(Function<String, String> properties, Function<String, String> environment) {
        return isTrue(properties.apply(REQUIRE_PROPERTY)) || isTrue(environment.apply(REQUIRE_ENV));
    }

    private static boolean isTrue(String v) {
        return v != null && v.trim().toLowerCase(Locale.ROOT).equals("true");
    }

    /** True when something accepts TCP connections at {@code host:port} within {@code timeout}. */
    public static boolean isListening(String host, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Server require(Server server, String how) {
        return check(server, how, serversRequired());
    }

    /**
     * The decision every {@code requireX()} makes: returns {@code server} if it is listening;
     * otherwise aborts the test (skip), or fails it when {@code required}.
     */
    static Server check(Server server, String how, boolean required) {
        boolean up = isListening(server.host(), server.port(), CONNECT_TIMEOUT);
        decide(server.name(), up, server.name() + " is not running on " + server.address() + "; " + how, required);
        return server;
    }

    static void decide(String serverName, boolean present, String message, boolean required) {
        if (present) {
            return;
        }
        if (required) {
            Assertions.fail(message + " (" + serverName + " is required: " + REQUIRE_PROPERTY + "/" + REQUIRE_ENV
                    + " is true)");
        }
        Assumptions.abort(message + " (skipping; set " + REQUIRE_PROPERTY + "=true to fail instead)");
    }

    /** An executable named {@code name} on the PATH (or in the usual system directories). */
    static Optional<Path> findOnPath(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/homebrew/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** A free TCP port on the loopback address (free when asked; a race with other processes is possible). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }

    /** A memcached process started by {@link #startMemcached()}; {@link #close()} kills it. */
    public static final class Memcached implements AutoCloseable {
        private final Path binary;
        private final List<String> extraArgs;
        private volatile Process process;
        private final int port;

        private Memcached(Path binary, List<String> extraArgs, Process process, int port) {
            this.binary = binary;
            this.extraArgs = extraArgs;
            this.process = process;
            this.port = port;
        }

        static Memcached start(Path binary, List<String> extraArgs, Duration startTimeout) {
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Process p;
                try {
                    p = launch(binary, extraArgs, port);
                } catch (IOException e) {
                    last = e;
                    continue;
                }
                if (awaitListening(p, port, startTimeout)) {
                    return new Memcached(binary, extraArgs, p, port);
                }
                kill(p);
                // the port may have been taken meanwhile: try another
            }
            throw new IllegalStateException("memcached (" + binary + ") did not start listening on " + HOST
                    + " within " + startTimeout + (last == null ? "" : ": " + last.getMessage()), last);
        }

        private static Process launch(Path binary, List<String> extraArgs, int port) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-l", HOST, "-p", Integer.toString(port),
                    "-U", "0", "-m", "64", "-c", "1024"));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("-u", "root"));
            }
            cmd.addAll(extraArgs);
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }

        private static boolean awaitListening(Process p, int port, Duration startTimeout) {
            long deadline = System.nanoTime() + startTimeout.toNanos();
            while (System.nanoTime() < deadline && p.isAlive()) {
                if (isListening(HOST, port, Duration.ofMillis(200))) {
                    return true;
                }
                try {
                    p.waitFor(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting memcached", e);
                }
            }
            return false;
        }

        /** The process id, for signals ({@link #pause()}, {@link #resume()}). */
        public long pid() {
            return process.pid();
        }

        /** Freezes the process (SIGSTOP): it keeps its connections but answers nothing. */
        public void pause() {
            signal("STOP");
        }

        /** Thaws a {@linkplain #pause() paused} process (SIGCONT). */
        public void resume() {
            signal("CONT");
        }

        private void signal(String name) {
            try {
                Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
                if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run kill -" + name, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signalling memcached", e);
            }
        }

        /** Starts the server again on the same port and arguments (after {@link #close()}), empty. */
        public void restart() {
            kill(process);
            try {
                Process p = launch(binary, extraArgs, port);
                if (!awaitListening(p, port, Duration.ofSeconds(10))) {
                    kill(p);
                    throw new IllegalStateException("memcached did not start listening again on " + address());
                }
                process = p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot restart memcached on " + address(), e);
            }
        }

        /** {@code 127.0.0.1}. */
        public String host() {
            return HOST;
        }

        /** The port it listens on. */
        public int port() {
            return port;
        }

        /** {@code host:port}. */
        public String address() {
            return HOST + ":" + port;
        }

        /** True while the process runs. */
        public boolean isAlive() {
            return process.isAlive();
        }

        /** Kills the process and waits for it to exit. Idempotent. */
        @Override
        public void close() {
            kill(process);
        }

        private static void kill(Process p) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return "memcached at " + address() + (isAlive() ? "" : " (stopped)");
        }
    }
}
