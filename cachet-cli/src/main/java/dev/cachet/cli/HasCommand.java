package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cachet has KEY}: exit code 0 when {@code KEY} holds a value, 1 when not; prints nothing. */
@Command(name = "has", mixinStandardHelpOptions = true,
        description = {"Tell by the exit code whether KEY holds a value: 0 yes, 1 no. Prints nothing.",
            "For shell conditions: if cachet has --cache file:/var/tmp/c KEY; then ... fi"})
public final class HasCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            return c.hasKey(key) ? ExitCodes.OK : ExitCodes.MISS;
        }
    }
}
