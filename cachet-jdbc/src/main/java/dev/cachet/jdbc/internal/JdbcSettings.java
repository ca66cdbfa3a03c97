package dev.cachet.jdbc.internal;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Secrets;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code jdbc:} options of one cache, parsed and checked once at open. Every bad value is an
 * {@link IllegalArgumentException} naming the cache, the option and the value.
 */
public final class JdbcSettings {
    /**
     * The option names the jdbc backend accepts besides the common ones: its own, and the
     * culling options {@link CacheConfig#CULLING_OPTIONS} ({@code max_entries},
     * {@code cull_frequency}).
     */
    public static final Set<String> OPTIONS = union(Set.of("table", "cull_probability", "purge_interval", "pool_size",
            "unlogged", "synchronous_commit", "connect_timeout", "socket_timeout", "create_table", "spin_wait"),
            CacheConfig.CULLING_OPTIONS);

    /** Options that configure the pool cachet creates, meaningless over a caller's own DataSource. */
    static final Set<String> POOL_OPTIONS = Set.of("pool_size", "connect_timeout", "socket_timeout", "synchronous_commit",
            "spin_wait");

    static final double DEFAULT_CULL_PROBABILITY = 0.01;
    static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofSeconds(60);
    static final int DEFAULT_POOL_SIZE = 8;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /**
     * PostgreSQL {@code synchronous_commit} for the cache's own connections: off. Measured on
     * PostgreSQL 15 (fsync on), sets through the cache: a logged table with it on ran ~9-12k
     * sets/s of 100 B (6k of 4 KiB); off, ~27-35k (16-17k), about what an UNLOGGED table does
     * either way (~28-33k; 15-20k). Off keeps the table crash-safe and replicated; a crash may
     * lose the last few hundred milliseconds of cache writes, which a cache can afford.
     */
    static final boolean DEFAULT_SYNCHRONOUS_COMMIT = false;

    final String cacheName;
    /** The cache table's name, checked by {@link CacheTable#checkName}. */
    public final String table;
    final double cullProbability;
    /** Zero when the background purge is off. */
    final Duration purgeInterval;
    final int poolSize;
    /** True when a PostgreSQL table cachet creates is UNLOGGED. */
    public final boolean unlogged;
    final boolean synchronousCommit;
    final boolean synchronousCommitGiven;
    final Duration connectTimeout;
    /** Zero for none. */
    final Duration socketTimeout;
    final boolean createTable;
    /**
     * Whether a PostgreSQL or MariaDB connection's caller polls briefly for a reply due soon
     * before it blocks in its read ({@code spin_wait}, default true; see {@link PollingSocketFactory}).
     */
    final boolean spinWait;
    final long maxEntries;
    final int cullFrequency;

    private JdbcSettings(CacheConfig config) {
        this.cacheName = config.name();
        // here, not only in the core: a cache over a DataSource would first report a missing table instead
        config.requireOptions(OPTIONS);
        String t = config.option("table").orElse(CacheTable.DEFAULT_NAME).trim();
        try {
            this.table = CacheTable.checkName(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cache '" + cacheName + "': option table: " + e.getMessage(), e);
        }
        this.cullProbability = config.doubleOption("cull_probability", DEFAULT_CULL_PROBABILITY, 0, 1);
        this.purgeInterval = config.durationOption("purge_interval", DEFAULT_PURGE_INTERVAL, true);
        this.poolSize = (int) config.longOption("pool_size", DEFAULT_POOL_SIZE, 1, 1000);
        this.unlogged = config.boolOption("unlogged", false);
        this.synchronousCommitGiven = config.option("synchronous_commit").isPresent();
        this.synchronousCommit = config.boolOption("synchronous_commit", DEFAULT_SYNCHRONOUS_COMMIT);
        this.connectTimeout = config.durationOption("connect_timeout", DEFAULT_CONNECT_TIMEOUT, false);
        if (connectTimeout.toMillis() < 250) {
            throw new IllegalArgumentException(err("connect_timeout", config.option("connect_timeout").orElse(""),
                    "must be at least 250 ms"));
        }
        this.socketTimeout = config.durationOption("socket_timeout", DEFAULT_SOCKET_TIMEOUT, true);
        this.createTable = config.boolOption("create_table", false);
        this.spinWait = config.boolOption("spin_wait", true);
        this.maxEntries = config.maxEntries();
        this.cullFrequency = config.cullFrequency();
    }

    /**
     * The settings of {@code config}, checked: every option name is common or jdbc's
     * ({@link CacheConfig#requireOptions}), every value valid.
     *
     * @throws IllegalArgumentException naming the cache, the option and the value, otherwise
     */
    public static JdbcSettings of(CacheConfig config) {
        return new JdbcSettings(config);
    }

    /** Refuses options that only make sense for a dialect other than {@code dialect}. */
    public void checkDialect(CacheConfig config, Dialect dialect) {
        if (dialect != Dialect.POSTGRESQL) {
            for (String o : new String[] {"unlogged", "synchronous_commit"}) {
                if (config.option(o).isPresent()) {
                    throw new IllegalArgumentException("cache '" + cacheName + "': option " + o
                            + " applies to PostgreSQL only, not to " + dialect.displayName());
                }
            }
        }
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MARIADB && config.option("spin_wait").isPresent()) {
            throw new IllegalArgumentException("cache '" + cacheName + "': option spin_wait applies to PostgreSQL and"
                    + " MariaDB/MySQL only (their connections are sockets), not to " + dialect.displayName());
        }
    }

    /** Refuses the pool options for a cache over a caller's own DataSource. */
    void checkNoPoolOptions(CacheConfig config) {
        for (String o : POOL_OPTIONS) {
            if (config.option(o).isPresent()) {
                throw new IllegalArgumentException("cache '" + cacheName + "': option " + o
                        + " configures the connection pool cachet creates for a jdbc: URL; a cache over your own"
                        + " DataSource uses that DataSource as it is configured");
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private String err(String option, String value, String problem) {
        return "cache '" + cacheName + "': option " + option + "='" + value + "' " + problem;
    }

    /** The JDBC URL of a {@code jdbc:} location; a clear error for any other or an empty one. */
    public static String jdbcUrl(CacheConfig config) {
        if (!config.scheme().equals("jdbc")) {
            throw new IllegalArgumentException("cache '" + config.name() + "': location '" + config.redactedLocation()
                    + "' is not a jdbc: location (e.g. jdbc:postgresql://host/db)");
        }
        if (config.target().isBlank()) {
            throw new IllegalArgumentException("cache '" + config.name() + "': location 'jdbc:' needs a JDBC URL,"
                    + " e.g. jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db, jdbc:sqlite:/path/cache.db,"
                    + " jdbc:h2:/path/cache");
        }
        String url = "jdbc:" + config.target();
        refuseCachetOptionsIn(config, url);
        return url;
    }

    /** Options of cachet's that a driver would take for its own, unused, if they were written in its URL. */
    private static final Set<String> NOT_FOR_THE_DRIVER = union(OPTIONS,
            Set.of("timeout", "key_prefix", "version", "on_error", "codec", "codec_allow", "compression", "max_item_bytes"));

    /**
     * Refuses a cachet option written in the JDBC URL's query string or {@code ;} parameters:
     * that part belongs to the driver, which would ignore it (or pass it on as a pragma), so the
     * cache would silently run without it.
     */
    private static void refuseCachetOptionsIn(CacheConfig config, String url) {
        int q = url.indexOf('?');
        int semi = url.indexOf(';');
        int from = q < 0 ? semi : semi < 0 ? q : Math.min(q, semi);
        if (from < 0) {
            return;
        }
        for (String part : url.substring(from + 1).split("[&;]")) {
            String name = part.split("=", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
            if (NOT_FOR_THE_DRIVER.contains(name)) {
                throw new IllegalArgumentException("cache '" + config.name() + "': option " + name + " is written in the"
                        + " JDBC URL, whose parameters belong to the driver (it would never reach cachet); give it beside"
                        + " the location instead: -o " + name + "=... on the command line, .option(\"" + name
                        + "\", ...) in code, or cachet.<cache>." + name + " in properties");
            }
        }
    }

    /**
     * One connection from {@link java.sql.DriverManager} to {@code url}, its credentials passed
     * as properties ({@link JdbcCredentials}) so that the driver never sees them in the URL.
     */
    public static java.sql.Connection connect(String url, dev.cachet.jdbc.Dialect dialect) throws java.sql.SQLException {
        JdbcCredentials c = JdbcCredentials.of(url, dialect);
        return java.sql.DriverManager.getConnection(c.url(), c.properties());
    }

    /**
     * {@code e}, or, when a message of {@code e} or of its causes repeats a secret of
     * {@code url} (drivers put the URL in "No suitable driver found for ..."), an exception of
     * the same message and SQL state with the secrets masked, its causes masked alike
     * ({@link Secrets}).
     */
    public static java.sql.SQLException scrub(java.sql.SQLException e, String url) {
        Secrets secrets = Secrets.ofLocation(url);
        if (!secrets.reveals(e)) {
            return e;
        }
        java.sql.SQLException s = new java.sql.SQLException(secrets.scrub(e.getMessage()), e.getSQLState(),
                e.getErrorCode(), e.getCause() == null ? null : secrets.scrub(e.getCause()));
        s.setStackTrace(e.getStackTrace());
        return s;
    }
}
