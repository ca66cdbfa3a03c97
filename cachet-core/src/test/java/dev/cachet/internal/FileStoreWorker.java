package dev.cachet.internal;

import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The second process of {@link FileStoreTest}'s multi-process tests: opens a {@link FileStore}
 * on a directory, prints {@code READY}, waits for {@code GO} on stdin, then runs its threads
 * (printing {@code STARTED} first) and prints {@code WON <key> <value>} for each add it won, or
 * {@code RANGE <min> <max>} of the counter values its incrs returned, and {@code DONE} at the end.
 *
 * <pre>
 *   FileStoreWorker &lt;dir&gt; incr &lt;threads&gt; &lt;count&gt; &lt;key&gt;        count incrs of key per thread
 *   FileStoreWorker &lt;dir&gt; add  &lt;threads&gt; &lt;keys&gt;  &lt;tag&gt;        each thread adds add-0..add-(keys-1)
 * </pre>
 */
public final class FileStoreWorker {
    private FileStoreWorker() {
    }

    /** Runs the code paths once in a while so this young JVM races the test's warm one at a similar pace. */
    private static void warmUp(FileStore store) {
        byte[] zero = "0".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1000; i++) {
            String key = "warm-up-" + ProcessHandle.current().pid() + "-" + (i % 10);
            store.put(key, zero, Store.NEVER, PutMode.ADD);
            store.incr(key, 1);
            store.delete(key);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String mode = args[1];
        int threads = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        String arg = args[4];
        try (FileStore store = new FileStore(dir, 1_000_000, 3, Clock.systemUTC(), Integer.MAX_VALUE)) {
            warmUp(store);
            System.out.println("READY");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"GO".equals(in.readLine())) {
                System.exit(2);
            }
            System.out.println("STARTED");
            System.out.flush();
            LongSummaryStatistics seen = new LongSummaryStatistics();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < count; i++) {
                        if (mode.equals("incr")) {
                            Long n = store.incr(arg, 1);
                            if (n == null) {
                                throw new IllegalStateException("counter " + arg + " is missing");
                            }
                            synchronized (seen) {
                                seen.accept(n);
                            }
                        } else {
                            String key = "add-" + i;
                            String value = arg + "-" + thread;
                            if (store.put(key, value.getBytes(StandardCharsets.UTF_8), Store.NEVER, PutMode.ADD)) {
                                System.out.println("WON " + key + " " + value);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            if (mode.equals("incr")) {
                System.out.println("RANGE " + seen.getMin() + " " + seen.getMax());
            }
            System.out.println("DONE");
            System.out.flush();
        }
    }
}
