package dev.cachet.jdbc.internal;

import dev.cachet.CacheConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cachet.jdbc.Dialect;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The HikariCP pool cachet creates for a {@code jdbc:} URL: small (the {@code pool_size}
 * option, 8 by default), named after the cache, quick to give up on a database that is down
 * ({@code connect_timeout}, 3 s by default, for both a new connection and a free one), and with
 * each driver set up for the cache's statements:
 * <ul>
 *   <li>PostgreSQL: {@code synchronous_commit} per the option (off by default: a commit returns
 *       before its WAL record is flushed; a crash can lose the last few hundred milliseconds of
 *       cache writes, never consistency), set once per connection; and {@code statement_timeout}
 *       and {@code lock_timeout} a little under {@code socket_timeout}
 *       ({@link #serverBoundMillis}), so that a statement the client gives up on (a table lock,
 *       a stalled server) is abandoned by the server too, before the client's socket times out,
 *       instead of being applied after a newer write.</li>
 *   <li>MariaDB/MySQL: {@code useAffectedRows=true} (the add needs it), server-side prepared
 *       statements (the binary protocol sends values as raw bytes, not escaped text: a value
 *       of up to {@code max_allowed_packet} fits, and large values go 5x faster), cached per
 *       connection, and READ COMMITTED (fewer gap locks between racing upserts); and
 *       {@code max_statement_time} a little under {@code socket_timeout}, as for PostgreSQL.</li>
 *   <li>SQLite: WAL journal (readers do not block the writer), {@code synchronous=NORMAL}
 *       (in WAL mode a commit is not flushed to disk until a checkpoint: a power loss can lose
 *       the last commits, never corrupt the file; a cache trades that durability for speed),
 *       and a 10 s busy timeout so writers from several connections or processes wait for each
 *       other instead of failing (in process: there is no socket the client could give up on),
 *       waited out by a busy handler that retries every 50 µs to 1 ms ({@link SqliteConnections}),
 *       not by SQLite's own, whose sleeps grow to 25 ms and more.
 *       Each is a default only: {@code journal_mode}, {@code synchronous} or
 *       {@code busy_timeout} written in the URL ({@code jdbc:sqlite:/p/c.db?synchronous=FULL},
 *       any case) is used instead. An in-memory database gets a single connection (each
 *       connection would otherwise see its own empty database).</li>
 *   <li>H2: an in-memory database is kept until the JVM exits ({@code DB_CLOSE_DELAY=-1}),
 *       not dropped when the pool happens to close its last connection.</li>
 * </ul>
 * PostgreSQL and MariaDB connections ({@code jdbc:postgresql:}, {@code jdbc:mariadb:}) run over
 * {@link PollingSocketFactory}'s sockets unless {@code spin_wait=false} or the URL names a
 * {@code socketFactory} of its own: a read by key polls briefly for its reply instead of
 * blocking in its read at once.
 * A dropped connection (the database restarted) is discarded by HikariCP on its first error
 * and replaced; idle connections are validated before reuse.
 */
final class ConnectionPools {

    private ConnectionPools() {
    }

    static HikariDataSource create(String cacheName, String url, Dialect dialect, JdbcSettings s) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("cachet-" + cacheName);
        // the driver sees no secret in its URL, so none of its messages can repeat one
        JdbcCredentials credentials = JdbcCredentials.of(url, dialect);
        hc.setJdbcUrl(credentials.url());
        if (credentials.user() != null) {
            hc.setUsername(credentials.user());
        }
        if (credentials.password() != null) {
            hc.setPassword(credentials.password());
        }
        int size = s.poolSize;
        if (dialect == Dialect.SQLITE && isSqliteMemory(url)) {
            size = 1;
        }
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(size);
        hc.setAutoCommit(true);
        long connectMillis = s.connectTimeout.toMillis();
        hc.setConnectionTimeout(connectMillis);
        hc.setValidationTimeout(Math.max(250, Math.min(connectMillis - 1, 1000)));
        // fail at open when the database cannot be reached (StoreOpener.openOrDefer then connects in the background)
        hc.setInitializationFailTimeout(connectMillis);
        Properties p = new Properties();
        int connectSeconds = (int) Math.max(1, (connectMillis + 999) / 1000);
        long socketMillis = s.socketTimeout.toMillis();
        long serverMillis = serverBoundMillis(socketMillis);
        // a SQLite URL's own settings, read once: its pragmas win over our defaults, and its busy_timeout is kept
        Map<String, String> sqliteSettings = dialect == Dialect.SQLITE ? urlSettings(url) : Map.of();
        switch (dialect) {
            case POSTGRESQL -> {
                p.setProperty("connectTimeout", Integer.toString(connectSeconds));
                p.setProperty("loginTimeout", Integer.toString(connectSeconds));
                p.setProperty("socketTimeout", Long.toString((socketMillis + 999) / 1000));
                p.setProperty("tcpKeepAlive", "true");
                p.setProperty("ApplicationName", "cachet-" + cacheName);
                hc.setConnectionInitSql("SET synchronous_commit = " + (s.synchronousCommit ? "on" : "off")
                        + (serverMillis > 0 ? "; SET statement_timeout = " + serverMillis + "; SET lock_timeout = " + serverMillis : ""));
            }
            case MARIADB -> {
                p.setProperty("useAffectedRows", "true");
                p.setProperty("useServerPrepStmts", "true");
                p.setProperty("cachePrepStmts", "true");
                p.setProperty("prepStmtCacheSize", "250");
                p.setProperty("connectTimeout", Long.toString(connectMillis));
                p.setProperty("socketTimeout", Long.toString(socketMillis));
                p.setProperty("tcpKeepAlive", "true");
                hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
                if (serverMillis > 0) {
                    // seconds, with microseconds; it ends lock waits too (the statement is killed)
                    hc.setConnectionInitSql("SET SESSION max_statement_time = " + String.format(Locale.ROOT, "%.3f",
                            serverMillis / 1000.0));
                }
            }
            case SQLITE -> {
                // the driver lets a property win over the same pragma in the URL: set ours only where the URL is silent
                Set<String> given = sqliteSettings.keySet();
                if (!isSqliteMemory(url) && !given.contains("journal_mode")) {
                    p.setProperty("journal_mode", "WAL");
                }
                if (!given.contains("synchronous")) {
                    p.setProperty("synchronous", "NORMAL");
                }
                if (!given.contains("busy_timeout")) {
                    p.setProperty("busy_timeout", Long.toString(SQLITE_BUSY_MILLIS));
                }
            }
            case H2 -> {
                String u = url.toUpperCase(Locale.ROOT);
                if (u.startsWith("JDBC:H2:MEM:") && !u.contains("DB_CLOSE_DELAY")) {
                    p.setProperty("DB_CLOSE_DELAY", "-1");
                }
            }
        }
        if (s.spinWait && takesPollingSockets(credentials.url())) {
            p.setProperty("socketFactory", PollingSocketFactory.class.getName());
        }
        if (dialect == Dialect.SQLITE) {
            // our own connections, each with a busy handler that retries at short intervals (see SqliteConnections)
            String timeout = sqliteSettings.get("busy_timeout");
            long busyMillis = timeout == null ? SQLITE_BUSY_MILLIS : parseMillis(timeout, url);
            hc.setJdbcUrl(null);
            hc.setDataSource(new SqliteConnections(credentials.url(), p, busyMillis));
        } else {
            hc.setDataSourceProperties(p);
        }
        return new HikariDataSource(hc);
    }

    /**
     * The server-side bound of a statement on a pool whose client gives up after
     * {@code socketMillis} (0: never): a little under it, so the server abandons a statement
     * (a lock wait included) before the client does, and a statement the client reports as
     * failed is never applied later. The margin is a tenth of the timeout, between 100 ms and
     * 1 s; 0 for no bound.
     */
    static long serverBoundMillis(long socketMillis) {
        if (socketMillis <= 0) {
            return 0;
        }
        return Math.max(1, socketMillis - Math.max(100, Math.min(1000, socketMillis / 10)));
    }

    /**
     * Whether the driver of {@code url} is one that takes a {@code javax.net.SocketFactory} by
     * class name (pgjdbc for {@code jdbc:postgresql:}, MariaDB Connector/J for
     * {@code jdbc:mariadb:}; MySQL Connector/J's {@code socketFactory} is an interface of its
     * own) and the URL names no factory of its own.
     */
    static boolean takesPollingSockets(String url) {
        boolean driver = url.regionMatches(true, 0, "jdbc:postgresql:", 0, 16) || url.regionMatches(true, 0, "jdbc:mariadb:", 0, 13);
        return driver && !urlSettings(url).containsKey("socketfactory");
    }

    /** How long a SQLite writer waits for a locked database unless the URL says ({@code busy_timeout}). */
    static final long SQLITE_BUSY_MILLIS = 10_000;

    /**
     * The settings in a URL's query string ({@code ?journal_mode=DELETE&...}): names lower case,
     * values as written (empty for a name without {@code =}).
     */
    static Map<String, String> urlSettings(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return Map.of();
        }
        Map<String, String> settings = new HashMap<>();
        for (String part : url.substring(q + 1).split("&")) {
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty()) {
                settings.put(name, eq < 0 ? "" : part.substring(eq + 1).trim());
            }
        }
        return settings;
    }

    private static long parseMillis(String value, String url) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("busy_timeout in " + redact(url) + " must be milliseconds, not '" + value + "'");
        }
    }

    static boolean isSqliteMemory(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.equals("jdbc:sqlite:") || u.startsWith("jdbc:sqlite::memory:") || u.contains("mode=memory");
    }

    /** {@code url} with passwords and user info masked, for messages. */
    static String redact(String url) {
        return CacheConfig.redact(url);
    }
}
