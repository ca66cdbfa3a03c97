package dev.cachet.jdbc;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.jdbc.internal.JdbcStore;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Caches over an application's own {@link DataSource} (its pool, its credentials, its
 * transaction settings) instead of a pool cachet creates from a URL.
 *
 * <pre>
 * Cache cache = JdbcCaches.open(CacheConfig.builder("jdbc:").name("db").option("table", "app_cache").build(), dataSource);
 * </pre>
 * The location must be {@code jdbc:} (anything after it is ignored); the dialect is read from
 * the connection's metadata. All {@code jdbc:} options apply except those of the pool cachet
 * would create ({@code pool_size}, {@code connect_timeout}, {@code socket_timeout},
 * {@code synchronous_commit}), which are refused. Each operation borrows one connection; on a
 * connection in manual-commit mode it commits (or rolls back) its own work. For MariaDB/MySQL
 * the connections must report affected rows ({@code useAffectedRows=true}; checked at open),
 * and values are limited to half of {@code max_allowed_packet} per piece, since the text
 * protocol may escape every byte. Closing the cache leaves the DataSource open.
 */
public final class JdbcCaches {
    private JdbcCaches() {
    }

    /**
     * Opens a cache stored in the cache table of {@code dataSource}.
     *
     * @throws IllegalArgumentException for a bad option, a missing table, or an unsupported database
     * @throws dev.cachet.spi.StoreException when the database cannot be reached
     */
    public static Cache open(CacheConfig config, DataSource dataSource) {
        Objects.requireNonNull(config, "config must not be null");
        Objects.requireNonNull(dataSource, "dataSource must not be null");
        return Caches.open(config, JdbcStore.open(config, dataSource));
    }
}
