package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CacheConfig;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * incr and add across two processes sharing one directory: this JVM and a second one running
 * {@link FileStoreWorker} (the {@link TwoProcessRaces}). Here rather than in cachet-core, whose
 * tests cannot use the testkit; the store is opened through the public SPI ({@link Stores}).
 */
class FileStoreTwoProcessTest {
    private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** The file store on {@code dir} both processes open, through the public SPI. */
    static Store open(Path dir) {
        return Stores.open(CacheConfig.builder("file:" + dir).option("max_entries", 1_000_000).build());
    }

    private Store store() {
        return open(dir);
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void incrsFromTwoProcessesAreAtomic() throws Exception {
        try (Store store = store()) {
            TwoProcessRaces.incrs(store, 4, 500, THREAD_TIMEOUT, FileStoreWorker.class, dir.toString());
            assertThat(tempFiles()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exactlyOneAddWinsAcrossTwoProcesses() throws Exception {
        try (Store store = store()) {
            TwoProcessRaces.adds(store, 4, 200, THREAD_TIMEOUT, FileStoreWorker.class, dir.toString());
        }
    }

    private List<String> tempFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".cachet-tmp-")).sorted()
                    .toList();
        }
    }
}
