-- The cachet cache table for PostgreSQL, UNLOGGED: writes skip the write-ahead log (faster),
-- but the table is emptied after a crash and is not replicated to standbys. Replace ${table}
-- with the table name (the cache's "table" option, default cachet_cache).
CREATE UNLOGGED TABLE IF NOT EXISTS ${table} (
    cache_key VARCHAR(255) COLLATE "C" NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires);
