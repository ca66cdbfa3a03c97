package dev.cachet.internal;

import dev.cachet.spi.Secrets;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failure log: one WARN line per burst, no stack trace at WARN, secrets masked, keys escaped. */
class FailureLogTest {
    private static String captured(Runnable r) {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBurstOfFailuresIsOneWarnLineWithoutStackOrSecret() {
        FailureLog log = new FailureLog("c", Secrets.ofLocation("redis://:pw-9f3@db.example:6379"));
        String out = captured(() -> {
            for (int i = 0; i < 50; i++) {
                log.backendFailure("get", new IllegalStateException("cannot reach :pw-9f3@db.example",
                        new RuntimeException("inner pw-9f3")));
            }
        });
        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("WARN").contains("cache 'c': get failed: java.lang.IllegalStateException: cannot reach"
                + " :***@db.example").doesNotContain("pw-9f3");
        assertThat(log.backendFailures()).isEqualTo(50);
    }

    @Test
    void aCorruptEntryNamesTheKeyEscapedOnOneLine() {
        FailureLog log = new FailureLog("c");
        KeyPolicy keys = new KeyPolicy("c", "app", null, false);
        String out = captured(() -> log.decodeFailure(keys.shown("app:1:evil\r\n[main] WARN forged"),
                new IllegalStateException("truncated")));
        assertThat(out.lines().toList()).hasSize(1);
        assertThat(out).contains("entry 'evil\\r\\n[main] WARN forged' is corrupt and was deleted");
    }

    @Test
    void secretsAreMaskedInTheWholeExceptionChain() {
        Secrets s = Secrets.ofLocation("jdbc:mariadb://root:s3cret@h:3306/db?password=other%21");
        Exception e = new RuntimeException("Incorrect port value : s3cret@h", new IllegalStateException("other!"));
        e.addSuppressed(new IllegalArgumentException("other%21 again"));
        Throwable t = s.scrub(e);
        assertThat(t.toString()).isEqualTo("java.lang.RuntimeException: Incorrect port value : ***@h");
        assertThat(t.getCause().toString()).isEqualTo("java.lang.IllegalStateException: ***");
        assertThat(t.getSuppressed()[0].getMessage()).isEqualTo("*** again");
        assertThat(t.getStackTrace()).isEqualTo(e.getStackTrace());
        Exception clean = new RuntimeException("nothing secret");
        assertThat(s.scrub(clean)).isSameAs(clean);
    }
}
