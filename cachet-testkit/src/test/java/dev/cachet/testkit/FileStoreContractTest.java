package dev.cachet.testkit;

import dev.cachet.spi.Sha256;
import dev.cachet.spi.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.io.TempDir;

/** The Store contract on the file store; a key whose entry path is a directory cannot be written. */
class FileStoreContractTest extends StoreContractTest {
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

    @Override
    protected String unwritableKey(Store store, String prefix) throws Exception {
        String key = prefix + ":1:blocked";
        String file = HexFormat.of().formatHex(Sha256.digest(key.getBytes(StandardCharsets.UTF_8))) + ".cachet";
        Files.createDirectory(dir.resolve(file)).resolve("occupant").toFile().createNewFile();
        return key;
    }
}
