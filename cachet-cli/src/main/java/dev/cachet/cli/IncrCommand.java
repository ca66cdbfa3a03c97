package dev.cachet.cli;

import dev.cachet.Cache;
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
 * under {@code KEY} and prints the result.
 */
@Command(name = "incr", mixinStandardHelpOptions = true,
        description = {"Add N to the integer under KEY and print the result.",
            "Atomic; the entry keeps its expiry. The exit code is 1 when KEY holds no value, 3 when its "
                + "value is not an integer (store one with 'cachet set --int KEY 0')."})
public final class IncrCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--by", paramLabel = "N", defaultValue = "1",
            description = "The amount to add; negative subtracts (default: ${DEFAULT-VALUE}).")
    private long by;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            root.io().out().println(c.incr(key, by));
            return ExitCodes.OK;
        }
    }
}
