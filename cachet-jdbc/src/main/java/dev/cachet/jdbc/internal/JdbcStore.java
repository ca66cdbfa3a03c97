package dev.cachet.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.CacheConfig;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import dev.cachet.spi.StoreStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The SQL database backend: one table (see {@link CacheTable}), one statement and one round
 * trip per operation, keys and values always bound as parameters. The statements are the
 * dialect's ({@link Sql} and its subclasses); this class runs them through a {@link SqlRunner}
 * (connections, transactions, retries, error reporting), has {@link Maintenance} cull and
 * purge the table, and is opened by {@link StoreOpener} (the pool, the table, the item limit).
 * For SQLite and H2 over its own pool it keeps prepared statements per connection
 * ({@link StatementCache}).
 *
 * <h2>Expiry</h2>
 * Every read and every conditional write compares {@code expires} with the cache clock's now,
 * bound as a parameter, so an expired row is never returned and is overwritten by add. Expired
 * rows are removed by a background purge every {@code purge_interval} (default 60 s; 0 turns
 * it off) and by culling (see {@link Maintenance}).
 *
 * <h2>Clear</h2>
 * {@link #clear(KeyScope)} removes the rows its scope owns: for a key prefix, it reads the
 * keys of each of {@link KeyScope#ranges()} in key order, {@value Sql#DELETE_BATCH} at a time,
 * and deletes those {@link KeyScope#owns} accepts by key, each page on a connection of its own;
 * for {@link KeyScope#everything()} it deletes every row, {@value Sql#DELETE_BATCH} at a time.
 * The ranges rely on the key column comparing as bytes or UTF-16 code units (PostgreSQL's
 * {@code COLLATE "C"}, MariaDB's {@code utf8mb4_bin}, SQLite's {@code BINARY}, H2's default),
 * as the table cachet creates does.
 *
 * <h2>Failures</h2>
 * A failure is a {@link dev.cachet.spi.StoreException} naming the cache, the operation, the
 * dialect and the driver's message; deadlocks are retried, and a lost connection is retried
 * once only for reads and clear's deletes, never for a write (set, setMany, replace, touch,
 * add, delete, deleteIfEquals, incr), which may already have happened (see {@link SqlRunner}).
 *
 * <p>Thread-safe.
 */
public final class JdbcStore implements Store {
    /** What a row of a multi-row upsert costs beyond its value and key: the deadline and the parameters' headers. */
    static final int ROW_OVERHEAD_BYTES = 32;

    private final Sql sql;
    private final SqlRunner runner;
    private final Maintenance maintenance;
    private final JdbcInspection inspection;
    private final Clock clock;
    private final StoreCapabilities capabilities;
    /** The pool cachet created for a URL, closed with the store; null over a caller's DataSource. */
    private final HikariDataSource ownedPool;

    /**
     * Opens the store of a {@code jdbc:<url>} location over a pool of its own (see {@link StoreOpener}).
     *
     * @throws dev.cachet.spi.StoreUnreachableException when the database does not answer
     */
    public static JdbcStore open(CacheConfig config) {
        return StoreOpener.open(config);
    }

    /**
     * As {@link #open(CacheConfig)}, but a database that does not answer does not fail it: the
     * store then opens as a {@link dev.cachet.spi.DeferredStore}, which connects (creates the
     * pool, checks or creates the table) in the background once the database answers.
     */
    public static Store openOrDefer(CacheConfig config) {
        return StoreOpener.openOrDefer(config);
    }

    /** The capabilities of a store whose item limit is {@code maxItemBytes}. */
    static StoreCapabilities capabilities(long maxItemBytes) {
        return new StoreCapabilities(maxItemBytes, true, false, true, false);
    }

    /** Opens the store of {@code config} over the caller's {@code dataSource} (not closed by {@link #close()}). */
    public static JdbcStore open(CacheConfig config, DataSource dataSource) {
        return StoreOpener.open(config, dataSource);
    }

    /** A store on an opened table; {@link StoreOpener} makes it. Starts the background thread, if any. */
    JdbcStore(CacheConfig config, JdbcSettings settings, SqlRunner runner, Sql sql, long maxItemBytes,
            HikariDataSource ownedPool) {
        this.sql = sql;
        this.runner = runner;
        this.clock = config.clock();
        this.ownedPool = ownedPool;
        this.capabilities = capabilities(maxItemBytes);
        this.maintenance = new Maintenance(config.name(), settings, runner, sql, clock);
        this.inspection = new JdbcInspection(sql);
    }

    // ---- Store ----

    /** Blocking, atomic incr (one statement), no native expiry or leases; the item limit worked out at open. */
    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public byte[] get(String key) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.runKeyRead("get", c -> sql.get(c, key, now));
    }

    @Override
    public boolean has(String key) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.runKeyRead("hasKey", c -> sql.has(c, key, now));
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        List<String> distinct = distinct(keys);
        if (distinct.isEmpty()) {
            runner.ensureOpen();
            return Map.of();
        }
        long now = clock.millis();
        int per = sql.maxKeysPerStatement();
        return runner.run("getMany", true, c -> {
            Map<String, byte[]> out = Sql.newResultMap(distinct.size());
            for (int from = 0; from < distinct.size(); from += per) {
                sql.getMany(c, distinct.subList(from, Math.min(distinct.size(), from + per)), now, out);
            }
            return out;
        });
    }

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        runner.ensureOpen();
        switch (mode) {
            case SET -> {
                maintenance.maybeCull();
                runner.run("set", false, c -> {
                    sql.set(c, key, value, expiresAt);
                    return null;
                });
                return true;
            }
            case ADD -> {
                maintenance.maybeCull();
                long now = clock.millis();
                return runner.run("add", false, c -> sql.add(c, key, value, expiresAt, now));
            }
            case REPLACE -> {
                long now = clock.millis();
                return runner.run("replace", false, c -> sql.replace(c, key, value, expiresAt, now));
            }
            default -> throw new IllegalArgumentException("unknown put mode " + mode);
        }
    }

    /**
     * One multi-row upsert; the batch is cut only where a statement would pass the dialect's
     * row limit or byte budget, and then all of its statements run in one transaction.
     */
    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        runner.ensureOpen();
        if (entries.isEmpty()) {
            return Set.of();
        }
        if (entries.size() == 1) {
            Map.Entry<String, byte[]> e = entries.entrySet().iterator().next();
            put(e.getKey(), e.getValue(), expiresAt, PutMode.SET);
            return Set.of();
        }
        List<List<Map.Entry<String, byte[]>>> batches = cut(entries);
        maintenance.maybeCull();
        runner.run("setMany", false, c -> {
            if (batches.size() == 1) {
                sql.setMany(c, batches.get(0), expiresAt);
                return null;
            }
            SqlRunner.inTransaction(c, () -> {
                for (List<Map.Entry<String, byte[]>> batch : batches) {
                    sql.setMany(c, batch, expiresAt);
                }
            });
            return null;
        });
        return Set.of();
    }

    private List<List<Map.Entry<String, byte[]>>> cut(Map<String, byte[]> entries) {
        int maxRows = sql.maxRowsPerStatement();
        long maxBytes = sql.maxBytesPerStatement();
        List<List<Map.Entry<String, byte[]>>> batches = new ArrayList<>();
        List<Map.Entry<String, byte[]>> current = new ArrayList<>();
        long bytes = 0;
        // in key order, so concurrent batches lock their common rows in the same order and cannot deadlock
        List<Map.Entry<String, byte[]>> sorted = new ArrayList<>(entries.entrySet());
        for (Map.Entry<String, byte[]> e : sorted) {
            Objects.requireNonNull(e.getKey(), "key must not be null");
        }
        sorted.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, byte[]> e : sorted) {
            Objects.requireNonNull(e.getValue(), "value must not be null");
            // a row's bytes in the statement: its value, its key (UTF-8: at most 3 bytes per UTF-16 unit), its
            // deadline and the parameters' headers
            long size = e.getValue().length + 3L * e.getKey().length() + ROW_OVERHEAD_BYTES;
            if (!current.isEmpty() && (current.size() >= maxRows || bytes + size > maxBytes)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(Map.entry(e.getKey(), e.getValue()));
            bytes += size;
        }
        batches.add(current);
        return batches;
    }

    @Override
    public boolean delete(String key) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.run("delete", false, c -> sql.delete(c, key, now));
    }

    /**
     * One statement, {@code DELETE ... WHERE cache_key = ? AND value = ? AND expires > ?}, so the
     * compare and the delete are one atomic step. Not retried after a lost connection: it may
     * have removed the row already, and a retry could then remove a lease taken meanwhile.
     */
    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(expected, "expected must not be null");
        long now = clock.millis();
        return runner.run("deleteIfEquals", false, c -> sql.deleteIfEquals(c, key, expected, now));
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        List<String> distinct = distinct(keys);
        if (distinct.isEmpty()) {
            runner.ensureOpen();
            return 0;
        }
        long now = clock.millis();
        int per = sql.maxKeysPerStatement();
        return runner.run("deleteMany", false, c -> {
            int n = 0;
            for (int from = 0; from < distinct.size(); from += per) {
                n += sql.deleteMany(c, distinct.subList(from, Math.min(distinct.size(), from + per)), now);
            }
            return n;
        });
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.run("touch", false, c -> sql.touch(c, key, expiresAt, now));
    }

    @Override
    public long touchAndLength(String key, long expiresAt) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.run("touch", false, c -> sql.touchAndLength(c, key, expiresAt, now));
    }

    @Override
    public Long incr(String key, long delta) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.run("incr", false, c -> sql.incr(c, key, delta, now));
    }

    /**
     * Removes the rows {@code scope} owns (see the class comment): every row for
     * {@link KeyScope#everything()}; for a prefix, exactly the rows whose key
     * {@link KeyScope#owns} accepts, read range by range in key order and deleted by key.
     */
    @Override
    public void clear(KeyScope scope) {
        Objects.requireNonNull(scope, "scope must not be null");
        if (scope.isEverything()) {
            DeleteRun run = new DeleteRun();
            while (!run.ended) {
                runner.run("clear", true, c -> sql.deleteAny(c, Sql.DELETE_BATCH, run));
            }
            return;
        }
        for (KeyScope.Range range : scope.ranges()) {
            String last = null;
            do {
                String after = last;
                last = runner.run("clear", true, c -> clearPage(c, scope, range, after));
            } while (last != null);
        }
    }

    /**
     * One page of a scoped clear: reads up to {@value Sql#DELETE_BATCH} keys of {@code range}
     * after {@code after} (from the range's start when null) and deletes, expired or not, those
     * {@code scope} owns.
     *
     * @return the last key read, where the next page starts; null when the range is done
     */
    private String clearPage(Connection c, KeyScope scope, KeyScope.Range range, String after) throws SQLException {
        List<String> keys = sql.keysInRange(c, range, after, Sql.DELETE_BATCH);
        List<String> owned = new ArrayList<>(keys.size());
        for (String k : keys) {
            if (scope.owns(k)) {
                owned.add(k);
            }
        }
        if (!owned.isEmpty()) {
            sql.deleteMany(c, owned, Sql.BEFORE_EVERY_DEADLINE);
        }
        return keys.size() < Sql.DELETE_BATCH ? null : keys.get(keys.size() - 1);
    }

    // ---- inspection ----

    /** The readable rows {@code scope} owns and their value bytes; the table's rows and size as details. */
    @Override
    public StoreStats stats(KeyScope scope) {
        long now = clock.millis();
        long[] n = new long[2];
        walk(scope, now, r -> {
            n[0]++;
            n[1] += r.valueBytes();
            return true;
        });
        return new StoreStats(n[0], n[1], runner.run("stats", true, inspection::tableDetails));
    }

    @Override
    public long expiresAt(String key) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return runner.run("ttl", true, c -> inspection.expiresAt(c, key, now));
    }

    @Override
    public Optional<List<String>> keys(KeyScope scope, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, not " + limit);
        }
        List<String> keys = new ArrayList<>();
        if (limit > 0) {
            walk(scope, clock.millis(), r -> {
                keys.add(r.key());
                return keys.size() < limit;
            });
        }
        return Optional.of(keys);
    }

    private void walk(KeyScope scope, long now, java.util.function.Predicate<JdbcInspection.Row> sink) {
        JdbcInspection.walk(scope, (range, after) -> runner.run("keys", true, c -> inspection.page(c, range, after, now)), sink);
    }

    /** Stops the background thread, closes the pool cachet created (never a caller's DataSource). Idempotent. */
    @Override
    public void close() {
        if (!runner.close()) {
            return;
        }
        maintenance.close();
        if (ownedPool != null) {
            ownedPool.close();
        }
        StatementCache cache = sql.statementCache();
        if (cache != null) {
            cache.clear();
        }
    }

    @Override
    public String toString() {
        return "JdbcStore[" + runner.where() + "]";
    }

    // ---- for tests ----

    /** The thread that culls and purges in the background, for tests to hold it up. */
    Executor background() {
        return maintenance.background();
    }

    /** How many background purges have completed (for tests). */
    long purgeRounds() {
        return maintenance.purgeRounds();
    }

    /** The statements kept per connection, or null when each is prepared per use (for tests). */
    StatementCache statementCache() {
        return sql.statementCache();
    }

    private static List<String> distinct(Collection<String> keys) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(keys));
        for (String k : out) {
            Objects.requireNonNull(k, "keys must not contain null");
        }
        return out;
    }
}
