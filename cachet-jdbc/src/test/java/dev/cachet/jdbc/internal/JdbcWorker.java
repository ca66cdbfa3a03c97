package dev.cachet.jdbc.internal;

import dev.cachet.CacheConfig;
import dev.cachet.testkit.TwoProcessRaces;
import java.time.Duration;

/**
 * The second process of {@link TwoProcessTest}: opens a {@link JdbcStore} on a table and runs
 * the worker side of the {@link TwoProcessRaces} on it.
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
        CacheConfig config = CacheConfig.builder(url).name("worker").option("table", table).option("cull_probability", 0)
                .option("purge_interval", 0).build();
        try (JdbcStore store = JdbcStore.open(config)) {
            // warm up: load the classes and fill the pool, so this young JVM races at a similar pace
            TwoProcessRaces.warmUp(store, 200);
            TwoProcessRaces.serve(store, args, 2, Duration.ofSeconds(120));
        }
    }
}
