package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.cli.internal.ExitCodes;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cachet get} of a value the command cannot decode: described, left in place, exit code 5. */
class GetUnreadableValueTest {
    /** An application's value class, allowed by the application's cache but not by the command's. */
    record Invoice(String number, long cents) implements Serializable {
    }

    @TempDir
    Path dir;

    @Test
    void aValueOfAClassTheCommandDoesNotAllowIsDescribedAndKept() throws Exception {
        String app = "file:" + dir + "?codec_allow=" + Invoice.class.getName();
        Invoice invoice = new Invoice("F-2024-001", 12_500);
        try (Cache c = Caches.open(app)) {
            assertThat(c.set("invoice", invoice)).isTrue();
        }
        long files = countFiles();
        try (Cli cli = Cli.real()) {
            Cli.Run r = cli.run("get", "--cache", "file:" + dir, "invoice");
            assertThat(r.code()).isEqualTo(ExitCodes.UNREADABLE).isEqualTo(5);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).contains("cachet get: key 'invoice' holds a " + Invoice.class.getName() + " (codec compact, ")
                    .contains(" bytes)").contains("nothing was deleted").doesNotContain("was deleted (");
            assertThat(countFiles()).as("the entry is still on disk").isEqualTo(files);

            Cli.Run allowed = cli.run("get", "--cache", "file:" + dir, "-o", "codec_allow=" + Invoice.class.getName(),
                    "invoice");
            assertThat(allowed.code()).isZero();
            assertThat(allowed.out()).isEqualTo(invoice + System.lineSeparator());

            Cli.Run missing = cli.run("get", "--cache", "file:" + dir, "nothing-here");
            assertThat(missing.code()).isEqualTo(ExitCodes.MISS);
        }
        try (Cache c = Caches.open(app)) {
            assertThat(c.get("invoice")).as("the application still reads it").isEqualTo(invoice);
        }
    }

    private long countFiles() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
