package dev.cachet.jdbc;

import dev.cachet.CacheConfig;
import dev.cachet.jdbc.internal.JdbcSettings;
import dev.cachet.jdbc.internal.JdbcStore;
import dev.cachet.spi.BackendProvider;
import dev.cachet.spi.Store;
import java.util.Set;

/**
 * The {@code jdbc:} backend: a cache in one table of a SQL database (PostgreSQL, MariaDB/MySQL,
 * SQLite, H2), Django's {@code DatabaseCache} done right. The location is {@code jdbc:} and a
 * JDBC URL, e.g. {@code jdbc:postgresql://db:5432/app?user=app}; its query string belongs to the
 * driver, so cachet options are given as options (builder, properties file), not after
 * {@code ?}.
 *
 * <p>Options besides the common ones:
 * <ul>
 *   <li>{@code table}: the cache table (default {@value CacheTable#DEFAULT_NAME}); it must exist
 *       (see {@link CacheTable}, {@code cachet createcachetable}), or set
 *       {@code create_table=true} to create it at open.</li>
 *   <li>{@code max_entries} (default 300) and {@code cull_frequency} (default 3): the bound on
 *       the table's rows, culled by the rule every cachet store that culls shares
 *       ({@link dev.cachet.spi.Culling#toRemove}); {@code cull_probability}: the chance that a
 *       write first culls (default 0.01; 1 culls before every write, as Django).</li>
 *   <li>{@code purge_interval}: how often a background thread deletes expired rows (seconds or
 *       a duration such as {@code 500ms}, {@code 5m}, {@code 1d}; default 60 s; 0 turns it
 *       off).</li>
 *   <li>{@code pool_size} (default 8), {@code connect_timeout} (default 3 s),
 *       {@code socket_timeout} (default 30 s, 0 for none): the connection pool.</li>
 *   <li>PostgreSQL and MariaDB/MySQL: {@code spin_wait} (default true): a read by key
 *       ({@code get}, {@code hasKey}) polls its connection for the reply, for at most 200 µs and
 *       only while few callers wait, before it blocks in its read, as the Redis and memcached
 *       clients do (over pgjdbc and MariaDB Connector/J; a {@code jdbc:mysql:} URL's MySQL
 *       Connector/J reads as it always does).</li>
 *   <li>PostgreSQL only: {@code synchronous_commit} ({@code on}/{@code off}, default off for
 *       the cache's own connections) and {@code unlogged} (create an UNLOGGED table).</li>
 * </ul>
 * The pool is opened and the table checked when the cache opens: a missing table or driver is an
 * {@link IllegalArgumentException} saying what to do, a database that answers and refuses (a
 * wrong password) a {@link dev.cachet.spi.StoreException}. A database that does not answer
 * (refused, timed out, unknown host) does not fail the open, whatever {@code on_error} says:
 * the cache opens disconnected, its operations fail at once per the error policy, and the pool
 * and the table are set up in the background as soon as the database answers (see
 * {@link dev.cachet.spi.DeferredStore}; for MariaDB the item limit is then worked out from a
 * {@code max_allowed_packet} of 1 MiB, unless {@code max_item_bytes} is given). To use an application's own
 * {@code DataSource}, see {@link JdbcCaches}.
 */
public final class JdbcBackendProvider implements BackendProvider {
    /** For {@link java.util.ServiceLoader}. */
    public JdbcBackendProvider() {
    }

    @Override
    public Set<String> schemes() {
        return Set.of("jdbc");
    }

    /** {@link JdbcSettings#OPTIONS}: the options listed above, {@code max_entries} and {@code cull_frequency} included. */
    @Override
    public Set<String> options() {
        return JdbcSettings.OPTIONS;
    }

    @Override
    public Store open(CacheConfig config) {
        return JdbcStore.openOrDefer(config);
    }
}
