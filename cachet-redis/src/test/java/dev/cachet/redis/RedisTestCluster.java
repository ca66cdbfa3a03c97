package dev.cachet.redis;

import dev.cachet.testkit.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters (no replicas) on free loopback ports, each node a
 * {@link RedisProcess} in cluster mode, joined with {@code redis-cli --cluster create}; ready
 * when every node reports {@code cluster_state:ok} and knows all three. {@link #close()} kills
 * the nodes and removes their directories.
 */
final class RedisTestCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private static RedisTestCluster shared;

    private final List<RedisProcess> nodes;

    private RedisTestCluster(List<RedisProcess> nodes) {
        this.nodes = nodes;
    }

    /**
     * A cluster of three masters shared by the test classes that only use it (none stops a
     * node), started on first use and killed when the test JVM exits.
     */
    static synchronized RedisTestCluster shared() {
        if (shared == null) {
            RedisTestCluster c = start(3);
            Runtime.getRuntime().addShutdownHook(new Thread(c::close, "redis-test-cluster-reaper"));
            shared = c;
        }
        return shared;
    }

    static RedisTestCluster start(int masters) {
        return start(masters, new String[0]);
    }

    /** A cluster whose nodes also get {@code extraArgs} (e.g. {@code --cluster-require-full-coverage no}). */
    static RedisTestCluster start(int masters, String... extraArgs) {
        Path cli = Servers.requireExecutable("redis-cli", RedisProcess.HOW);
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters; i++) {
                List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
                args.addAll(List.of(extraArgs));
                nodes.add(RedisProcess.launch(args.toArray(new String[0])));
            }
            List<String> cmd = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
            nodes.forEach(n -> cmd.add(n.address()));
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(cmd);
            RedisTestCluster cluster = new RedisTestCluster(nodes);
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException | Error e) {
            nodes.forEach(RedisProcess::close);
            throw e;
        }
    }

    private static void run(List<String> cmd) {
        try {
            Path out = Files.createTempFile("cachet-redis-cli", ".log");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(cmd + " did not finish within 60 s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(cmd + " failed (exit " + p.exitValue() + "): "
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the cluster", e);
        }
    }

    private void awaitReady() {
        for (RedisProcess n : nodes) {
            RedisClient client = RedisClient.create(RedisURI.create("redis://" + n.address()));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                boolean ok = Servers.waitUntil(() -> {
                    String info = c.sync().clusterInfo();
                    return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + nodes.size());
                }, READY_TIMEOUT);
                if (!ok) {
                    throw new IllegalStateException("cluster node " + n.address() + " not ready within " + READY_TIMEOUT
                            + ": " + c.sync().clusterInfo());
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /** {@code h1:p1,h2:p2,...}: every node, as a cluster location lists its seeds. */
    String seeds() {
        return nodes.stream().map(RedisProcess::address).collect(Collectors.joining(","));
    }

    List<RedisProcess> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
