package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.TimeoutConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code cachet set} and {@code cachet add} share: {@code [--timeout S] [--int] KEY VALUE}.
 * A VALUE given on the command line is stored as a {@code String}; {@code -} reads stdin and
 * stores its bytes as a {@code byte[]} (so values of any size and content pass); {@code --int}
 * stores a {@code Long} that {@code incr} can count. Subclasses say how the value is stored.
 */
abstract class ValueCommand implements Callable<Integer> {
    /** The help shared by set and add: what is stored. */
    static final String WHAT_IS_STORED = "%nWhat is stored:%n"
            + "* VALUE given on the command line: a String. It must be valid text; to store arbitrary bytes, pipe them in "
            + "with VALUE '-'.%n"
            + "* VALUE '-': standard input, read to its end, stored as a byte[] exactly as read (any size, any bytes; "
            + "'cachet get' prints them back unchanged).%n"
            + "* With --int: a Long (VALUE, or standard input with '-', as a decimal integer), which incr and decr can "
            + "count. Text that looks like a number is still text: incr refuses it.";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "default", converter = TimeoutConverter.class,
            description = "How long the value stays readable: seconds (300, 0.5), a duration (500ms, 10s, "
                + "5m, 2h, 1d), forever, or default (the cache's timeout option; the default). Zero or "
                + "negative stores nothing readable (it removes KEY), as in Django.")
    Timeout timeout;

    @Option(names = "--int", description = "Store VALUE as an integer (a Long) that incr can count.")
    private boolean integer;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value, or '-' to read it from standard input.")
    private String value;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            return store(c, value());
        }
    }

    /** Stores {@code value} under {@link #key} in {@code c}; returns the exit code. */
    abstract int store(Cache c, Object value);

    private Object value() {
        if (value.equals("-")) {
            byte[] bytes = readStdin();
            return integer ? parseInteger(new String(bytes, StandardCharsets.UTF_8)) : bytes;
        }
        if (integer) {
            return parseInteger(value);
        }
        if (value.indexOf('\uFFFD') >= 0) {
            throw new ParameterException(spec.commandLine(), "VALUE holds bytes that are not valid text (command-line"
                    + " arguments are read as " + System.getProperty("sun.jnu.encoding")
                    + "); pipe them in with VALUE '-' to store them as bytes");
        }
        return value;
    }

    private Long parseInteger(String text) {
        String t = text.strip();
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            String shown = t.length() > 40 ? t.substring(0, 40) + "..." : t;
            throw new ParameterException(spec.commandLine(), "VALUE '" + shown + "' is not an integer between "
                    + Long.MIN_VALUE + " and " + Long.MAX_VALUE + " (--int)");
        }
    }

    private byte[] readStdin() {
        try {
            return root.io().in().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the value from standard input: " + e.getMessage(), e);
        }
    }
}
