package dev.cachet.cli.internal;

import dev.cachet.cli.bench.BenchListener;
import java.io.PrintWriter;

/**
 * A one-line progress indicator on stderr, rewritten in place with {@code \r} and erased when
 * the run ends. Lines are cut to fit a terminal of {@code $COLUMNS} (80 when unknown).
 */
public final class ProgressLine implements BenchListener {
    private final PrintWriter err;
    private final int columns;
    private int shown;

    /** A progress line on {@code err}. */
    public ProgressLine(PrintWriter err) {
        this.err = err;
        this.columns = columns();
    }

    /**
     * Whether to show progress for {@code mode} ({@code always}, {@code never}, or {@code auto}:
     * when stderr is a terminal, as the {@code ./cachet} launcher tells through
     * {@code CACHET_STDERR_TTY}, or else when the JVM has a console).
     */
    public static boolean enabled(String mode) {
        return switch (mode) {
            case "always" -> true;
            case "never" -> false;
            default -> {
                String tty = System.getenv("CACHET_STDERR_TTY");
                yield tty != null ? tty.equals("1") : System.console() != null;
            }
        };
    }

    @Override
    public void starting(int step, int steps, String target, String what) {
        String text = "bench [" + step + "/" + steps + "] " + target + " " + what;
        if (text.length() > columns - 1) {
            text = text.substring(0, columns - 4) + "...";
        }
        err.print("\r" + text + " ".repeat(Math.max(0, shown - text.length())));
        err.flush();
        shown = text.length();
    }

    @Override
    public void finished() {
        if (shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    private static int columns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").trim());
            return Math.max(20, c);
        } catch (NumberFormatException e) {
            return 80;
        }
    }
}
