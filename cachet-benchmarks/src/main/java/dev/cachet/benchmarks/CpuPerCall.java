package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Latency and CPU time per call of the network backends beside their raw baselines, at one
 * thread and under load from many: what JMH's timings leave out is how much CPU the process
 * (caller, event loops, spinning) burns per call.
 *
 * <p>Targets, all on the seed workload's 1000 small keys and 100-character value: Redis at
 * 127.0.0.1:6379 (database 14): cachet (its default blocking transport), the same with
 * {@code spin_wait=false}, cachet with {@code transport=pipelined} (Lettuce's connection), raw Lettuce sync
 * (one shared connection, as a user writes it), a raw blocking socket per thread
 * ({@link RawRedis}); memcached (one started here, {@code -t 1}): cachet (its default blocking
 * transport), the same with {@code spin_wait=false}, cachet with {@code transport=pipelined}, a
 * raw blocking socket per thread ({@link MemcachedBenchmark.Raw}).
 * Each round runs every target for {@code --seconds} per thread count, interleaved, and reads
 * the process' CPU time ({@code OperatingSystemMXBean.getProcessCpuTime}) around it; the table
 * gives the medians over rounds of calls per second, the mean latency per call (threads /
 * throughput) and the process CPU microseconds per call, and each figure's ratio to the raw
 * socket's.
 *
 * <p>With {@code --targets memory,postgresql,mariadb} (default {@code redis,memcached}) it also
 * measures local memory beside raw Caffeine, and PostgreSQL (127.0.0.1:5432) and MariaDB
 * (127.0.0.1:3306), database {@code test}, beside raw JDBC ({@link ScalingTargets}); with several thread counts it prints each target's
 * throughput curve and marks one that falls as threads are added.
 *
 * <p>With {@code --size large} the values are the workload's large value (a List of 1000
 * 100-character Strings) for cachet, and for the raw clients the very bytes cachet stores for it
 * (its entry: envelope and compact encoding, about 102 KB): the raw transport moving the same
 * bytes, so the ratio is what cachet's codec and client add.
 *
 * <pre>java -cp cachet-benchmarks/target/benchmarks.jar dev.cachet.benchmarks.CpuPerCall [--seconds 2] [--rounds 3] [--threads 1,2,4,8] [--targets redis,memcached,memory,postgresql,mariadb] [--size small|large]</pre>
 */
public final class CpuPerCall {
    private static final int KEYS = 1000;

    /** One thing to measure: makes each thread's operation, then is closed. */
    interface Target extends AutoCloseable {
        String name();

        /** A new operation for one thread (with its own cursor, socket...). */
        Runnable op(String op);

        /** The threads of the last measurement have ended: what their operations held may serve the next ones. */
        default void measured() {
        }

        @Override
        void close();
    }

    record Sample(double callsPerSecond, double latencyMicros, double cpuMicrosPerCall) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = 2;
        int rounds = 3;
        int[] threads = {1, 8};
        List<String> groups = List.of("redis", "memcached");
        String size = "small";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--targets" -> groups = List.of(args[++i].split(","));
                case "--size" -> size = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--seconds S, --rounds N, --threads 1,8, --targets redis,memcached,memory,postgresql,mariadb,"
                        + " --size small|large)");
            }
        }
        if (!size.equals("small") && !size.equals("large")) {
            throw new IllegalArgumentException("--size is small or large, not " + size);
        }
        boolean large = size.equals("large");
        if (large && groups.contains("memory")) {
            throw new IllegalArgumentException("--size large measures the network and SQL backends against their raw"
                    + " transport; memory by value has no raw transport (see compare.py's locmem rows)");
        }
        String[] keys = Workload.keys(large ? 'l' : 's', KEYS);
        Object object = large ? Workload.largeValue() : Workload.smallValue();
        // the raw clients move the very bytes cachet stores: the small value's UTF-8, or the large value's entry
        // (envelope + compact encoding, not compressed: random text is guessed not worth deflating)
        byte[] value = large ? entryBytes(object) : Workload.smallValue().getBytes(StandardCharsets.UTF_8);
        MemcachedBenchmark.Launched memcached = groups.contains("memcached") ? MemcachedBenchmark.launch("127.0.0.1") : null;
        List<Target> targets = new ArrayList<>();
        try {
            if (groups.contains("redis")) {
                targets.add(cachet("redis cachet", "redis://127.0.0.1:6379/14?key_prefix=cpu&timeout=3600", keys, object));
                targets.add(cachet("redis cachet spin_wait=false",
                        "redis://127.0.0.1:6379/14?key_prefix=cpu&timeout=3600&spin_wait=false", keys, object));
                targets.add(cachet("redis cachet transport=pipelined",
                        "redis://127.0.0.1:6379/14?key_prefix=cpu&timeout=3600&transport=pipelined", keys, object));
                targets.add(lettuce(keys, value));
                targets.add(redisSocket(keys, value));
            }
            if (memcached != null) {
                String mc = "memcached://127.0.0.1:" + memcached.port() + "?key_prefix=cpu&timeout=3600";
                targets.add(cachet("memcached cachet", mc, keys, object));
                targets.add(cachet("memcached cachet spin_wait=false", mc + "&spin_wait=false", keys, object));
                targets.add(cachet("memcached cachet transport=pipelined", mc + "&transport=pipelined", keys, object));
                targets.add(memcachedSocket(memcached.port(), keys, value));
            }
            if (groups.contains("memory")) {
                targets.add(cachet("memory cachet", "memory:?max_entries=100000&timeout=3600", keys, object));
                targets.add(ScalingTargets.caffeine(keys, Workload.smallValue()));
            }
            for (ScalingTargets.Database db : List.of(ScalingTargets.Database.POSTGRESQL, ScalingTargets.Database.MARIADB)) {
                if (!groups.contains(db.name())) {
                    continue;
                }
                for (String spin : List.of("true", "false")) {
                    targets.add(cachet(db.name() + " cachet" + (spin.equals("true") ? "" : " spin_wait=false"),
                            CacheConfig.builder(db.location()).name("cpu-" + spin).options(Map.of("table",
                                    ScalingTargets.TABLE, "create_table", "true", "timeout", "3600", "key_prefix", "cpu",
                                    "cull_probability", "0", "pool_size", "8", "spin_wait", spin)).build(), keys, object));
                }
                targets.add(ScalingTargets.rawJdbc(db, keys, value));
            }
            run(targets, threads, rounds, seconds);
        } finally {
            for (Target t : targets) {
                t.close();
            }
            if (memcached != null) {
                memcached.process().destroy();
            }
        }
    }

    /** The raw baseline of a target's backend. */
    private static String baseline(String target) {
        String group = target.substring(0, target.indexOf(' '));
        return switch (group) {
            case "redis" -> "redis socket";
            case "memcached" -> "memcached socket";
            case "memory" -> "memory caffeine";
            case "postgresql" -> "postgresql jdbc";
            case "mariadb" -> "mariadb jdbc";
            default -> throw new IllegalArgumentException(target);
        };
    }

    private static void run(List<Target> targets, int[] threads, int rounds, double seconds) throws Exception {
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        for (Target t : targets) {
            for (String op : List.of("get", "set")) {
                measure(t, op, 1, 0.3); // warm-up
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int n : threads) {
                for (String op : List.of("get", "set")) {
                    for (Target t : targets) {
                        samples.computeIfAbsent(t.name() + "|" + op + "|" + n, k -> new ArrayList<>())
                                .add(measure(t, op, n, seconds));
                    }
                }
            }
        }
        System.out.printf("%-34s %-4s %7s %12s %12s %12s %8s %8s%n", "target", "op", "threads", "calls/s",
                "us/call", "cpu_us/call", "lat/raw", "cpu/raw");
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            String[] k = e.getKey().split("\\|");
            Sample m = median(e.getValue());
            String raw = baseline(k[0]) + "|" + k[1] + "|" + k[2];
            Sample base = median(samples.get(raw));
            System.out.printf("%-34s %-4s %7s %12.0f %12.1f %12.1f %8.2f %8.2f%n", k[0], k[1], k[2], m.callsPerSecond(),
                    m.latencyMicros(), m.cpuMicrosPerCall(), m.latencyMicros() / base.latencyMicros(),
                    m.cpuMicrosPerCall() / base.cpuMicrosPerCall());
        }
        if (threads.length > 1) {
            // the thread curve: calls/s per thread count, and whether it ever falls (below 90% of an earlier point)
            System.out.printf("%n%-34s %-4s %s%n", "target", "op", "calls/s at threads " + Arrays.toString(threads));
            for (Target t : targets) {
                for (String op : List.of("get", "set")) {
                    StringBuilder row = new StringBuilder();
                    double best = 0;
                    boolean falls = false;
                    for (int n : threads) {
                        double c = median(samples.get(t.name() + "|" + op + "|" + n)).callsPerSecond();
                        falls |= c < 0.9 * best;
                        best = Math.max(best, c);
                        row.append(String.format("%10.0f", c));
                    }
                    System.out.printf("%-34s %-4s %s%s%n", t.name(), op, row, falls ? "   FALLS" : "");
                }
            }
        }
    }

    private static Sample median(List<Sample> s) {
        return new Sample(med(s.stream().mapToDouble(Sample::callsPerSecond).toArray()),
                med(s.stream().mapToDouble(Sample::latencyMicros).toArray()),
                med(s.stream().mapToDouble(Sample::cpuMicrosPerCall).toArray()));
    }

    private static double med(double[] v) {
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Sample measure(Target t, String op, int threads, double seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Runnable call = t.op(op);
            Thread w = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long n = 0;
                while (!stop.get()) {
                    call.run();
                    n++;
                }
                calls.add(n);
            });
            w.start();
            workers.add(w);
        }
        ready.await();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        go.countDown();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        t.measured();
        double n = calls.sum();
        double perSecond = n / (wall / 1e9);
        return new Sample(perSecond, threads * 1e6 / perSecond, cpu / 1e3 / n);
    }

    // ---- targets ----

    /** The bytes cachet stores for {@code value}: the entry envelope and the compact encoding. */
    private static byte[] entryBytes(Object value) {
        dev.cachet.spi.ValueCodec codec = dev.cachet.spi.ValueCodec.compact(List.of());
        byte[] payload = codec.encode(value);
        byte[] entry = new byte[3 + payload.length]; // the envelope: a magic byte, the codec id, flags
        entry[0] = (byte) 0xC1;
        entry[1] = (byte) codec.id();
        System.arraycopy(payload, 0, entry, 3, payload.length);
        return entry;
    }

    private static Target cachet(String name, String location, String[] keys, Object value) {
        return cachet(name, CacheConfig.of(location), keys, value);
    }

    private static Target cachet(String name, CacheConfig config, String[] keys, Object value) {
        Cache cache = Caches.open(config);
        for (String k : keys) {
            cache.set(k, value);
        }
        return new Target() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Runnable op(String op) {
                Cursor c = new Cursor();
                return op.equals("get") ? () -> cache.get(keys[c.next()]) : () -> cache.set(keys[c.next()], value);
            }

            @Override
            public void close() {
                cache.clear();
                cache.close();
            }
        };
    }

    private static Target lettuce(String[] keys, byte[] value) {
        RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:6379/14"));
        StatefulRedisConnection<String, byte[]> connection = client.connect(RedisCodec.of(StringCodec.UTF8,
                ByteArrayCodec.INSTANCE));
        RedisCommands<String, byte[]> sync = connection.sync();
        SetArgs px = SetArgs.Builder.px(Duration.ofHours(1));
        String[] raw = Arrays.stream(keys).map(k -> "cpu:lettuce:" + k).toArray(String[]::new);
        for (String k : raw) {
            sync.set(k, value, px);
        }
        return new Target() {
            @Override
            public String name() {
                return "redis lettuce sync";
            }

            @Override
            public Runnable op(String op) {
                Cursor c = new Cursor();
                return op.equals("get") ? () -> sync.get(raw[c.next()]) : () -> sync.set(raw[c.next()], value, px);
            }

            @Override
            public void close() {
                sync.unlink(raw);
                connection.close();
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        };
    }

    private static Target redisSocket(String[] keys, byte[] value) {
        String[] raw = Arrays.stream(keys).map(k -> "cpu:socket:" + k).toArray(String[]::new);
        List<RawRedis> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        Supplier<RawRedis> open = () -> {
            RawRedis r = new RawRedis("127.0.0.1", 6379, 14);
            opened.add(r);
            return r;
        };
        RawRedis setup = open.get();
        for (String k : raw) {
            setup.set(k, value, 3_600_000L);
        }
        return new Target() {
            @Override
            public String name() {
                return "redis socket";
            }

            @Override
            public Runnable op(String op) {
                RawRedis r = open.get();
                Cursor c = new Cursor();
                return op.equals("get") ? () -> r.get(raw[c.next()]) : () -> r.set(raw[c.next()], value, 3_600_000L);
            }

            @Override
            public void close() {
                setup.unlink(raw);
                opened.forEach(RawRedis::close);
            }
        };
    }

    private static Target memcachedSocket(int port, String[] keys, byte[] value) {
        String[] raw = Arrays.stream(keys).map(k -> "cpu:socket:" + k).toArray(String[]::new);
        List<MemcachedBenchmark.Raw> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        Supplier<MemcachedBenchmark.Raw> open = () -> {
            MemcachedBenchmark.Raw r = new MemcachedBenchmark.Raw("127.0.0.1", port);
            opened.add(r);
            return r;
        };
        MemcachedBenchmark.Raw setup = open.get();
        for (String k : raw) {
            setup.set(k, value, 0);
        }
        return new Target() {
            @Override
            public String name() {
                return "memcached socket";
            }

            @Override
            public Runnable op(String op) {
                MemcachedBenchmark.Raw r = open.get();
                Cursor c = new Cursor();
                return op.equals("get") ? () -> r.get(raw[c.next()]) : () -> r.set(raw[c.next()], value, 0);
            }

            @Override
            public void close() {
                opened.forEach(MemcachedBenchmark.Raw::close);
            }
        };
    }

    /** A thread's walk over the keys. */
    static final class Cursor {
        private int i;

        int next() {
            int k = i;
            i = k + 1 == KEYS ? 0 : k + 1;
            return k;
        }
    }

    private CpuPerCall() {
    }
}
