package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Does a SQL cache's cost stay flat as its table grows, and does its upkeep stay out of the
 * writers' way? (Django's database cache counts the whole table on every write, so its
 * PostgreSQL {@code set} goes from 1.1 ms to 9.9 ms at 100,000 rows.)
 *
 * <p>For each location: three tables are filled through the cache ({@code setMany} of 1,000
 * small values, {@code max_entries} far above) to 1,000, 100,000 and {@code --max-rows} rows (on
 * PostgreSQL each is then vacuumed and analyzed, as autovacuum would soon do); then
 * {@code set} (an overwrite), {@code get} (a hit) and {@code incr} run on each for
 * {@code --seconds}, {@code --rounds} times interleaved across the sizes, every call timed alone, and the
 * medians over rounds of the p50 and p99 are printed with the p50's ratio to the 1,000-row figure. Then, at the largest size, two kinds of upkeep run while one
 * thread keeps writing, and its writes during each are summed up (longest, p99.9, p99, and how
 * many took over 10 ms per 10,000), beside 15 s of the same writer with no upkeep running:
 * <ul>
 *   <li>a cull: a second cache on the same table with {@code max_entries} a third below the
 *       row count and the default {@code cull_probability} (0.01), written until its background
 *       thread has culled the table back under the limit;</li>
 *   <li>a purge: a third of the rows rewritten with a 1 s timeout, then a cache with
 *       {@code purge_interval=1s} open until they are gone.</li>
 * </ul>
 * On MariaDB and MySQL each phase also reports the server's row lock waits during it (InnoDB's
 * counters): whether a write waited on a lock upkeep held, or on something else.
 *
 * <pre>java -cp cachet-benchmarks/target/benchmarks.jar dev.cachet.benchmarks.SqlScaling [--seconds 0.5] [--rounds 3] [--max-rows 1000000] LOCATION...</pre>
 */
public final class SqlScaling {
    public static void main(String[] args) throws Exception {
        double seconds = 0.5;
        int rounds = 3;
        int maxRows = 1_000_000;
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--max-rows" -> maxRows = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> locations.add(args[i]);
            }
        }
        if (locations.isEmpty()) {
            throw new IllegalArgumentException("give one or more jdbc: locations");
        }
        System.out.printf("%-58s %9s %-5s %9s %9s %8s%n", "location", "rows", "op", "p50_us", "p99_us", "vs_1k");
        for (String location : locations) {
            try {
                run(location, seconds, rounds, maxRows);
            } catch (RuntimeException e) {
                System.out.printf("%-58s failed: %s%n", location, e);
            }
        }
    }

    private static Cache open(String location, String table, Map<String, String> options) {
        CacheConfig.Builder b = CacheConfig.builder(location).name("scaling").option("table", table)
                .option("create_table", "true").option("timeout", "3600").option("key_prefix", "");
        options.forEach(b::option);
        return Caches.open(b.build());
    }

    private static void run(String location, double seconds, int rounds, int maxRows) throws Exception {
        String value = Workload.smallValue();
        int[] sizes = {1_000, 100_000, maxRows};
        List<Cache> caches = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        try {
            // one table per size, all filled first, then measured in interleaved rounds: a change in the
            // machine's load shifts every size alike instead of the ratio
            for (int size : sizes) {
                String table = "cachet_scaling_" + size;
                Cache cache = open(location, table, Map.of("max_entries", "100000000", "cull_probability", "0",
                        "purge_interval", "0"));
                caches.add(cache);
                tables.add(table);
                cache.clear();
                fill(cache, 0, size, value);
                settle(location, table);
            }
            List<Map<String, List<double[]>>> runs = new ArrayList<>();
            for (int s = 0; s < sizes.length; s++) {
                runs.add(new LinkedHashMap<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (int s = 0; s < sizes.length; s++) {
                    Cache cache = caches.get(s);
                    for (String op : List.of("set", "get", "incr")) {
                        cache.set("counter", 0);
                        runs.get(s).computeIfAbsent(op, o -> new ArrayList<>()).add(timed(seconds, i -> {
                            switch (op) {
                                case "set" -> cache.set(key(i % 1000), value);
                                case "get" -> {
                                    if (!value.equals(cache.get(key(i % 1000)))) {
                                        throw new IllegalStateException("a value did not read back");
                                    }
                                }
                                default -> cache.incr("counter");
                            }
                        }));
                    }
                }
            }
            Map<String, Double> base = new LinkedHashMap<>();
            for (int s = 0; s < sizes.length; s++) {
                for (Map.Entry<String, List<double[]>> e : runs.get(s).entrySet()) {
                    double p50 = median(e.getValue().stream().mapToDouble(t -> t[t.length / 2]).toArray());
                    double p99 = median(e.getValue().stream().mapToDouble(t -> t[(int) (t.length * 0.99)]).toArray());
                    base.putIfAbsent(e.getKey(), p50);
                    System.out.printf("%-58s %9d %-5s %9.1f %9.1f %7.2fx%n", location, sizes[s], e.getKey(), p50, p99,
                            p50 / base.get(e.getKey()));
                }
            }
            int last = sizes.length - 1;
            upkeep(location, tables.get(last), caches.get(last), sizes[last], value);
        } finally {
            for (Cache c : caches) {
                c.clear();
                c.close();
            }
        }
    }

    /**
     * After a bulk fill, PostgreSQL's autovacuum soon vacuums and analyzes the table (a million
     * inserts pass its insert threshold): do it now, so the rounds measure the table as a
     * long-lived cache has it rather than the autovacuum worker competing for the cores.
     */
    private static void settle(String location, String table) throws java.sql.SQLException {
        if (!location.startsWith("jdbc:postgresql:")) {
            return;
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(location);
                java.sql.Statement st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE) " + table);
        }
    }

    /** Adds rows {@code from..to-1} ({@code key(i)}) with setMany of 1,000. */
    private static int fill(Cache cache, int from, int to, String value) {
        for (int i = from; i < to; i += 1000) {
            Map<String, Object> batch = new LinkedHashMap<>();
            for (int j = i; j < Math.min(to, i + 1000); j++) {
                batch.put(key(j), value);
            }
            cache.setMany(batch);
        }
        return to;
    }

    private static void upkeep(String location, String table, Cache cache, int rows, String value) throws Exception {
        // the reference: the same writer with no upkeep running (15 s: long enough to see the server's own
        // rare stalls, whose rate per 10,000 writes is what the phases below compare against)
        RowLockWaits locks = RowLockWaits.read(location);
        Writes quiet = whileWriting(cache, value, () -> Thread.sleep(15_000));
        System.out.printf("%-58s %9d %-5s with no upkeep running (15 s): %s%s%n", location, rows, "quiet", quiet,
                RowLockWaits.since(location, locks));
        // a cull, in the background of a second cache whose limit a third of the table exceeds
        int limit = rows * 2 / 3 + 1000;
        try (Cache culling = open(location, table, Map.of("max_entries", Integer.toString(limit),
                "purge_interval", "0"))) {
            RowLockWaits cullLocks = RowLockWaits.read(location);
            Writes writes = whileWriting(cache, value, () -> {
                int i = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (count(location, table) > limit && System.nanoTime() < deadline) {
                    for (int k = 0; k < 100; k++) {
                        culling.set("cull-trigger-" + (i++ % 100), value); // one write in 100 draws a cull
                    }
                    // the benchmark's own COUNT(*) of a million rows takes a core or two for a moment (PostgreSQL's
                    // parallel workers): counted back to back it stalled the writer more than the cull it watches,
                    // so it looks once a second
                    Thread.sleep(1000);
                }
            });
            System.out.printf("%-58s %9d %-5s during a background cull to %d rows: %s%s%n", location, rows, "cull",
                    limit, writes, RowLockWaits.since(location, cullLocks));
        }
        // a purge of a third of the rows, expired
        int third = rows / 3;
        Map<String, Object> batch = new LinkedHashMap<>();
        for (int i = 0; i < third; i++) {
            batch.put("expiring:" + i, value);
            if (batch.size() == 1000) {
                cache.setMany(batch, Duration.ofSeconds(1));
                batch.clear();
            }
        }
        cache.setMany(batch, Duration.ofSeconds(1));
        Thread.sleep(1100);
        if (!anyLeft(location, table, ":1:expiring:")) {
            throw new IllegalStateException("no row under :1:expiring: in " + table + ": the stored keys are not what the purge's watch looks for");
        }
        try (Cache purging = open(location, table, Map.of("max_entries", "100000000", "cull_probability", "0",
                "purge_interval", "1s"))) {
            RowLockWaits purgeLocks = RowLockWaits.read(location);
            Writes writes = whileWriting(cache, value, () -> {
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                // done when no expiring row is left: a look up the key index, not a count of the table
                while (anyLeft(location, table, ":1:expiring:") && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            });
            System.out.printf("%-58s %9d %-5s during the purge of %d expired rows: %s%s%n", location, rows, "purge",
                    third, writes, RowLockWaits.since(location, purgeLocks));
        }
    }

    /** Whether a row whose stored key starts with {@code head} (ASCII) is left, over a connection of its own. */
    private static boolean anyLeft(String location, String table, String head) throws java.sql.SQLException {
        String upTo = head.substring(0, head.length() - 1) + (char) (head.charAt(head.length() - 1) + 1);
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(location);
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table
                        + " WHERE cache_key >= ? AND cache_key < ? LIMIT 1")) {
            ps.setString(1, head);
            ps.setString(2, upTo);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The table's rows, counted over a connection of its own. */
    private static long count(String location, String table) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(location);
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * InnoDB's server-wide row lock waits (MariaDB and MySQL: {@code Innodb_row_lock_waits}, how
     * many times a statement waited for a row lock, and {@code Innodb_row_lock_time}, the ms they
     * waited in all): read before and after a phase, they tell whether the writer ever waited on
     * a lock upkeep held, or its slow writes waited on something else (the redo log's fsyncs).
     */
    record RowLockWaits(long waits, long millis) {
        /** The counters now, or null for a database that has none. */
        static RowLockWaits read(String location) throws java.sql.SQLException {
            if (!location.startsWith("jdbc:mariadb:") && !location.startsWith("jdbc:mysql:")) {
                return null;
            }
            long waits = -1;
            long millis = -1;
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(location);
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS LIKE 'Innodb_row_lock_%'")) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "Innodb_row_lock_waits" -> waits = rs.getLong(2);
                        case "Innodb_row_lock_time" -> millis = rs.getLong(2);
                        default -> {
                            // the current waits, the average and the maximum since the server started: not per phase
                        }
                    }
                }
            }
            if (waits < 0 || millis < 0) {
                throw new IllegalStateException("the server did not report Innodb_row_lock_waits and Innodb_row_lock_time");
            }
            return new RowLockWaits(waits, millis);
        }

        /** What waited since {@code before} ({@link #read} then), as words to append to a phase's line; empty without counters. */
        static String since(String location, RowLockWaits before) throws java.sql.SQLException {
            if (before == null) {
                return "";
            }
            RowLockWaits now = read(location);
            return String.format("; row lock waits on the server: %d, %d ms in all", now.waits - before.waits,
                    now.millis - before.millis);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    /**
     * The writes of one phase: how many, the p99 and p99.9 (ms), the longest, and how many took
     * over 10 ms per 10,000 writes (a phase's longest write depends on how long it lasts; the
     * rate does not, so phases of different lengths compare by it).
     */
    record Writes(int count, double seconds, double p99, double p999, double longest, double over10PerTenThousand) {
        static Writes of(double[] millis, int n, double seconds) {
            double[] sorted = Arrays.copyOf(millis, n);
            Arrays.sort(sorted);
            int over = 0;
            for (double m : sorted) {
                over += m > 10 ? 1 : 0;
            }
            return new Writes(n, seconds, sorted[(int) (n * 0.99)], sorted[(int) (n * 0.999)], sorted[n - 1], over * 10_000.0 / n);
        }

        @Override
        public String toString() {
            return String.format("longest write %.1f ms, p99.9 %.2f ms, p99 %.2f ms, %.1f writes over 10 ms per 10,000 (of %d in %.0f s)",
                    longest, p999, p99, over10PerTenThousand, count, seconds);
        }
    }

    /** Every single {@code set} of a thread writing while {@code work} runs. */
    private static Writes whileWriting(Cache cache, String value, Work work) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        double[][] millis = {new double[1 << 16]};
        int[] n = {0};
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                long t0 = System.nanoTime();
                cache.set(key(i++ % 1000), value);
                if (n[0] == millis[0].length) {
                    millis[0] = Arrays.copyOf(millis[0], n[0] * 2);
                }
                millis[0][n[0]++] = (System.nanoTime() - t0) / 1e6;
            }
        });
        long start = System.nanoTime();
        writer.start();
        try {
            work.run();
        } finally {
            stop.set(true);
            writer.join();
        }
        return Writes.of(millis[0], n[0], (System.nanoTime() - start) / 1e9);
    }

    private static double[] timed(double seconds, IntConsumer call) {
        for (int i = 0; i < 200; i++) {
            call.accept(i);
        }
        double[] t = new double[1 << 16];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && n < t.length) {
            long t0 = System.nanoTime();
            call.accept(n);
            t[n++] = (System.nanoTime() - t0) / 1e3;
        }
        double[] d = Arrays.copyOf(t, n);
        Arrays.sort(d);
        return d;
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static String key(int i) {
        return String.format("row:%08d", i);
    }

    private SqlScaling() {
    }
}
