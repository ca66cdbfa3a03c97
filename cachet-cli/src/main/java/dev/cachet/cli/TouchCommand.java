package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.cli.internal.TimeoutConverter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cachet touch [--timeout S] KEY}: gives {@code KEY}'s value a new expiry; exit code 1 when it holds none. */
@Command(name = "touch", mixinStandardHelpOptions = true,
        description = {"Give the value under KEY a new expiry, counted from now.",
            "The value is unchanged. The exit code is 1 when KEY holds no value."})
public final class TouchCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "default", converter = TimeoutConverter.class,
            description = "The new expiry: seconds (300, 0.5), a duration (500ms, 10s, 5m, 2h, 1d), forever, or "
                + "default (the cache's timeout option; the default). Zero or negative removes KEY, as in Django.")
    private Timeout timeout;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            if (!c.touch(key, timeout)) {
                root.io().err().println("cachet touch: key '" + key + "' holds no value");
                return ExitCodes.MISS;
            }
            return ExitCodes.OK;
        }
    }
}
