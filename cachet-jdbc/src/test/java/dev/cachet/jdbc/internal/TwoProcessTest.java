package dev.cachet.jdbc.internal;

import static dev.cachet.jdbc.internal.JdbcFixture.b;
import static dev.cachet.jdbc.internal.JdbcFixture.s;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * incr and add across two processes sharing one table: this JVM and a second one running
 * {@link JdbcWorker} (started with this JVM's java and class path). H2 is left out: an H2
 * file database belongs to one process.
 */
class TwoProcessTest {

    /** A second JVM running {@link JdbcWorker}, started and waiting for GO. */
    private static final class Worker implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final Path err;

        Worker(String... args) throws IOException {
            err = Files.createTempFile("cachet-jdbc-worker", ".err");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), JdbcWorker.class.getName()));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
            try {
                String ready = out.readLine();
                assertThat(ready).as("worker ready; stderr: %s", stderr()).isEqualTo("READY");
            } catch (IOException | RuntimeException | AssertionError e) {
                process.destroyForcibly();
                throw e;
            }
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write("GO\n".getBytes(UTF_8));
            in.flush();
            assertThat(out.readLine()).as("worker started; stderr: %s", stderr()).isEqualTo("STARTED");
        }

        List<String> finish() throws Exception {
            List<String> lines = new ArrayList<>();
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("worker exits").isTrue();
            assertThat(process.exitValue()).as("worker exit code; stderr: %s", stderr()).isZero();
            assertThat(lines).as("worker output").endsWith("DONE");
            return lines;
        }

        String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB", "SQLITE"})
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void incrsFromTwoProcessesAreExact(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "procincr")) {
            JdbcStore store = f.store();
            store.put("counter", b("0"), Store.NEVER, PutMode.SET);
            int threads = 4;
            int perThread = 1000;
            LongSummaryStatistics seen = new LongSummaryStatistics();
            List<String> workerOutput;
            try (Worker worker = new Worker(f.url, f.table, "incr", Integer.toString(threads), Integer.toString(perThread),
                    "counter")) {
                runThreads(threads, worker, t -> {
                    for (int i = 0; i < perThread; i++) {
                        Long n = store.incr("counter", 1);
                        assertThat(n).isNotNull();
                        synchronized (seen) {
                            seen.accept(n);
                        }
                    }
                });
                workerOutput = worker.finish();
            }
            assertThat(s(store.get("counter"))).isEqualTo(Integer.toString(2 * threads * perThread));
            String[] range = workerOutput.stream().filter(l -> l.startsWith("RANGE ")).findFirst().orElseThrow().split(" ");
            long workerMin = Long.parseLong(range[1]);
            long workerMax = Long.parseLong(range[2]);
            assertThat(workerMin < seen.getMax() && seen.getMin() < workerMax)
                    .as("the two processes' incrs interleaved (worker saw %d..%d, this JVM %d..%d)", workerMin, workerMax,
                            seen.getMin(), seen.getMax())
                    .isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"POSTGRESQL", "MARIADB", "SQLITE"})
    @Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exactlyOneAddWinsAcrossTwoProcesses(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "procadd")) {
            JdbcStore store = f.store();
            int keys = 300;
            int threads = 4;
            Map<String, List<String>> winners = new HashMap<>();
            List<String> won = Collections.synchronizedList(new ArrayList<>());
            try (Worker worker = new Worker(f.url, f.table, "add", Integer.toString(threads), Integer.toString(keys), "worker")) {
                runThreads(threads, worker, t -> {
                    for (int k = 0; k < keys; k++) {
                        String value = "test-" + t;
                        if (store.put("add-" + k, b(value), Store.NEVER, PutMode.ADD)) {
                            won.add("WON add-" + k + " " + value);
                        }
                    }
                });
                List<String> all = new ArrayList<>(won);
                all.addAll(worker.finish());
                for (String line : all) {
                    if (line.startsWith("WON ")) {
                        String[] parts = line.split(" ");
                        winners.computeIfAbsent(parts[1], x -> new ArrayList<>()).add(parts[2]);
                    }
                }
            }
            long workerWins = winners.values().stream().flatMap(List::stream).filter(v -> v.startsWith("worker-")).count();
            assertThat(winners).as("keys won (the worker won %d of them)", workerWins).hasSize(keys);
            winners.forEach((key, w) -> {
                assertThat(w).as(key).hasSize(1);
                assertThat(s(store.get(key))).as(key).isEqualTo(w.get(0));
            });
        }
    }

    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@code threads} threads of this JVM, released together with the worker. */
    private static void runThreads(int threads, Worker worker, ThreadBody body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> mine = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                mine.add(pool.submit((Callable<Void>) () -> {
                    go.await();
                    body.run(thread);
                    return null;
                }));
            }
            worker.go();
            go.countDown();
            for (Future<?> f : mine) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
