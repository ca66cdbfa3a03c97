package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.cli.internal.TimeoutConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cachet set [--timeout S] [--int] KEY VALUE}: stores a value. A VALUE given on the
 * command line is stored as a {@code String}; {@code -} reads stdin and stores its bytes as a
 * {@code byte[]} (so values of any size and content pass); {@code --int} stores a
 * {@code Long} that {@code incr} can count.
 */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Store VALUE under KEY.",
            "",
            "What is stored:",
            "* VALUE given on the command line: a String. It must be valid text; to store arbitrary "
                + "bytes, pipe them in with VALUE '-'.",
            "* VALUE '-': standard input, read to its end, stored as a byte[] exactly as read (any size, "
                + "any bytes; 'cachet get' prints them back unchanged).",
            "* With --int: a Long (VALUE, or standard input with '-', as a decimal integer), which incr "
                + "can count.",
            ""})
public final class SetCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "default", converter = TimeoutConverter.class,
            description = "How long the value stays readable: seconds (300, 0.5), a duration (500ms, 10s, "
                + "5m, 2h, 1d), forever, or default (the cache's timeout option; the default). Zero or "
                + "negative stores nothing readable (it removes KEY), as in Django.")
    private Timeout timeout;

    @Option(names = "--int", description = "Store VALUE as an integer (a Long) that incr can count.")
    private boolean integer;

    @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
    private String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value, or '-' to read it from standard input.")
    private String value;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            Object v = value();
            if (!c.set(key, v, timeout)) {
                root.io().err().println("cachet set: the cache did not store key '" + key + "'");
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
    }

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
