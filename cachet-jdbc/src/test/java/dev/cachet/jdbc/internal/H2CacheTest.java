package dev.cachet.jdbc.internal;

import org.junit.jupiter.api.AfterEach;

/**
 * The contract suite on H2. Each test's entries are cleared after it: left to grow (every test
 * has its own prefix, and some write values of several megabytes), the file passed a few tens
 * of megabytes over some 350 pool openings and closings, and H2 2.3.232's MVStore then reported
 * it corrupted on the next open ("File corrupted while reading record ... Double mark"). The
 * README's H2 note says so.
 */
class H2CacheTest extends JdbcContractTest {
    @AfterEach
    void clearThisTestsEntries() {
        try {
            cache.clear();
        } catch (RuntimeException e) {
            // the test closed its cache
        }
    }

    @Override
    protected String jdbcUrl() {
        return Databases.h2Url("contract");
    }

    @Override
    protected String table() {
        return "ct_h2";
    }
}
