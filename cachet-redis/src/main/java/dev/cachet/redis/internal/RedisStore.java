package dev.cachet.redis.internal;

import dev.cachet.CacheConfig;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.DeferredStore;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import dev.cachet.spi.StoreException;
import dev.cachet.spi.StoreStats;
import dev.cachet.spi.StoreUnreachableException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
 *   <tr><td>deleteIfEquals</td><td>a script: {@code UNLINK} only if {@code GET} returns the expected bytes</td></tr>
 *   <tr><td>touch</td><td>{@code PEXPIRE}; to no expiry, a script: {@code EXISTS} then {@code PERSIST};
 *       where values may be chunked, one script that touches and returns {@code STRLEN}</td></tr>
 *   <tr><td>incr</td><td>a script: {@code INCRBY} only if the key {@code EXISTS}, so a missing key is not created</td></tr>
 *   <tr><td>clear</td><td>{@code SCAN MATCH} the keys of the scope's shape, {@code UNLINK} in batches what it owns
 *       (for {@link KeyScope#everything()}, {@code SCAN} every key); or {@code FLUSHDB} with {@code flush_on_clear}</td></tr>
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
 * {@link NotAnIntegerException}, "would overflow" an {@link ArithmeticException}. The store
 * applies no error policy: the core does.
 *
 * <h2>Partial failures</h2>
 * The bulk calls can fail for part of their keys, and then throw a
 * {@link PartialFailureException} with what they did: {@code putMany}'s pipelined {@code SET}s
 * each succeed or fail alone (a connection lost midway, an error reply such as {@code OOM} for
 * some of them), on a standalone server as in a cluster; in a cluster {@code getMany} and
 * {@code deleteMany} send one command per hash slot, so a master that is down fails its slots'
 * keys while the other masters answer. On a standalone server {@code getMany} and
 * {@code deleteMany} are one command, which succeeds or fails whole (a plain
 * {@link StoreException}). A call whose every command failed throws a plain
 * {@link StoreException} too.
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

    /**
     * deleteIfEquals: {@code UNLINK} the key only when {@code GET} returns exactly ARGV[1] (Lua
     * compares the raw bytes; values are stored as given, with no header); 1 when removed, else
     * 0. A key Redis has expired reads as nil.
     */
    static final RedisScript DELETE_IF_EQUALS = new RedisScript(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end return 0");

    private final RedisConnection connection;
    private final RedisClusterAsyncCommands<String, byte[]> commands;
    private final Clock clock;
    private final StoreCapabilities capabilities;
    private final Replies replies;
    private final RedisInspection inspection;
    private final boolean flushOnClear;
    private final boolean cluster;
    private final String where;

    private RedisStore(CacheConfig config, RedisLocation location, RedisSettings settings, RedisConnection connection) {
        this.connection = connection;
        this.commands = connection.commands();
        this.clock = config.clock();
        this.capabilities = capabilities(settings);
        this.flushOnClear = settings.flushOnClear;
        this.cluster = location.cluster();
        this.where = where(config, location);
        // Lettuce times commands out itself; this bound only guards against a future it never completes
        this.replies = new Replies(where, settings.commandTimeout.toMillis() + 1000, settings.spinWait);
        this.inspection = new RedisInspection(commands, replies, clock);
    }

    /**
     * Opens the store of a {@code redis://}, {@code rediss://}, {@code redis-cluster://} or
     * {@code rediss-cluster://} location: parses it and the options, and connects. When the
     * server (every seed of a cluster) does not answer, the store opens anyway, as a
     * {@link DeferredStore} that connects in the background (and loads a cluster's topology
     * then): its operations fail at once until it does.
     *
     * @throws IllegalArgumentException for a bad location or option
     * @throws StoreException when the server answered and refused (a wrong password, a TLS
     *     handshake that failed, a reply that is not Redis')
     */
    public static Store open(CacheConfig config) {
        RedisLocation location = RedisLocation.parse(config.name(), config.scheme(), config.target());
        RedisSettings settings = RedisSettings.of(config, location);
        return DeferredStore.open(where(config, location), capabilities(settings), () -> connect(config, location, settings));
    }

    /** Connects once; an unreachable server is a {@link StoreUnreachableException}. */
    private static RedisStore connect(CacheConfig config, RedisLocation location, RedisSettings settings) {
        RedisConnection connection;
        try {
            connection = RedisConnection.open(location, settings);
        } catch (RuntimeException e) {
            String message = "redis cache '" + config.name() + "': cannot connect to " + location.describe() + ": "
                    + Replies.describe(e);
            throw StoreUnreachableException.isUnreachable(e) ? new StoreUnreachableException(message, e)
                    : new StoreException(message, e);
        }
        return new RedisStore(config, location, settings, connection);
    }

    private static String where(CacheConfig config, RedisLocation location) {
        return "redis cache '" + config.name() + "' (" + location.describe() + ")";
    }

    private static StoreCapabilities capabilities(RedisSettings settings) {
        return new StoreCapabilities(settings.maxItemBytes, true, true, true, false);
    }

    /**
     * The item limit of {@code max_item_bytes} (default 8 MiB), blocking, Redis' own expiry, an
     * atomic incr (a server-side script), no leases.
     */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    // ---- reads ----

    @Override
    public byte[] get(String key) {
        return replies.call("GET", () -> commands.get(key));
    }

    /**
     * {@code MGET}; in a cluster one per hash slot, all in flight together.
     *
     * @throws PartialFailureException in a cluster, when the masters of some slots failed (it
     *     holds the values read from the others)
     */
    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> out = new LinkedHashMap<>(Math.max(4, keys.size() * 2));
        SlotParts.await(replies, "MGET", SlotParts.send(bySlot(keys), commands::mget), values -> {
            for (KeyValue<String, byte[]> kv : values) {
                if (kv.hasValue()) {
                    out.put(kv.getKey(), kv.getValue());
                }
            }
        }, f -> PartialFailureException.ofGetMany(out, f.keys(), f.first().getMessage(), f.first()));
        return out;
    }

    @Override
    public boolean has(String key) {
        return positive(replies.call("EXISTS", () -> commands.exists(key)));
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
        return replies.call("SET", () -> a == null ? commands.set(key, value) : commands.set(key, value, a)) != null;
    }

    /**
     * One {@code SET} per entry, pipelined: all the commands of a hash slot (on a standalone
     * server: all of them) written at once, then the replies awaited. Each command succeeds or
     * fails alone; in a cluster, a slot whose master cannot be reached fails its keys alone.
     *
     * @return the empty set (a {@code SET} without a condition stores whenever Redis answers)
     * @throws PartialFailureException when some of the {@code SET}s failed (the others stored)
     */
    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        if (entries.isEmpty()) {
            return Set.of();
        }
        SetArgs args = setArgs(expiresAt);
        List<SlotParts.Part<String>> parts = new ArrayList<>(entries.size());
        for (List<String> slot : bySlot(entries.keySet())) {
            List<AsyncCommand<String, byte[], String>> batch = new ArrayList<>(slot.size());
            for (String key : slot) {
                CommandArgs<String, byte[]> a = new CommandArgs<>(RedisConnection.CODEC).addKey(key).addValue(entries.get(key));
                if (args != null) {
                    args.build(a);
                }
                AsyncCommand<String, byte[], String> c = new AsyncCommand<>(
                        new Command<>(CommandType.SET, new StatusOutput<>(RedisConnection.CODEC), a));
                batch.add(c);
                parts.add(new SlotParts.Part<>(List.of(key), c));
            }
            try {
                connection.dispatch(batch);
            } catch (RuntimeException e) {
                // not written (Lettuce could not reach the slot's master): these fail, the other slots go on
                batch.forEach(c -> c.completeExceptionally(e));
            }
        }
        SlotParts.await(replies, "SET (" + entries.size() + " pipelined)", parts, reply -> { },
                f -> PartialFailureException.ofPutMany(f.keys(), f.first().getMessage(), f.first()));
        return Set.of();
    }

    @Override
    public boolean delete(String key) {
        return positive(replies.call("UNLINK", () -> commands.unlink(key)));
    }

    /** One script, so nothing runs between the compare and the delete (see {@link #DELETE_IF_EQUALS}). */
    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        Long n = script("delete if equals", DELETE_IF_EQUALS, ScriptOutputType.INTEGER, key, expected);
        return positive(n);
    }

    /**
     * {@code UNLINK}; in a cluster one per hash slot, all in flight together.
     *
     * @throws PartialFailureException in a cluster, when the masters of some slots failed (it
     *     holds the count of entries the others removed)
     */
    @Override
    public int deleteMany(Collection<String> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        long[] deleted = {0};
        SlotParts.await(replies, "UNLINK", SlotParts.send(bySlot(new LinkedHashSet<>(keys)), commands::unlink),
                n -> deleted[0] += n == null ? 0 : n,
                f -> PartialFailureException.ofDeleteMany((int) deleted[0], f.keys(), f.first().getMessage(), f.first()));
        return (int) deleted[0];
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        long ttl = ttlMillis(expiresAt);
        if (ttl < 0) {
            Long r = script("touch", PERSIST_EXISTING, ScriptOutputType.INTEGER, key);
            return r != null && r == 1;
        }
        return Boolean.TRUE.equals(replies.call("PEXPIRE", () -> commands.pexpire(key, ttl)));
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
                    // no key here: the core names the user's key, as on every backend
                    throw new NotAnIntegerException("value is not a plain decimal integer");
                }
                if (m.contains("overflow")) {
                    throw new ArithmeticException("incr by " + delta + " overflows a long");
                }
            }
            throw e;
        }
    }

    // ---- inspection ----

    @Override
    public StoreStats stats(KeyScope scope) {
        return inspection.stats(scope);
    }

    @Override
    public long expiresAt(String key) {
        return inspection.expiresAt(key);
    }

    @Override
    public Optional<List<String>> keys(KeyScope scope, int limit) {
        return Optional.of(inspection.keys(scope, limit));
    }

    // ---- clear, close ----

    /**
     * Removes the keys {@code scope} owns: {@code SCAN MATCH} the scope's key shape (on every
     * master of a cluster) and {@code UNLINK} what it {@linkplain KeyScope#owns owns}, in batches
     * of {@value #CLEAR_BATCH}, so other data in the database stays; for
     * {@link KeyScope#everything()} (a cache with a custom key function), every key of the
     * database, {@code SCAN} without a pattern. With {@code flush_on_clear}, {@code FLUSHDB}
     * (every master of a cluster) whatever the scope: the database is the cache's alone.
     */
    @Override
    public void clear(KeyScope scope) {
        if (flushOnClear) {
            replies.call("FLUSHDB", commands::flushdb);
            return;
        }
        ScanArgs args = ScanArgs.Builder.limit(CLEAR_BATCH);
        if (!scope.isEverything()) {
            args.match(pattern(scope));
        }
        List<String> batch = new ArrayList<>(CLEAR_BATCH);
        KeyScanCursor<String> cursor = replies.call("SCAN", () -> commands.scan(args));
        while (true) {
            for (String k : cursor.getKeys()) {
                if (scope.owns(k)) {
                    batch.add(k);
                }
            }
            if (batch.size() >= CLEAR_BATCH || (cursor.isFinished() && !batch.isEmpty())) {
                String[] doomed = batch.toArray(new String[0]);
                replies.call("UNLINK", () -> commands.unlink(doomed));
                batch.clear();
            }
            if (cursor.isFinished()) {
                return;
            }
            ScanCursor at = cursor;
            cursor = replies.call("SCAN", () -> commands.scan(at, args));
        }
    }

    /**
     * The {@code SCAN MATCH} glob of the keys of a prefix scope's shape (and perhaps a few others,
     * which {@link KeyScope#owns} drops): {@code P:*} with the glob specials ({@code * ? [ ] \})
     * of the prefix escaped, or {@code [:~]*} for the empty prefix.
     */
    static String pattern(KeyScope scope) {
        String prefix = scope.prefix();
        if (prefix.isEmpty()) {
            return "[:~]*";
        }
        StringBuilder sb = new StringBuilder(prefix.length() + 4);
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append(":*").toString();
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
                return replies.awaitChecked("EVALSHA " + op, commands.evalsha(script.sha(), type, keys, args));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RedisNoScriptException)
                        && !String.valueOf(e.getCause().getMessage()).startsWith("NOSCRIPT")) {
                    throw e;
                }
            }
            return replies.awaitChecked("EVAL " + op, commands.eval(script.body(), type, keys, args));
        } catch (RuntimeException | ExecutionException e) {
            throw replies.failure("script " + op, e);
        }
    }

    private static boolean positive(Long n) {
        return n != null && n > 0;
    }

    /** {@code keys} by hash slot in a cluster; on a standalone server, all in one group. */
    private Collection<List<String>> bySlot(Collection<String> keys) {
        return cluster ? SlotHash.partition(RedisConnection.CODEC, keys).values() : List.of(List.copyOf(keys));
    }

    @Override
    public String toString() {
        return where + (cluster ? ", cluster" : "") + (connection.isOpen() ? "" : ", disconnected");
    }
}
