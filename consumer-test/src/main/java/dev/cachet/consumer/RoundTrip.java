package dev.cachet.consumer;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An application built against cachet's published artifacts, as a user builds one: it opens a cache
 * on every backend and round-trips a value through each (set, get, delete, get misses), then checks
 * that every Netty jar on its class path is the version cachet is tested with. Prints one line per
 * backend and exits 1 when anything failed, with the failure's stack trace.
 *
 * <p>System properties: {@code consumer.label} (names the run), {@code consumer.netty.version} (the
 * expected Netty version; unset skips that check), {@code consumer.memcached} (a memcached location;
 * unset starts a memcached on a free loopback port), {@code consumer.redis}, {@code consumer.postgresql},
 * {@code consumer.mariadb} (locations; the defaults are the local servers on their default ports).
 */
public final class RoundTrip {

    public static void main(String[] args) throws Exception {
        String label = System.getProperty("consumer.label", "consumer");
        Path dir = Files.createTempDirectory("cachet-consumer-");
        Process memcached = null;
        int failures = 0;
        try {
            String memcachedLocation = System.getProperty("consumer.memcached");
            if (memcachedLocation == null) {
                int port = freePort();
                memcached = startMemcached(port);
                memcachedLocation = "memcached://127.0.0.1:" + port;
            }
            String table = "cachet_consumer_" + label.replaceAll("[^A-Za-z0-9]", "_");
            Map<String, CacheConfig> caches = new LinkedHashMap<>();
            caches.put("memory", CacheConfig.builder("memory:").build());
            caches.put("memory by value", CacheConfig.builder("memory:?store_by_value=true").build());
            caches.put("file", CacheConfig.builder("file:" + dir.resolve("files")).build());
            caches.put("sqlite", sql("jdbc:sqlite:" + dir.resolve("c.db"), table));
            caches.put("h2", sql("jdbc:h2:" + dir.resolve("h2"), table));
            caches.put("postgresql", sql(System.getProperty("consumer.postgresql",
                    "jdbc:postgresql://127.0.0.1:5432/test?user=root"), table));
            caches.put("mariadb", sql(System.getProperty("consumer.mariadb",
                    "jdbc:mariadb://127.0.0.1:3306/test?user=root"), table));
            caches.put("redis", CacheConfig.builder(System.getProperty("consumer.redis", "redis://127.0.0.1:6379/14"))
                    .option("key_prefix", table).build());
            caches.put("memcached", CacheConfig.builder(memcachedLocation).option("key_prefix", table).build());

            for (Map.Entry<String, CacheConfig> e : caches.entrySet()) {
                try {
                    roundTrip(e.getValue(), label);
                    System.out.printf("[%s] %-16s OK%n", label, e.getKey());
                } catch (Throwable t) { // NoSuchMethodError and friends are what this test is for
                    failures++;
                    System.out.printf("[%s] %-16s FAILED: %s%n", label, e.getKey(), t);
                    t.printStackTrace(System.out);
                }
            }
            failures += checkNetty(label, System.getProperty("consumer.netty.version"));
        } finally {
            if (memcached != null) {
                memcached.destroy();
            }
            deleteTree(dir);
        }
        if (failures > 0) {
            System.out.printf("[%s] %d FAILED%n", label, failures);
            System.exit(1);
        }
        System.out.printf("[%s] every backend round-tripped a value%n", label);
    }

    private static CacheConfig sql(String url, String table) {
        return CacheConfig.builder(url).option("table", table).option("create_table", true).build();
    }

    private static void roundTrip(CacheConfig config, String label) {
        try (Cache cache = Caches.open(config)) {
            String key = "consumer-" + label;
            String value = "a value from " + label + " \u00e9\u4e2d";
            check(cache.set(key, value), "set returned false");
            Object read = cache.get(key);
            check(value.equals(read), "get returned " + read + ", expected " + value);
            check(cache.delete(key), "delete returned false");
            check(cache.get(key) == null, "get after delete returned " + cache.get(key));
        }
    }

    /** Every io.netty.versions.properties on the class path (one per Netty jar) names the expected version. */
    private static int checkNetty(String label, String expected) throws IOException {
        Map<String, String> versions = new TreeMap<>();
        Enumeration<URL> files = RoundTrip.class.getClassLoader().getResources("META-INF/io.netty.versions.properties");
        while (files.hasMoreElements()) {
            Properties p = new Properties();
            try (InputStream in = files.nextElement().openStream()) {
                p.load(in);
            }
            p.stringPropertyNames().stream().filter(k -> k.endsWith(".version"))
                    .forEach(k -> versions.put(k.substring(0, k.length() - ".version".length()), p.getProperty(k)));
        }
        List<String> wrong = new ArrayList<>();
        versions.forEach((artifact, version) -> {
            if (expected != null && !expected.isEmpty() && !expected.equals(version)) {
                wrong.add(artifact + " " + version);
            }
        });
        System.out.printf("[%s] netty on the class path: %s%n", label, versions);
        if (versions.isEmpty() || !wrong.isEmpty()) {
            System.out.printf("[%s] netty     FAILED: expected every Netty jar at %s, found %s%n", label, expected,
                    versions.isEmpty() ? "none" : wrong);
            return 1;
        }
        return 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Process startMemcached(int port) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("memcached", "-l", "127.0.0.1", "-p", Integer.toString(port),
                "-U", "0", "-m", "16"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("-u", "root"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("memcached exited with status " + p.exitValue());
                }
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new IllegalStateException("memcached did not listen on 127.0.0.1:" + port + " within 5 s");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
