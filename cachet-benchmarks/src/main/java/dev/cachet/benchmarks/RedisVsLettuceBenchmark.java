package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.Caches;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Redis backend against raw Lettuce sync commands, on the Redis at 127.0.0.1:6379
 * (database 14, keys under {@code jmh}), on the seed workload's small phase: the 1000
 * working-set keys {@code bench:s:%06d}, the 100-character value {@code gen(1, 100)}, a one-hour
 * timeout.
 *
 * <ul>
 *   <li>{@code cachet*}: {@code redis://127.0.0.1:6379/14?key_prefix=jmh&timeout=3600}:
 *       get (a hit), set (an overwrite), incr (of a counter), getMany of 100 keys;</li>
 *   <li>{@code lettuce*}: what a user writes with Lettuce alone, over its own connection: the
 *       key as cachet stores it behind a {@code raw} mark ({@code rawjmh:1:bench:s:...}, 3 bytes longer),
 *       the value's UTF-8 bytes; {@code GET}, {@code SET key value PX 3600000},
 *       {@code INCRBY key 1} (which, unlike cache.incr, creates a missing key), {@code MGET}
 *       of the same 100 keys.</li>
 *   <li>{@code socket*}: the floor, {@link RawRedis}: one blocking socket, the same commands
 *       and keys as {@code lettuce*} written by hand (what {@code redis-benchmark -c 1} measures).</li>
 * </ul>
 *
 * Both run in one JMH run, so they share the machine's conditions; compare ratios, not
 * absolute times. One thread: a round trip per op, latency-bound.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class RedisVsLettuceBenchmark {
    static final int KEYS = 1000;
    static final int MANY = 100;
    static final String LOCATION = "redis://127.0.0.1:6379/14?key_prefix=jmh&timeout=3600";
    static final String HEAD = "jmh:1:";

    String[] keys;
    String[] rawKeys;
    List<List<String>> batches;
    List<String[]> rawBatches;
    String value;
    byte[] rawValue;
    SetArgs px;
    int index;
    int batch;

    Cache cachet;
    RedisClient client;
    StatefulRedisConnection<String, byte[]> connection;
    RedisCommands<String, byte[]> lettuce;
    RawRedis socket;

    @Setup(Level.Trial)
    public void setUp() {
        keys = Workload.keys('s', KEYS);
        rawKeys = Arrays.stream(keys).map(k -> "raw" + HEAD + k).toArray(String[]::new);
        value = Workload.smallValue();
        rawValue = value.getBytes(StandardCharsets.UTF_8);
        px = SetArgs.Builder.px(Duration.ofHours(1));
        batches = new ArrayList<>();
        rawBatches = new ArrayList<>();
        for (int from = 0; from < KEYS; from += MANY) {
            batches.add(List.of(Arrays.copyOfRange(keys, from, from + MANY)));
            rawBatches.add(Arrays.copyOfRange(rawKeys, from, from + MANY));
        }
        cachet = Caches.open(LOCATION);
        client = RedisClient.create(RedisURI.create("redis://127.0.0.1:6379/14"));
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        lettuce = connection.sync();
        socket = new RawRedis("127.0.0.1", 6379, 14);
        for (int i = 0; i < KEYS; i++) {
            cachet.set(keys[i], value);
            lettuce.set(rawKeys[i], rawValue, px);
        }
        cachet.set("counter", 0);
        lettuce.set("raw" + HEAD + "counter", "0".getBytes(StandardCharsets.US_ASCII), px);
        for (int i = 0; i < KEYS; i++) {
            if (!value.equals(cachet.get(keys[i])) || !Arrays.equals(rawValue, lettuce.get(rawKeys[i]))) {
                throw new IllegalStateException("setup: " + keys[i] + " did not read back");
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cachet.clear();
        lettuce.unlink(rawKeys);
        lettuce.unlink("raw" + HEAD + "counter");
        cachet.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        socket.close();
    }

    private int next() {
        int i = index;
        index = i + 1 == KEYS ? 0 : i + 1;
        return i;
    }

    private int nextBatch() {
        int b = batch;
        batch = b + 1 == batches.size() ? 0 : b + 1;
        return b;
    }

    // ---- get (always a hit) ----

    @Benchmark
    public Object cachetGet() {
        return cachet.get(keys[next()]);
    }

    @Benchmark
    public byte[] lettuceGet() {
        return lettuce.get(rawKeys[next()]);
    }

    @Benchmark
    public byte[] socketGet() {
        return socket.get(rawKeys[next()]);
    }

    // ---- set (always an overwrite) ----

    @Benchmark
    public boolean cachetSet() {
        return cachet.set(keys[next()], value);
    }

    @Benchmark
    public String lettuceSet() {
        return lettuce.set(rawKeys[next()], rawValue, px);
    }

    @Benchmark
    public boolean socketSet() {
        return socket.set(rawKeys[next()], rawValue, 3_600_000L);
    }

    // ---- incr ----

    @Benchmark
    public long cachetIncr() {
        return cachet.incr("counter");
    }

    @Benchmark
    public Long lettuceIncr() {
        return lettuce.incrby("raw" + HEAD + "counter", 1);
    }

    @Benchmark
    public long socketIncr() {
        return socket.incrBy("raw" + HEAD + "counter", 1);
    }

    // ---- getMany of 100 keys (all hits) ----

    @Benchmark
    public Map<String, Object> cachetGetMany() {
        return cachet.getMany(batches.get(nextBatch()));
    }

    @Benchmark
    public List<KeyValue<String, byte[]>> lettuceGetMany() {
        return lettuce.mget(rawBatches.get(nextBatch()));
    }

    @Benchmark
    public List<Object> socketGetMany() {
        return socket.mget(rawBatches.get(nextBatch()));
    }
}
