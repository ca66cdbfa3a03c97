-- The cachet cache table for SQLite. Replace ${table} with the table name (the cache's "table"
-- option, default cachet_cache). Keys compare as bytes (SQLite's BINARY collation).
-- value: the entry bytes. expires: epoch milliseconds of the cache's clock
-- (9223372036854775807 = never), indexed for purging expired rows.
CREATE TABLE IF NOT EXISTS ${table} (
    cache_key VARCHAR(255) NOT NULL PRIMARY KEY,
    value BLOB NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires);
