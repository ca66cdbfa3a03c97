package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.NotAnIntegerException;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet incr KEY [--by N]}: adds {@code N} (default 1, may be negative) to the integer
 * under {@code KEY} and prints the result. {@link DecrCommand} subtracts.
 */
@Command(name = "incr", mixinStandardHelpOptions = true,
        description = {"Add N to the integer under KEY and print the result.",
            "Atomic; the entry keeps its expiry. The exit code is 1 when KEY holds no value, 3 when its "
                + "value is not an integer (store one with 'cachet set --int KEY 0'; text that looks like a "
                + "number, as 'cachet set KEY 5' stores, is text)."})
public class IncrCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--by", paramLabel = "N", defaultValue = "1",
            description = "The amount to add; negative subtracts (default: ${DEFAULT-VALUE}).")
    private long by;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    /** The sign of {@code --by}: 1 for incr, -1 for decr. */
    int sign() {
        return 1;
    }

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            long result;
            try {
                result = sign() > 0 ? c.incr(key, by) : c.decr(key, by);
            } catch (NotAnIntegerException e) {
                throw explained(c, key, e);
            }
            root.io().out().println(result);
            return ExitCodes.OK;
        }
    }

    /**
     * {@code e}, or when the value is text that reads as an integer (stored by {@code cachet set
     * KEY 5}), an exception whose message says to store it with {@code set --int}.
     */
    static NotAnIntegerException explained(Cache c, String key, NotAnIntegerException e) {
        Object v;
        try {
            v = c.get(key);
        } catch (RuntimeException ignored) {
            return e;
        }
        if (v instanceof String text && text.strip().matches("[+-]?[0-9]{1,19}")) {
            NotAnIntegerException x = new NotAnIntegerException(e.getMessage() + ": it holds the text '" + text
                    + "', which only looks like a number; store it as an integer with 'cachet set --int "
                    + key + " " + text.strip() + "'");
            x.initCause(e);
            return x;
        }
        return e;
    }
}
