package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.testkit.TwoProcessRaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * incr and add across two processes sharing one directory: this JVM and a second one running
 * {@link FileStoreWorker} (the {@link TwoProcessRaces}). Here rather than in cachet-core, whose
 * tests cannot use the testkit; in FileStore's package for its package-private constructor.
 */
class FileStoreTwoProcessTest {
    private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private FileStore store() {
        return new FileStore(dir, 1_000_000, 3, Clock.systemUTC(), Integer.MAX_VALUE);
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void incrsFromTwoProcessesAreAtomic() throws Exception {
        try (FileStore store = store()) {
            TwoProcessRaces.incrs(store, 4, 500, THREAD_TIMEOUT, FileStoreWorker.class, dir.toString());
            assertThat(tempFiles()).isEmpty();
        }
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void exactlyOneAddWinsAcrossTwoProcesses() throws Exception {
        try (FileStore store = store()) {
            TwoProcessRaces.adds(store, 4, 200, THREAD_TIMEOUT, FileStoreWorker.class, dir.toString());
        }
    }

    private List<String> tempFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(FileStore.TEMP_PREFIX)).sorted()
                    .toList();
        }
    }
}
