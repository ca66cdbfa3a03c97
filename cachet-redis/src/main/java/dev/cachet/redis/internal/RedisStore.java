package dev.cachet.redis.internal;

import dev.cachet.CacheConfig;
import dev.cachet.KeyFunction;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The Redis backend's byte store: one native command per operation over one pipelined Lettuce
 * connection (see {@link RedisConnection}), standalone or cluster.
 *
 * <table>
 *   <caption>Operations and their commands</caption>
 *   <tr><td>get, has</td><td>{@code GET}, {@code EXISTS}</td></tr>
 *   <tr><td>put SET / ADD / REPLACE</td><td>{@code SET k v [PX ms]}, with {@code NX} / {@code XX}</td></tr>
 *   <tr><td>getMany</td><td>{@code MGET} (in a cluster, one per hash slot, run in parallel)</td></tr>
 *   <tr><td>putMany</td><td>one {@code SET k v [PX ms]} per entry, all written to the socket at once, then the
 *       replies awaited (a pipeline)</td></tr>
 *   <tr><td>delete, deleteMany</td><td>{@code UNLINK} (one command for all keys; per slot in a cluster)</td></tr>
 *   <tr><td>touch</td><td>{@code PEXPIRE}; to no expiry, a script: {@code EXISTS} then {@code PERSIST};
 *       where values may be chunked, one script that touches and returns {@code STRLEN}</td></tr>
 *   <tr><td>incr</td><td>a script: {@code INCRBY} only if the key {@code EXISTS}, so a missing key is not created</td></tr>
 *   <tr><td>clear</td><td>{@code SCAN MATCH} this cache's keys, {@code UNLINK} in batches; or {@code FLUSHDB} with {@code flush_on_clear}</td></tr>
 * </table>
 *
 * <h2>Expiry</h2>
 * Redis expires keys on its own clock, checked at every read (and removed in the background).
 * A deadline from the core, epoch millis of the cache's clock, becomes the time left
 * ({@code PX deadline - now}, at least 1 ms), so a server whose clock differs from the
 * application's still keeps each entry for the time asked; {@link Store#NEVER} and deadlines
 * more than {@value #MAX_TTL_DAYS} days away store without expiry. {@code INCRBY} keeps a
 * key's expiry, as incr must.
 *
 * <h2>Failures</h2>
 * Every Lettuce failure becomes a {@link StoreException} naming the cache, the server and the
 * command (values never appear): the server down (rejected at once: the connection does not
 * queue commands while it reconnects), a timeout ({@code command_timeout}), an error reply. The
 * exceptions are the incr errors the SPI defines: "not an integer" is a
 * {@link NotAnIntegerException}, "would overflow" an {@link ArithmeticException}.
 *
 * <p>Thread-safe.
 */
public final class RedisStore implements Store {
    static final long MAX_TTL_DAYS = 365L * 1000;
    private static final long MAX_TTL_MILLIS = TimeUnit.DAYS.toMillis(MAX_TTL_DAYS);
    /** Keys per {@code SCAN} step and per {@code UNLINK} of {@code clear}. */
    static final int CLEAR_BATCH = 1000;

    /**
     * incr: {@code INCRBY} only an existing key, then its new value as a string (Lua numbers are
     * doubles, exact only up to 2^53: returning INCRBY's reply through Lua would round large
     * counters); nil for a missing key.
     */
    static final RedisScript INCR_EXISTING = new RedisScript("if redis.call('EXISTS', KEYS[1]) == 1 then"
            + " redis.call('INCRBY', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1]) end return nil");
    /** touch to no expiry: 1 when the key exists (and now has no expiry), 0 otherwise. */
    static final RedisScript PERSIST_EXISTING = new RedisScript(
            "if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PERSIST', KEYS[1]) return 1 end return 0");

    /**
     * touchAndLength: the value's length after a touch ({@code PEXPIRE} by ARGV[1] millis, or
     * {@code PERSIST} for "persist"), -1 for a missing key; one round trip.
     */
    static final RedisScript TOUCH_AND_LENGTH = new RedisScript("if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end"
            + " if ARGV[1] == 'persist' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[1]) end"
            + " return redis.call('STRLEN', KEYS[1])");

    private final RedisConnection connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final Clock clock;
    private final long maxItemBytes;
    private final long waitMillis;
    private final boolean flushOnClear;
    /** Null when a custom key function makes the keys (their shape is unknown). */
    private final KeySpace keySpace;
    private final boolean cluster;
    private final String where;

    private RedisStore(CacheConfig config, RedisLocation location, RedisSettings settings, RedisConnection connection) {
        this.connection = connection;
        this.commands = connection.commands();
        this.clock = config.clock();
        this.maxItemBytes = settings.maxItemBytes;
        // Lettuce times commands out itself; this bound only guards against a future it never completes
        this.waitMillis = settings.commandTimeout.toMillis() + 1000;
        this.flushOnClear = settings.flushOnClear;
        boolean customKeys = config.keyFunction().filter(f -> f != KeyFunction.DEFAULT).isPresent()
                || config.option("key_function").isPresent();
        this.keySpace = customKeys ? null : new KeySpace(config.keyPrefix());
        this.cluster = location.cluster();
        this.where = "redis cache '" + config.name() + "' (" + location.describe() + ")";
    }

    /**
     * Opens the store of a {@code redis://}, {@code rediss://}, {@code redis-cluster://} or
     * {@code rediss-cluster://} location: parses it and the options, and connects.
     *
     * @throws IllegalArgumentException for a bad location or option
     * @throws StoreException when the server cannot be reached or refuses the login
     */
    public static RedisStore open(CacheConfig config) {
        RedisLocation location = RedisLocation.parse(config.name(), config.scheme(), config.target());
        RedisSettings settings = RedisSettings.of(config, location);
        RedisConnection connection;
        try {
            connection = RedisConnection.open(location, settings);
        } catch (RuntimeException e) {
            throw new StoreException("redis cache '" + config.name() + "': cannot connect to " + location.describe()
                    + ": " + describe(e), e);
        }
        return new RedisStore(config, location, settings, connection);
    }

    @Override
    public long maxItemBytes() {
        return maxItemBytes;
    }

    // ---- reads ----

    @Override
    public byte[] get(String key) {
        return call("GET", () -> commands.get(key));
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        String[] k = keys.toArray(new String[0]);
        List<KeyValue<String, byte[]>> values = call("MGET", () -> commands.mget(k));
        Map<String, byte[]> out = new LinkedHashMap<>(Math.max(4, values.size() * 2));
        for (KeyValue<String, byte[]> kv : values) {
            if (kv.hasValue()) {
                out.put(kv.getKey(), kv.getValue());
            }
        }
        return out;
    }

    @Override
    public boolean has(String key) {
        return positive(call("EXISTS", () -> commands.exists(key)));
    }

    // ---- writes ----

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        SetArgs args = setArgs(expiresAt);
        if (mode == PutMode.ADD) {
            args = (args == null ? new SetArgs() : args).nx();
        } else if (mode == PutMode.REPLACE) {
            args = (args == null ? new SetArgs() : args).xx();
        }
        SetArgs a = args;
        return call("SET", () -> a == null ? commands.set(key, value) : commands.set(key, value, a)) != null;
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        if (entries.isEmpty()) {
            return Set.of();
        }
        SetArgs args = setArgs(expiresAt);
        List<Map.Entry<String, RedisFuture<String>>> sent = new ArrayList<>(entries.size());
        List<AsyncCommand<String, byte[], String>> batch = new ArrayList<>(entries.size());
        Set<String> failed = new LinkedHashSet<>();
        RuntimeException lost = null;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            CommandArgs<String, byte[]> a = new CommandArgs<>(RedisConnection.CODEC).addKey(e.getKey()).addValue(e.getValue());
            if (args != null) {
                args.build(a);
            }
            AsyncCommand<String, byte[], String> c = new AsyncCommand<>(
                    new Command<>(CommandType.SET, new StatusOutput<>(RedisConnection.CODEC), a));
            batch.add(c);
            sent.add(Map.entry(e.getKey(), c));
        }
        try {
            connection.dispatch(batch);
        } catch (RuntimeException e) {
            batch.forEach(c -> c.cancel(true));
            throw failure("SET (" + entries.size() + " pipelined)", e);
        }
        for (Map.Entry<String, RedisFuture<String>> s : sent) {
            if (lost != null) {
                s.getValue().cancel(true); // one reply lost: the batch fails now, not after a wait per command
                continue;
            }
            try {
                awaitChecked("SET", s.getValue());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisCommandExecutionException) {
                    failed.add(s.getKey()); // the server refused this one (e.g. OOM under maxmemory); others may land
                } else if (lost == null) {
                    lost = unwrap(e);
                }
            } catch (RuntimeException e) {
                if (lost == null) {
                    lost = e;
                }
            }
        }
        if (lost != null) {
            throw failure("SET (" + entries.size() + " pipelined)", lost);
        }
        return failed;
    }

    @Override
    public boolean delete(String key) {
        return positive(call("UNLINK", () -> commands.unlink(key)));
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        String[] k = new LinkedHashSet<>(keys).toArray(new String[0]);
        Long n = call("UNLINK", () -> commands.unlink(k));
        return n == null ? 0 : n.intValue();
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        long ttl = ttlMillis(expiresAt);
        if (ttl < 0) {
            Long r = script("touch", PERSIST_EXISTING, ScriptOutputType.INTEGER, key);
            return r != null && r == 1;
        }
        return Boolean.TRUE.equals(call("PEXPIRE", () -> commands.pexpire(key, ttl)));
    }

    @Override
    public long touchAndLength(String key, long expiresAt) {
        long ttl = ttlMillis(expiresAt);
        byte[] arg = ttl < 0 ? "persist".getBytes(StandardCharsets.US_ASCII) : DecimalValues.bytes(ttl);
        Long n = script("touch", TOUCH_AND_LENGTH, ScriptOutputType.INTEGER, key, arg);
        return n == null ? -1 : n;
    }

    @Override
    public Long incr(String key, long delta) {
        try {
            byte[] value = script("incr", INCR_EXISTING, ScriptOutputType.VALUE, key, DecimalValues.bytes(delta));
            return value == null ? null : DecimalValues.parse(value);
        } catch (StoreException e) {
            String m = e.getCause() == null ? "" : String.valueOf(e.getCause().getMessage());
            if (e.getCause() instanceof RedisCommandExecutionException) {
                if (m.contains("not an integer")) {
                    throw new NotAnIntegerException("value of key '" + key + "' is not a plain decimal integer");
                }
                if (m.contains("overflow")) {
                    throw new ArithmeticException("incr of key '" + key + "' by " + delta + " overflows a long");
                }
            }
            throw e;
        }
    }

    // ---- clear, close ----

    /**
     * Removes this cache's keys: with {@code flush_on_clear}, {@code FLUSHDB} (every master of a
     * cluster); otherwise {@code SCAN MATCH} its key shape and {@code UNLINK} what it owns, in
     * batches, so other data in the database stays. With a custom key function the shape of the
     * keys is unknown: clear is refused unless {@code flush_on_clear} says the database is the
     * cache's alone.
     */
    @Override
    public void clear() {
        if (flushOnClear) {
            call("FLUSHDB", commands::flushdb);
            return;
        }
        if (keySpace == null) {
            throw new IllegalStateException(where + ": clear cannot tell this cache's keys from other keys, as a custom"
                    + " key function makes them; set the option flush_on_clear=true if the database holds this cache"
                    + " alone (clear then runs FLUSHDB)");
        }
        ScanArgs args = ScanArgs.Builder.matches(keySpace.pattern()).limit(CLEAR_BATCH);
        List<String> batch = new ArrayList<>(CLEAR_BATCH);
        KeyScanCursor<String> cursor = call("SCAN", () -> commands.scan(args));
        while (true) {
            for (String k : cursor.getKeys()) {
                if (keySpace.owns(k)) {
                    batch.add(k);
                }
            }
            if (batch.size() >= CLEAR_BATCH || (cursor.isFinished() && !batch.isEmpty())) {
                String[] doomed = batch.toArray(new String[0]);
                call("UNLINK", () -> commands.unlink(doomed));
                batch.clear();
            }
            if (cursor.isFinished()) {
                return;
            }
            ScanCursor at = cursor;
            cursor = call("SCAN", () -> commands.scan(at, args));
        }
    }

    @Override
    public void close() {
        connection.close();
    }

    // ---- helpers ----

    /** The time left until {@code expiresAt} in millis (at least 1), or -1 for no expiry. */
    long ttlMillis(long expiresAt) {
        if (expiresAt == NEVER) {
            return -1;
        }
        long left = expiresAt - clock.millis();
        if (left > MAX_TTL_MILLIS) {
            return -1;
        }
        return Math.max(1, left);
    }

    private SetArgs setArgs(long expiresAt) {
        long ttl = ttlMillis(expiresAt);
        return ttl < 0 ? null : new SetArgs().px(ttl);
    }

    /**
     * Runs {@code script} on the node of {@code key} by its SHA-1 ({@code EVALSHA}); when the
     * server does not know it (first use, after a restart or {@code SCRIPT FLUSH}), sends it
     * whole once ({@code EVAL}, which also caches it).
     */
    private <T> T script(String op, RedisScript script, ScriptOutputType type, String key, byte[]... args) {
        String[] keys = {key};
        try {
            try {
                return awaitChecked("EVALSHA " + op, commands.evalsha(script.sha(), type, keys, args));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RedisNoScriptException)
                        && !String.valueOf(e.getCause().getMessage()).startsWith("NOSCRIPT")) {
                    throw e;
                }
            }
            return awaitChecked("EVAL " + op, commands.eval(script.body(), type, keys, args));
        } catch (RuntimeException | ExecutionException e) {
            throw failure("script " + op, e);
        }
    }

    /** Sends a command and waits for its reply; any failure is a {@link StoreException}. */
    private <T> T call(String command, Supplier<RedisFuture<T>> send) {
        RedisFuture<T> future;
        try {
            future = send.get();
        } catch (RuntimeException e) {
            throw failure(command, e);
        }
        return await(command, future);
    }

    private static boolean positive(Long n) {
        return n != null && n > 0;
    }

    /** The value of {@code future}; a failure is a {@link StoreException}. */
    private <T> T await(String command, RedisFuture<T> future) {
        try {
            return awaitChecked(command, future);
        } catch (ExecutionException e) {
            throw failure(command, e);
        }
    }

    /** The value of {@code future}, waiting at most the command timeout (and a grace second). */
    private <T> T awaitChecked(String command, RedisFuture<T> future) throws ExecutionException {
        try {
            return future.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StoreException(where + ": interrupted while waiting for " + command, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException(where + ": " + command + " got no reply within " + waitMillis + " ms", e);
        }
    }

    private StoreException failure(String command, Exception e) {
        Throwable cause = e instanceof ExecutionException ? unwrap((ExecutionException) e) : e;
        if (cause instanceof StoreException s) {
            return s;
        }
        return new StoreException(where + ": " + command + " failed: " + describe(cause), cause);
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        return c instanceof RuntimeException r ? r : new StoreException(String.valueOf(c), c);
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return where + (cluster ? ", cluster" : "") + (connection.isOpen() ? "" : ", disconnected");
    }
}
