package dev.cachet.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.CacheConfig;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL database backend: one table (see {@link CacheTable}), one statement and one round
 * trip per operation, keys and values always bound as parameters. The statements are the
 * dialect's ({@link Sql} and its subclasses); this class adds connections, transactions,
 * retries, culling, the background purge and error reporting, and for SQLite and H2 over its
 * own pool keeps prepared statements per connection ({@link StatementCache}).
 *
 * <h2>Expiry</h2>
 * Every read and every conditional write compares {@code expires} with the cache clock's now,
 * bound as a parameter, so an expired row is never returned and is overwritten by add. Expired
 * rows are removed by a background purge every {@code purge_interval} (default 60 s; 0 turns
 * it off), in DELETEs of at most {@value Sql#DELETE_BATCH} rows, on one daemon thread per
 * cache, stopped by {@link #close()}; and by culling.
 *
 * <h2>Culling</h2>
 * Django's {@code MAX_ENTRIES} / {@code CULL_FREQUENCY}, run on a write with probability
 * {@code cull_probability} (default 0.01; 1 culls as Django does, before every write; below 1
 * the cull runs on the cache's background thread, so the write that drew it does not wait for
 * the count, and the table may pass {@code max_entries} by a few writes meanwhile): count the
 * rows; if there are more than {@code max_entries}, delete the expired ones; if more than
 * {@code max_entries} remain, {@code cull_frequency} 0 deletes every row, otherwise
 * {@code count / cull_frequency} rows go (at least enough to get back to
 * {@code max_entries}), the soonest to expire first, ties in key order (with equal
 * timeouts that is exactly Django's key-order cut). The count is of the whole table, as in
 * Django, so caches sharing a table share the limit. Each DELETE removes at most
 * {@value Sql#DELETE_BATCH} rows, so no statement holds locks for long, and a cull runs in
 * rounds of at most {@value #CULL_ROUND_DELETES} DELETEs, each round on a connection of its
 * own: a write that culls inline waits for the count and one round at most, and the rest of a
 * big cull goes on in the background, round after round, so no connection is held for long
 * either. One cull of a store runs at a time (a write that would start another skips it). A
 * failed cull is logged; the write goes on.
 *
 * <h2>Failures</h2>
 * A {@link SQLException} becomes a {@link StoreException} naming the cache, the operation, the
 * dialect and the driver's message (values never appear in it). A deadlock or serialization
 * failure (the database rolled the statement back) is retried up to twice; a lost connection
 * is retried once for idempotent operations (get, getMany, hasKey, set, setMany, replace,
 * touch, clear), never for add, delete or incr, whose effect may already have happened. The
 * pool replaces broken connections by itself, so the cache recovers when the database does.
 *
 * <p>Thread-safe.
 */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
    /** A MariaDB statement's bytes beyond its values (SQL text, packet headers), kept free of max_allowed_packet. */
    static final long MARIADB_PACKET_OVERHEAD = 64 * 1024;
    /** The most bytes of one MariaDB multi-row upsert (smaller when max_allowed_packet is). */
    static final long MARIADB_STATEMENT_BUDGET = 8L << 20;
    /** The most DELETEs of one round of a cull (see the class comment). */
    static final int CULL_ROUND_DELETES = 10;
    /** Where the other dialects chunk a value by default: well inside bytea's, SQLite's and H2's 1 GB. */
    static final long DEFAULT_MAX_ITEM_BYTES = 256L << 20;
    private static final String PROBE_KEY = "cachet affected-rows probe";

    private final String cacheName;
    private final DataSource dataSource;
    private final HikariDataSource ownedPool;
    private final Sql sql;
    private final Clock clock;
    private final String clearPrefix;
    private final long maxItemBytes;
    private final JdbcSettings settings;
    private final String where;
    /** True while a cull is pending, running, or going on in the background. */
    private final AtomicBoolean culling = new AtomicBoolean();
    private final ScheduledExecutorService purger;
    private final AtomicBoolean purgeFailing = new AtomicBoolean();
    private final AtomicLong purgeRounds = new AtomicLong();
    private volatile boolean closed;

    // ---- opening ----

    /** Opens the store of a {@code jdbc:<url>} location over a pool of its own. */
    public static JdbcStore open(CacheConfig config) {
        String url = JdbcSettings.jdbcUrl(config);
        JdbcSettings settings = JdbcSettings.of(config);
        Dialect dialect = Dialect.ofUrl(url);
        settings.checkDialect(config, dialect);
        HikariDataSource pool = createPool(config.name(), url, dialect, settings);
        try {
            return new JdbcStore(config, settings, dialect, pool, pool, ConnectionPools.redact(url));
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /** Opens the store of {@code config} over the caller's {@code dataSource} (not closed by {@link #close()}). */
    public static JdbcStore open(CacheConfig config, DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        if (!config.scheme().equals("jdbc")) {
            throw new IllegalArgumentException("cache '" + config.name() + "': location '" + config.redactedLocation()
                    + "' must be jdbc: for a cache over a DataSource (e.g. just \"jdbc:\")");
        }
        JdbcSettings.checkKnown(config);
        JdbcSettings settings = JdbcSettings.of(config);
        settings.checkNoPoolOptions(config);
        return new JdbcStore(config, settings, null, dataSource, null, "DataSource " + dataSource);
    }

    private static HikariDataSource createPool(String cacheName, String url, Dialect dialect, JdbcSettings settings) {
        try {
            return ConnectionPools.create(cacheName, url, dialect, settings);
        } catch (RuntimeException e) {
            String redacted = ConnectionPools.redact(url);
            // the driver's and the pool's messages may repeat the URL, password and all
            boolean secret = !redacted.equals(url);
            if (missingDriver(e)) {
                throw new IllegalArgumentException("cache '" + cacheName + "': no JDBC driver for " + redacted + " on the"
                        + " class path; add " + driverArtifact(dialect, url), secret ? null : e);
            }
            throw new StoreException("jdbc cache '" + cacheName + "' (" + dialect.displayName() + "): cannot connect to "
                    + redacted + ": " + rootMessage(e).replace(url, redacted), secret ? null : e);
        }
    }

    private JdbcStore(CacheConfig config, JdbcSettings settings, Dialect knownDialect, DataSource dataSource,
            HikariDataSource ownedPool, String describedSource) {
        this.cacheName = config.name();
        this.settings = settings;
        this.dataSource = dataSource;
        this.ownedPool = ownedPool;
        this.clock = config.clock();
        boolean customKeys = config.keyFunction().isPresent() || config.option("key_function").isPresent();
        this.clearPrefix = customKeys ? "" : config.keyPrefix();
        Dialect dialect = knownDialect;
        long packet = 0;
        try (Connection c = dataSource.getConnection()) {
            if (dialect == null) {
                dialect = Dialect.of(c);
                settings.checkDialect(config, dialect);
            }
            prepareTable(c, dialect, config, describedSource);
            if (dialect == Dialect.MARIADB) {
                packet = maxAllowedPacket(c);
                if (ownedPool == null) {
                    checkAffectedRows(c, settings.table);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            String d = dialect == null ? "" : " (" + dialect.displayName() + ")";
            throw new StoreException("jdbc cache '" + cacheName + "'" + d + ": cannot open table " + settings.table
                    + " through " + describedSource + ": " + describe(e), e);
        }
        Sql statements = Sql.of(dialect, settings.table);
        if (dialect == Dialect.MARIADB) {
            // the pool cachet creates sends values as raw bytes (server-side prepared statements); a caller's
            // DataSource may use the text protocol, which can escape every byte into two
            long limit = Math.max(4096, packet - MARIADB_PACKET_OVERHEAD);
            if (ownedPool == null) {
                limit = Math.max(4096, limit / 2);
            }
            long configured = config.maxItemBytes(limit);
            if (configured > limit) {
                throw new IllegalArgumentException("cache '" + cacheName + "': option max_item_bytes=" + configured
                        + " is more than one MariaDB statement can carry: max_allowed_packet is " + packet + " bytes, so"
                        + " max_item_bytes can be at most " + limit + " (larger values are chunked); raise"
                        + " max_allowed_packet on the server to store larger pieces");
            }
            this.maxItemBytes = configured;
            statements = ((MariaDbSql) statements).withMaxBytesPerStatement(Math.min(MARIADB_STATEMENT_BUDGET, limit));
        } else {
            this.maxItemBytes = config.maxItemBytes(DEFAULT_MAX_ITEM_BYTES);
        }
        if (ownedPool != null && (dialect == Dialect.SQLITE || dialect == Dialect.H2)) {
            // their drivers parse and plan the SQL again at every prepareStatement; see StatementCache
            statements.cacheStatements();
        }
        this.sql = statements;
        this.where = "jdbc cache '" + cacheName + "' (" + dialect.displayName() + ", table " + settings.table + ")";
        boolean culls = settings.cullProbability > 0;
        if (settings.purgeInterval.isZero() && !culls) {
            this.purger = null;
        } else {
            this.purger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cachet-" + cacheName + "-background");
                t.setDaemon(true);
                return t;
            });
            if (!settings.purgeInterval.isZero()) {
                long every = settings.purgeInterval.toMillis();
                purger.scheduleWithFixedDelay(this::purgeExpired, every, every, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Checks that the table exists (one catalog query), creating it when {@code create_table} says so. */
    private void prepareTable(Connection c, Dialect dialect, CacheConfig config, String describedSource) throws SQLException {
        String table = settings.table;
        if (!CacheTable.exists(c, table)) {
            if (settings.createTable) {
                CacheTable.create(c, table, settings.unlogged);
                return;
            }
            String how = ownedPool != null
                    ? "create it with: cachet createcachetable --cache '" + ConnectionPools.redact(config.location()) + "'"
                        + (table.equals(CacheTable.DEFAULT_NAME) ? "" : " --table " + table)
                        + ", or CacheTable.create(config) in code, or set the option create_table=true"
                    : "create it with CacheTable.create(dataSource, \"" + table + "\", false), or set the option"
                        + " create_table=true";
            throw new IllegalArgumentException("cache '" + cacheName + "': the cache table " + table + " does not exist in "
                    + describedSource + " (" + dialect.displayName() + "); " + how
                    + ". The DDL is in cachet-jdbc's dev/cachet/jdbc/ddl/" + dialect.resourceName() + ".sql");
        }
        if (dialect == Dialect.POSTGRESQL && settings.unlogged) {
            try (PreparedStatement ps = c.prepareStatement("SELECT relpersistence FROM pg_class WHERE oid = to_regclass(?)")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && !"u".equals(rs.getString(1))) {
                        LOG.warn("cache '{}': option unlogged=true, but table {} exists as a logged table; the option only"
                                + " shapes the table cachet creates (ALTER TABLE {} SET UNLOGGED converts it)", cacheName,
                                table, table);
                    }
                }
            }
        }
    }

    private static long maxAllowedPacket(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * MariaDB's add tells a won add from a lost one by the affected-row count, which needs
     * connections that report affected rows ({@code useAffectedRows=true}), not found rows.
     * This probes a DataSource that cachet did not configure: an update that changes nothing
     * reports 0 in the right mode, 1 in the other, inside a transaction that is rolled back.
     */
    private void checkAffectedRows(Connection c, String table) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (cache_key, value, expires)"
                    + " VALUES (?, ?, 0) ON DUPLICATE KEY UPDATE expires = 0")) {
                ps.setString(1, PROBE_KEY);
                ps.setBytes(2, new byte[0]);
                ps.executeUpdate();
            }
            int reported;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET expires = 0 WHERE cache_key = ?")) {
                ps.setString(1, PROBE_KEY);
                reported = ps.executeUpdate();
            }
            if (reported != 0) {
                throw new IllegalArgumentException("cache '" + cacheName + "': the DataSource's MariaDB/MySQL connections"
                        + " report found rows, not affected rows; cachet's atomic add needs useAffectedRows=true in the"
                        + " JDBC URL or data source properties");
            }
        } finally {
            c.rollback();
            c.setAutoCommit(auto);
        }
    }

    // ---- Store ----

    @Override
    public long maxItemBytes() {
        return maxItemBytes;
    }

    @Override
    public byte[] get(String key) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return run("get", true, c -> sql.get(c, key, now));
    }

    @Override
    public boolean has(String key) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return run("hasKey", true, c -> sql.has(c, key, now));
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        List<String> distinct = distinct(keys);
        if (distinct.isEmpty()) {
            ensureOpen();
            return Map.of();
        }
        long now = clock.millis();
        int per = sql.maxKeysPerStatement();
        return run("getMany", true, c -> {
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
        ensureOpen();
        switch (mode) {
            case SET -> {
                maybeCull();
                run("set", true, c -> {
                    sql.set(c, key, value, expiresAt);
                    return null;
                });
                return true;
            }
            case ADD -> {
                maybeCull();
                long now = clock.millis();
                return run("add", false, c -> sql.add(c, key, value, expiresAt, now));
            }
            case REPLACE -> {
                long now = clock.millis();
                return run("replace", true, c -> sql.replace(c, key, value, expiresAt, now));
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
        ensureOpen();
        if (entries.isEmpty()) {
            return Set.of();
        }
        if (entries.size() == 1) {
            Map.Entry<String, byte[]> e = entries.entrySet().iterator().next();
            put(e.getKey(), e.getValue(), expiresAt, PutMode.SET);
            return Set.of();
        }
        List<List<Map.Entry<String, byte[]>>> batches = cut(entries);
        maybeCull();
        run("setMany", true, c -> {
            if (batches.size() == 1) {
                sql.setMany(c, batches.get(0), expiresAt);
                return null;
            }
            inTransaction(c, () -> {
                for (List<Map.Entry<String, byte[]>> batch : batches) {
                    sql.setMany(c, batch, expiresAt);
                }
            });
            return null;
        });
        return Set.of();
    }

    /** What a row of a multi-row upsert costs beyond its value and key: the deadline and the parameters' headers. */
    static final int ROW_OVERHEAD_BYTES = 32;

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
        return run("delete", false, c -> sql.delete(c, key, now));
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        List<String> distinct = distinct(keys);
        if (distinct.isEmpty()) {
            ensureOpen();
            return 0;
        }
        long now = clock.millis();
        int per = sql.maxKeysPerStatement();
        return run("deleteMany", false, c -> {
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
        return run("touch", true, c -> sql.touch(c, key, expiresAt, now));
    }

    @Override
    public long touchAndLength(String key, long expiresAt) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return run("touch", true, c -> sql.touchAndLength(c, key, expiresAt, now));
    }

    @Override
    public Long incr(String key, long delta) {
        Objects.requireNonNull(key, "key must not be null");
        long now = clock.millis();
        return run("incr", false, c -> sql.incr(c, key, delta, now));
    }

    /**
     * Deletes this cache's rows: those whose key starts with {@code key_prefix:} (all versions,
     * hashed keys and chunk pieces), or every row of the table when the prefix is empty or a
     * custom key function makes the key's shape unknown (as Django's clear does).
     */
    @Override
    public void clear() {
        run("clear", true, c -> sql.clear(c, clearPrefix));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (purger != null) {
            purger.shutdownNow();
            try {
                if (!purger.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("{}: the background thread did not stop within 5 s", where);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        return "JdbcStore[" + where + "]";
    }

    // ---- culling and purging ----

    /**
     * Culls, or has the background thread cull, per {@code cull_probability}: at 1, Django's
     * behaviour, before every write, inline for its first round (the rest of a big cull goes on
     * in the background); below 1, a drawn write hands the whole cull to the background thread
     * and goes on at once, so no write waits for the count. One cull at a time.
     */
    private void maybeCull() {
        double p = settings.cullProbability;
        if (p <= 0 || (p < 1 && ThreadLocalRandom.current().nextDouble() >= p) || !culling.compareAndSet(false, true)) {
            return;
        }
        Cull cull = new Cull();
        if (p >= 1) {
            if (cullRound(cull)) {
                culling.set(false);
                return;
            }
        }
        try {
            purger.execute(() -> {
                try {
                    while (!closed && !cullRound(cull)) {
                        // the next round, on a fresh connection
                    }
                } finally {
                    culling.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            culling.set(false); // closing
        }
    }

    /** Runs a round of {@code cull}; true when the cull is over (done, or failed and logged). */
    private boolean cullRound(Cull cull) {
        try {
            return run("cull", false, c -> cull.round(c, CULL_ROUND_DELETES));
        } catch (StoreException e) {
            LOG.warn("{}: culling failed, the write goes on: {}", where, e.getMessage());
            return true;
        }
    }

    /** The thread that culls and purges in the background, for tests to hold it up. */
    java.util.concurrent.Executor background() {
        return purger;
    }

    /**
     * Django's {@code _cull} (see the class comment), in rounds: the count and the number of
     * rows to delete are taken once, in the first round; each round deletes in at most a given
     * number of DELETEs and says whether the cull is done.
     */
    private final class Cull {
        private long count = -1;
        private boolean expiredGone;
        private long toDelete = -1;

        boolean round(Connection c, int deletes) throws SQLException {
            long max = settings.maxEntries;
            if (count < 0) {
                count = sql.count(c);
                if (count <= max) {
                    return true;
                }
            }
            long now = clock.millis();
            while (!expiredGone) {
                if (deletes-- == 0) {
                    return false;
                }
                int n = sql.deleteExpired(c, now, Sql.DELETE_BATCH);
                count -= n;
                expiredGone = n < Sql.DELETE_BATCH;
            }
            if (toDelete < 0) {
                if (count <= max) {
                    return true;
                }
                toDelete = settings.cullFrequency == 0 ? Long.MAX_VALUE
                        : Math.max(count / settings.cullFrequency, count - max);
            }
            while (toDelete > 0) {
                if (deletes-- == 0) {
                    return false;
                }
                int n = settings.cullFrequency == 0 ? sql.deleteAny(c, Sql.DELETE_BATCH)
                        : sql.deleteSoonestExpiring(c, (int) Math.min(toDelete, Sql.DELETE_BATCH));
                toDelete -= n;
                if (n < Sql.DELETE_BATCH && (settings.cullFrequency == 0 || n == 0)) {
                    return true;
                }
            }
            return true;
        }
    }

    /** The background purge: deletes expired rows in bounded batches until none are left. */
    void purgeExpired() {
        try {
            int total = 0;
            for (int n = Sql.DELETE_BATCH; n == Sql.DELETE_BATCH && !closed; ) {
                long now = clock.millis();
                n = run("purge", true, c -> sql.deleteExpired(c, now, Sql.DELETE_BATCH));
                total += n;
            }
            if (purgeFailing.getAndSet(false)) {
                LOG.info("{}: purging expired rows works again", where);
            }
            if (total > 0) {
                LOG.debug("{}: purged {} expired rows", where, total);
            }
            purgeRounds.incrementAndGet();
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            if (!purgeFailing.getAndSet(true)) {
                LOG.warn("{}: purging expired rows failed (retried every {}): {}", where, settings.purgeInterval, e.getMessage());
            } else {
                LOG.debug("{}: purging expired rows failed again", where, e);
            }
        }
    }

    /** The statements kept per connection, or null when each is prepared per use (for tests). */
    StatementCache statementCache() {
        return sql.statementCache();
    }

    /** How many background purges have completed (for tests). */
    long purgeRounds() {
        return purgeRounds.get();
    }

    // ---- running statements ----

    /** Work on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work inside a transaction. */
    @FunctionalInterface
    interface TransactionBody {
        void run() throws SQLException;
    }

    private <T> T run(String op, boolean idempotent, Work<T> work) {
        ensureOpen();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work);
            } catch (SQLException e) {
                boolean again = isRolledBackConflict(e) ? attempt < 3 : idempotent && attempt < 2 && isConnectionLoss(e);
                if (again && !closed) {
                    LOG.debug("{}: {} failed, retrying: {}", where, op, e.toString());
                    continue;
                }
                throw new StoreException(where + ": " + op + " failed: " + describe(e), e);
            }
        }
    }

    private <T> T attempt(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (ownedPool != null || c.getAutoCommit()) {
                StatementCache cache = sql.statementCache();
                if (cache == null) {
                    return work.run(c);
                }
                try {
                    return work.run(c);
                } catch (SQLException | RuntimeException | Error e) {
                    cache.discard(c);
                    throw e;
                }
            }
            // a caller's DataSource in manual-commit mode: each operation is its own transaction
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static void inTransaction(Connection c, TransactionBody body) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (auto) {
            c.setAutoCommit(false);
        }
        try {
            body.run();
            c.commit();
        } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            if (auto) {
                c.setAutoCommit(true);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("jdbc cache '" + cacheName + "' is closed");
        }
    }

    private static List<String> distinct(Collection<String> keys) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(keys));
        for (String k : out) {
            Objects.requireNonNull(k, "keys must not contain null");
        }
        return out;
    }

    // ---- classifying failures ----

    /** A deadlock or serialization failure: the database rolled the statement back, so it can run again. */
    static boolean isRolledBackConflict(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if ("40001".equals(state) || "40P01".equals(state) || s.getErrorCode() == 1213) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The connection broke (database restarted or unreachable), as opposed to the pool timing out. */
    static boolean isConnectionLoss(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return false; // HikariCP: no connection became available in time; trying again only doubles the wait
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == 1153) {
                return false; // MariaDB closed the connection because the statement exceeds max_allowed_packet: it would again
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                        || state.equals("57P03"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The driver's message and SQLState, abbreviated; never a value (none is ever in SQL text). */
    static String describe(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        if (m.length() > 400) {
            m = m.substring(0, 400) + "...";
        }
        return m + (e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t.getMessage();
    }

    private static boolean missingDriver(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Failed to get driver instance") || m.contains("No suitable driver"))) {
                return true;
            }
        }
        return false;
    }

    static String driverArtifact(Dialect dialect, String url) {
        return switch (dialect) {
            case POSTGRESQL -> "org.postgresql:postgresql";
            case MARIADB -> url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)
                    ? "com.mysql:mysql-connector-j (MariaDB Connector/J takes jdbc:mariadb: URLs, which reach MySQL too)"
                    : "org.mariadb.jdbc:mariadb-java-client";
            case SQLITE -> "org.xerial:sqlite-jdbc";
            case H2 -> "com.h2database:h2";
        };
    }
}
