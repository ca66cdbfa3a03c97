package dev.cachet.testkit;

import dev.cachet.spi.Store;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The second process of {@link FileStoreTwoProcessTest}: opens the file store on a
 * directory and runs the worker side of the {@link TwoProcessRaces} on it.
 *
 * <pre>
 *   FileStoreWorker &lt;dir&gt; incr &lt;threads&gt; &lt;count&gt; &lt;key&gt;        count incrs of key per thread
 *   FileStoreWorker &lt;dir&gt; add  &lt;threads&gt; &lt;keys&gt;  &lt;tag&gt;        each thread adds add-0..add-(keys-1)
 * </pre>
 */
public final class FileStoreWorker {
    private FileStoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try (Store store = FileStoreTwoProcessTest.open(dir)) {
            TwoProcessRaces.warmUp(store, 1000);
            TwoProcessRaces.serve(store, args, 1, Duration.ofSeconds(60));
        }
    }
}
