package dev.cachet.jcache;

import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.opentest4j.TestAbortedException;

/**
 * The Redis run of the TCK (surefire execution {@code tck-redis}, which sets
 * {@value #BACKEND_PROPERTY}{@code =redis}): before discovery, starts a private
 * {@code redis-server} on a free loopback port (no persistence, so every run starts empty and
 * the shared server on 6379 is left alone) and points the provider's default URI at it through
 * {@value CachetCachingProvider#LOCATION_PROPERTY}; kills it when the session closes. Without
 * {@code redis-server} on the PATH every test is left out with a message saying how to install
 * it, unless servers are required ({@code -Dcachet.requireServers=true}, as in CI), when the run
 * fails. Registered as a launcher session listener and a post-discovery filter (service files);
 * does nothing in the default (memory) run.
 */
public final class TckRedisServer implements LauncherSessionListener, PostDiscoveryFilter {
    /** System property choosing the backend of the TCK run. */
    public static final String BACKEND_PROPERTY = "tck.backend";

    private static final String HOW = "install it with: apt-get install -y redis-server";

    private static volatile String skipReason;
    private static volatile Process server;

    /** Creates the listener (the JUnit platform does, through the service loader). */
    public TckRedisServer() {
    }

    private static boolean redisRun() {
        return "redis".equals(System.getProperty(BACKEND_PROPERTY));
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!redisRun() || server != null) {
            return;
        }
        Path binary;
        try {
            // skips (TestAbortedException) when absent, fails when servers are required
            binary = Servers.requireExecutable("redis-server", HOW);
        } catch (TestAbortedException e) {
            skipReason = "the TCK's Redis run is skipped: " + e.getMessage();
            System.err.println(skipReason);
            return;
        }
        int port = Servers.freePort();
        Path dir;
        try {
            dir = Files.createTempDirectory("cachet-jcache-tck-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", Servers.HOST,
                "--save", "", "--appendonly", "no", "--dir", dir.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "tck-redis-reaper"));
        if (!Servers.waitUntil(() -> !p.isAlive() || Servers.isListening(Servers.HOST, port, Duration.ofMillis(200)),
                Duration.ofSeconds(20)) || !p.isAlive()) {
            p.destroyForcibly();
            throw new IllegalStateException("redis-server did not start listening on port " + port);
        }
        server = p;
        System.setProperty(CachetCachingProvider.LOCATION_PROPERTY, "redis://" + Servers.HOST + ":" + port + "/0");
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Process p = server;
        if (p != null) {
            p.destroyForcibly();
            server = null;
        }
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        String reason = skipReason;
        return reason == null ? FilterResult.included("the TCK's backend is available") : FilterResult.excluded(reason);
    }
}
