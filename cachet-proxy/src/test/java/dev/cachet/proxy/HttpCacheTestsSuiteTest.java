package dev.cachet.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.servlet.CacheMode;
import dev.cachet.servlet.PageCache;
import dev.cachet.testkit.Servers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP caching tests of cache-tests.fyi (npm package {@code http-cache-tests} 0.4.5, written by
 * others) run against {@code cachet proxy} in RFC mode on the embedded default cache
 * ({@code memory:}): the suite's origin ({@code server/server.mjs}, on a free port) behind the
 * proxy, its client against the proxy, scored as the suite's report scores. Fails below the
 * target: at least 130 required tests passed and 90% of those reached, and no required failure
 * in the groups vary-parse, invalidation, cc-response, stale and auth.
 *
 * <p>The package is looked for in {@code -Dcachet.httpCacheTests=DIR}, {@code $CACHET_HTTP_CACHE_TESTS},
 * then {@code ~/.cache/cachet/http-cache-tests/node_modules/http-cache-tests} (where {@code .ci/run}
 * installs it); without it (or without node) the test is skipped, or fails when servers are
 * required.
 */
class HttpCacheTestsSuiteTest {
    static final String INSTALL = "install it with: npm install --prefix ~/.cache/cachet/http-cache-tests http-cache-tests@0.4.5";
    static final List<String> NO_FAILURE_GROUPS = List.of("vary-parse", "invalidation", "cc-response", "stale", "auth");

    static Path suiteDir() {
        String given = System.getProperty("cachet.httpCacheTests", System.getenv("CACHET_HTTP_CACHE_TESTS"));
        return given != null ? Path.of(given)
                : Path.of(System.getProperty("user.home"), ".cache", "cachet", "http-cache-tests", "node_modules", "http-cache-tests");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void scoresAtLeastTheTarget() throws Exception {
        Path node = Servers.requireExecutable("node", "install Node.js (apt-get install nodejs)");
        Path dir = suiteDir();
        if (!Files.isRegularFile(dir.resolve("cli.mjs"))) {
            String msg = "the http-cache-tests package is not in " + dir + "; " + INSTALL;
            if (Servers.serversRequired()) {
                Assertions.fail(msg + " (required: cachet.requireServers is true)");
            }
            Assumptions.abort(msg + " (skipping; set cachet.requireServers=true to fail instead)");
        }
        int originPort = Servers.freePort();
        Path pidfile = Files.createTempFile("cachet-http-cache-tests", ".pid");
        ProcessBuilder originPb = new ProcessBuilder(node.toString(), "server/server.mjs").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        originPb.environment().put("npm_config_protocol", "http");
        originPb.environment().put("npm_config_port", Integer.toString(originPort));
        originPb.environment().put("npm_config_pidfile", pidfile.toString());
        Process origin = originPb.start();
        try (Cache cache = Caches.open(CachingProxy.DEFAULT_CACHE)) {
            assertThat(Servers.waitUntil(() -> Servers.isListening(Servers.HOST, originPort, Duration.ofMillis(100)),
                    Duration.ofSeconds(20))).as("the suite's origin listens on %d", originPort).isTrue();
            PageCache pages = PageCache.builder(cache).mode(CacheMode.RFC).build();
            try (CachingProxy proxy = CachingProxy.start(URI.create("http://" + Servers.HOST + ":" + originPort),
                    new InetSocketAddress(Servers.HOST, 0), pages)) {
                List<HttpCacheTestsSuite.Test> tests = readTests(node, dir);
                Map<String, HttpCacheTestsSuite.Result> results = runClient(node, dir, proxy.uri());
                HttpCacheTestsSuite suite = new HttpCacheTestsSuite(tests, results);
                Map<String, int[]> score = suite.requiredScore();
                StringBuilder table = new StringBuilder("http-cache-tests 0.4.5 against cachet proxy --rfc (memory:)\n");
                table.append(String.format("%-16s %8s %6s %6s %11s %6s%n", "group", "required", "passed", "failed", "not reached", "other"));
                score.forEach((g, s) -> table.append(String.format("%-16s %8d %6d %6d %11d %6d%n", g, s[0], s[1], s[2], s[3], s[4])));
                int[] total = score.get("total");
                double reachedPct = 100.0 * total[1] / Math.max(1, total[1] + total[2]);
                table.append(String.format("passed %d of %d required, %.1f%% of the %d reached%n", total[1], total[0], reachedPct,
                        total[1] + total[2]));
                suite.requiredNotPassed().forEach(f -> table.append(f).append('\n'));
                System.out.println(table);
                assertThat(total[1]).as(table.toString()).isGreaterThanOrEqualTo(130);
                assertThat(reachedPct).as(table.toString()).isGreaterThanOrEqualTo(90.0);
                for (String g : NO_FAILURE_GROUPS) {
                    assertThat(score.getOrDefault(g, new int[5])[2]).as("required failures in %s\n%s", g, table).isZero();
                }
            }
        } finally {
            origin.destroy();
            if (!origin.waitFor(5, TimeUnit.SECONDS)) {
                origin.destroyForcibly();
            }
            Files.deleteIfExists(pidfile);
        }
    }

    /** The suite's tests (as cli.mjs runs them: the index plus surrogate-control), one per line. */
    static List<HttpCacheTestsSuite.Test> readTests(Path node, Path dir) throws IOException, InterruptedException {
        String script = "import tests from './tests/index.mjs'; import s from './tests/surrogate-control.mjs'; tests.push(s);"
                + " for (const g of tests) for (const t of g.tests) console.log([g.id, t.id, t.kind || 'required',"
                + " t.browser_only === true, (t.depends_on || []).join(','), t.name.replace(/[\\t\\n]/g, ' ')].join('\\t'))";
        List<HttpCacheTestsSuite.Test> tests = new ArrayList<>();
        for (String line : run(dir, Duration.ofSeconds(60), Map.of(), node.toString(), "--input-type=module", "-e", script)) {
            String[] f = line.split("\t", -1);
            tests.add(new HttpCacheTestsSuite.Test(f[0], f[1], f[2], Boolean.parseBoolean(f[3]),
                    f[4].isEmpty() ? List.of() : Arrays.asList(f[4].split(",")), f[5]));
        }
        assertThat(tests).as("the suite's test list").hasSizeGreaterThan(300);
        return tests;
    }

    /** Runs the suite's client against {@code base}; its JSON results, one line per test through node's JSON.parse. */
    static Map<String, HttpCacheTestsSuite.Result> runClient(Path node, Path dir, URI base) throws IOException, InterruptedException {
        Path json = Files.createTempFile("cachet-http-cache-tests", ".json");
        try {
            List<String> out = run(dir, Duration.ofMinutes(8), Map.of("npm_config_base", base.toString(), "npm_config_id", "", "npm_package_config_id", ""),
                    node.toString(), "--no-warnings", "cli.mjs");
            Files.writeString(json, String.join("\n", out));
            String script = "const fs = await import('fs'); const r = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));"
                    + " for (const [k, v] of Object.entries(r)) console.log([k, v === true, v === true ? '' : String(v[0]),"
                    + " v === true ? '' : String(v[1]).replace(/[\\t\\n]/g, ' ')].join('\\t'))";
            Map<String, HttpCacheTestsSuite.Result> results = new LinkedHashMap<>();
            for (String line : run(dir, Duration.ofSeconds(60), Map.of(), node.toString(), "--input-type=module", "-e", script,
                    json.toString())) {
                String[] f = line.split("\t", -1);
                results.put(f[0], new HttpCacheTestsSuite.Result(Boolean.parseBoolean(f[1]), f[2], f[3]));
            }
            assertThat(results).as("results of the client").hasSizeGreaterThan(200);
            return results;
        } finally {
            Files.deleteIfExists(json);
        }
    }

    static List<String> run(Path dir, Duration limit, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("cachet-node", ".out");
        Path err = Files.createTempFile("cachet-node", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " did not finish within " + limit);
            }
            assertThat(p.exitValue()).as("%s exit status; stderr: %s", command[command.length - 1],
                    Files.readString(err, StandardCharsets.UTF_8)).isZero();
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
