-- The cachet cache table for MariaDB and MySQL (InnoDB). Replace ${table} with the table name
-- (the cache's "table" option, default cachet_cache); Flyway substitutes ${table} as a placeholder.
-- cache_key: utf8mb4 with a binary collation, so keys are case-sensitive and hold any Unicode.
-- value: the entry bytes. expires: epoch milliseconds of the cache's clock
-- (9223372036854775807 = never), indexed for purging expired rows.
CREATE TABLE IF NOT EXISTS ${table} (
    cache_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
    value LONGBLOB NOT NULL,
    expires BIGINT NOT NULL,
    INDEX ${table}_expires (expires)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
