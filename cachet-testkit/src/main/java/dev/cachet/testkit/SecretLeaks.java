package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Checks that a secret (a password written in a location or an option) appears in no message,
 * log line or exception chain: runs an action with {@code System.out} and {@code System.err}
 * captured (where the SLF4J simple binding the tests use writes its log lines), then looks for
 * the secret in what was printed and in every message, {@code toString} and printed stack
 * trace of the thrown exception, its causes and suppressed exceptions.
 */
public final class SecretLeaks {
    private SecretLeaks() {
    }

    /** An action that may throw anything. */
    @FunctionalInterface
    public interface Action {
        /** Runs the action. */
        void run() throws Throwable;
    }

    /** What an action left: the text it printed (log lines included) and what it threw, or null. */
    public record Outcome(String printed, Throwable thrown) {
        /** Everything the outcome shows: the printed text, then every exception's message and stack trace. */
        public String everything() {
            StringBuilder sb = new StringBuilder(printed);
            if (thrown != null) {
                StringWriter w = new StringWriter();
                thrown.printStackTrace(new PrintWriter(w));
                sb.append(w);
                walk(thrown, sb, new IdentityHashMap<>());
            }
            return sb.toString();
        }

        private static void walk(Throwable t, StringBuilder sb, Map<Throwable, Boolean> seen) {
            if (t == null || seen.put(t, true) != null) {
                return;
            }
            sb.append('\n').append(t.getMessage()).append('\n').append(t.getLocalizedMessage()).append('\n').append(t);
            walk(t.getCause(), sb, seen);
            for (Throwable s : t.getSuppressed()) {
                walk(s, sb, seen);
            }
        }
    }

    /** Runs {@code action} with the standard streams captured. */
    public static synchronized Outcome capture(Action action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Throwable thrown = null;
        System.setOut(capture);
        System.setErr(capture);
        try {
            action.run();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        capture.flush();
        return new Outcome(bytes.toString(StandardCharsets.UTF_8), thrown);
    }

    /**
     * Runs {@code action} and asserts that none of {@code secrets} appears in what it printed or
     * threw; returns the outcome for further checks (that it did fail, and how).
     */
    public static Outcome assertNoLeak(String what, Action action, String... secrets) {
        Outcome o = capture(action);
        String all = o.everything();
        for (String s : secrets) {
            assertThat(all).as("%s: the secret '%s' leaked into a message, log line or exception chain:%n%s", what, s, all)
                    .doesNotContain(s);
        }
        return o;
    }
}
