package dev.cachet.jdbc.internal;

import dev.cachet.CacheConfig;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The second process of {@link TwoProcessTest}: opens a {@link JdbcStore} on a table, prints
 * {@code READY}, waits for {@code GO} on stdin, then runs its threads (printing {@code STARTED}
 * first) and prints {@code WON <key> <value>} for each add it won, or {@code RANGE <min> <max>}
 * of the counter values its incrs returned, and {@code DONE} at the end.
 *
 * <pre>
 *   JdbcWorker &lt;url&gt; &lt;table&gt; incr &lt;threads&gt; &lt;count&gt; &lt;key&gt;     count incrs of key per thread
 *   JdbcWorker &lt;url&gt; &lt;table&gt; add  &lt;threads&gt; &lt;keys&gt;  &lt;tag&gt;     each thread adds add-0..add-(keys-1)
 * </pre>
 */
public final class JdbcWorker {
    private JdbcWorker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String table = args[1];
        String mode = args[2];
        int threads = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        String arg = args[5];
        CacheConfig config = CacheConfig.builder(url).name("worker").option("table", table).option("cull_probability", 0)
                .option("purge_interval", 0).build();
        try (JdbcStore store = JdbcStore.open(config)) {
            // warm up: load the classes and fill the pool, so this young JVM races at a similar pace
            for (int i = 0; i < 200; i++) {
                String key = "warm-up-" + ProcessHandle.current().pid() + "-" + (i % 10);
                store.put(key, "0".getBytes(StandardCharsets.UTF_8), Store.NEVER, PutMode.ADD);
                store.incr(key, 1);
                store.delete(key);
            }
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
                                synchronized (System.out) {
                                    System.out.println("WON " + key + " " + value);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
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
