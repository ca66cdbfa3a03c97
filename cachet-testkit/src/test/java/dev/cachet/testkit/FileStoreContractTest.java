package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.Sha256;
import dev.cachet.spi.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Store contract on the file store; a key whose entry path is a directory cannot be
 * written. After every test the directory holds entries and the lock file only: no write left
 * a temp file behind.
 */
class FileStoreContractTest extends StoreContractTest {
    @TempDir
    Path dir;

    @AfterEach
    void noWriteLeftATempFile() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).allMatch(n -> n.equals(".cachet-lock") || n.matches("[0-9a-f]{64}\\.cachet"),
                    "an entry's file or the lock file");
        }
    }

    @Override
    protected String location() {
        return "file:" + dir;
    }

    @Override
    protected TestClock clock() {
        return testClock;
    }

    @Override
    protected String unwritableKey(Store store, String prefix) throws Exception {
        String key = prefix + ":1:blocked";
        String file = HexFormat.of().formatHex(Sha256.digest(key.getBytes(StandardCharsets.UTF_8))) + ".cachet";
        Files.createDirectory(dir.resolve(file)).resolve("occupant").toFile().createNewFile();
        return key;
    }
}
