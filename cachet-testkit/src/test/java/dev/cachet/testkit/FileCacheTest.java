package dev.cachet.testkit;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the file backend, in a fresh directory per test. */

class FileCacheTest extends CacheContractTest {
    @TempDir
    Path dir;

    @Override
    protected String location() {
        return "file:" + dir;
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
