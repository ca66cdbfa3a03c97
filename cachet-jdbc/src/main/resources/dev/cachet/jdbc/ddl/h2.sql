-- The cachet cache table for H2 2.x. Replace ${table} with the table name (the cache's "table"
-- option, default cachet_cache). VALUE is a keyword in H2, so the column is quoted.
-- value: the entry bytes. expires: epoch milliseconds of the cache's clock
-- (9223372036854775807 = never), indexed for purging expired rows.
CREATE TABLE IF NOT EXISTS ${table} (
    cache_key VARCHAR(255) NOT NULL PRIMARY KEY,
    "VALUE" VARBINARY NOT NULL,
    expires BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table} (expires);
