-- The cachet cache table for PostgreSQL. Replace ${table} with the table name (the cache's
-- "table" option, default cachet_cache); Flyway substitutes ${table} as a placeholder.
-- cache_key: the stored key (at most 250 UTF-8 bytes); COLLATE "C" compares bytes, so keys are
-- case-sensitive and a key-prefix range scan (clear) uses the primary key index.
-- value: the entry bytes. expires: epoch milliseconds of the cache's clock
-- (9223372036854775807 = never), indexed for purging expired rows.
CREATE TABLE IF NOT EXISTS ${table} (
    cache_key VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires);
