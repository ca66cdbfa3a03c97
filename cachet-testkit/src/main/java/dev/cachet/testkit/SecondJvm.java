package dev.cachet.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM for tests that race two processes on one backend (a file directory, a database
 * table): this JVM's threads against the threads of a worker {@code main} started with this
 * JVM's {@code java} and class path.
 *
 * <p>The two sides talk by lines on the worker's stdin and stdout:
 * <ol>
 *   <li>worker: {@code READY} once it has set up (opened its store, warmed up), then it waits;
 *   <li>parent: {@code GO};
 *   <li>worker: {@code STARTED}, then runs, printing any result lines;
 *   <li>worker: {@code DONE}, then exits 0.
 * </ol>
 * A worker that reads anything but {@code GO} exits with status 2.
 *
 * <p>The parent side is an instance: {@link #start}, then {@link #go()} (or {@link #race}),
 * then {@link #finish()}, and {@link #close()} in every case. The worker side is static:
 * {@link #serve}, {@link #println}, {@link #done()}. Every assertion message of the parent
 * side carries the worker's stderr, which goes to a temporary file deleted by {@link #close()}.
 *
 * <p>An instance is meant for one test thread.
 */
public final class SecondJvm implements AutoCloseable {
    /** How long {@link #finish()} waits for the worker to exit after its stdout has ended. */
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    /** One thread's share of a race, on either side. */
    @FunctionalInterface
    public interface ThreadBody {
        /** Runs the share of thread {@code thread} (0 to threads - 1). */
        void run(int thread) throws Exception;
    }

    private final Process process;
    private final BufferedReader out;
    private final Path err;

    private SecondJvm(Process process, Path err) {
        this.process = process;
        this.err = err;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    }

    // ---- parent side ----

    /**
     * Starts {@code java -cp <this JVM's class path> <main> <args...>} with stderr to a
     * temporary file, and returns once the worker has printed {@code READY}.
     *
     * @throws AssertionError if its first line is anything else (or it ends first); the
     *         process is then destroyed and the temporary file deleted
     */
    public static SecondJvm start(Class<?> main, String... args) throws IOException {
        Objects.requireNonNull(main, "main must not be null");
        Path err = Files.createTempFile("cachet-second-jvm", ".err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(err);
            throw e;
        }
        SecondJvm jvm = new SecondJvm(process, err);
        try {
            assertThat(jvm.out.readLine()).as("worker ready; stderr: %s", jvm.stderr()).isEqualTo("READY");
        } catch (IOException | RuntimeException | AssertionError e) {
            jvm.close();
            throw e;
        }
        return jvm;
    }

    /** Sends {@code GO}, and returns once the worker has printed {@code STARTED}. */
    public void go() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("GO\n".getBytes(UTF_8));
        in.flush();
        assertThat(out.readLine()).as("worker started; stderr: %s", stderr()).isEqualTo("STARTED");
    }

    /**
     * Runs {@code body} on {@code threads} threads of this JVM, released together with the
     * worker: the threads wait until {@link #go()} has returned. Returns when every thread has
     * ended, waiting at most {@code timeout} for each; the first failure is thrown.
     */
    public void race(int threads, Duration timeout, ThreadBody body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        onThreads(threads, timeout, go, () -> {
            go();
            go.countDown();
        }, body);
    }

    /**
     * Reads the worker's stdout to its end, waits for it to exit (at most
     * {@link #EXIT_TIMEOUT}), asserts exit status 0 and a last line {@code DONE}, and returns
     * the lines read (after {@code STARTED}, {@code DONE} included).
     */
    public List<String> finish() throws IOException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            lines.add(line);
        }
        assertThat(process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("worker exits; stderr: %s", stderr()).isTrue();
        assertThat(process.exitValue()).as("worker exit code; stderr: %s", stderr()).isZero();
        assertThat(lines).as("worker output; stderr: %s", stderr()).endsWith("DONE");
        return lines;
    }

    /** The worker's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * Kills the worker at once ({@code SIGKILL} on Unix: no shutdown hooks, no finally blocks)
     * and waits for it to be gone (at most {@link #EXIT_TIMEOUT}). {@link #close()} still
     * deletes its stderr file.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("killed worker is gone; stderr: %s", stderr()).isTrue();
    }

    /** What the worker has written to stderr so far (or the error reading it). */
    public String stderr() {
        try {
            return Files.readString(err);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Destroys the worker (if still running) and deletes its stderr file. */
    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(err);
    }

    // ---- worker side ----

    /**
     * The worker's part, for its {@code main} once it has set up: prints {@code READY}, waits
     * for {@code GO} on stdin (exits with status 2 on anything else), prints {@code STARTED}, then
     * runs {@code body} on {@code threads} threads and returns when they have all ended, waiting
     * at most {@code timeout} for each; the first failure is thrown. The caller then prints its
     * results with {@link #println} and ends with {@link #done()}.
     */
    public static void serve(int threads, Duration timeout, ThreadBody body) throws Exception {
        println("READY");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        if (!"GO".equals(in.readLine())) {
            System.exit(2);
        }
        println("STARTED");
        onThreads(threads, timeout, new CountDownLatch(0), () -> { }, body);
    }

    /** Prints one whole line to stdout and flushes it; safe from any thread of the worker. */
    public static void println(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

    /** Prints {@code DONE}: the worker's last line. */
    public static void done() {
        println("DONE");
    }

    // ---- both sides ----

    /** What releases the threads of {@link #onThreads}. */
    private interface Release {
        void run() throws IOException;
    }

    /**
     * Runs {@code body} on {@code threads} threads that each wait for {@code start}, runs
     * {@code release} (which counts {@code start} down), then waits at most {@code timeout} for
     * each thread; the first failure is thrown, and the threads are interrupted on the way out.
     */
    private static void onThreads(int threads, Duration timeout, CountDownLatch start, Release release, ThreadBody body)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                running.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            release.run();
            for (Future<?> f : running) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
