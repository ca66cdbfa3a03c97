package dev.cachet.testkit;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on two-level caches over one shared directory: every cache a test opens has
 * its own local level, and they meet on one in-process channel, so a write through one is
 * seen by the others at once, as on one level.
 */
class TwoLevelFileCacheTest extends CacheContractTest {
    @TempDir
    Path dir;

    @Override
    protected String location() {
        return "file:" + dir;
    }

    @Override
    protected Cache createCache(CacheConfig.Builder config) {
        return TwoLevel.over(Caches.open(config.build())).backplane("memory:?channel=" + dir)
                .localTimeout(Duration.ofMinutes(10)).clock(testClock).build();
    }

    /**
     * Replaces the codec check that every read is a fresh copy: the shared level stores a copy,
     * but the local level hands every reader the object it read (see {@link TwoLevel}).
     */
    @Override
    @Test
    void storedValuesAreCopiesIsolatedFromTheCaller() {
        List<String> list = new ArrayList<>(List.of("a"));
        cache.set("list", list);
        list.add("b");
        Object read = cache.get("list");
        assertThat(read).isEqualTo(List.of("a")).isNotSameAs(list);
        assertThat(cache.get("list")).as("the local copy").isSameAs(read);
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }
}
