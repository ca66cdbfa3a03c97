package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code cachet clear}: removes every entry of the cache. */
@Command(name = "clear", mixinStandardHelpOptions = true,
        description = {"Remove every entry of the cache.",
            "Every version of the cache's key prefix; entries of other prefixes stay. With a custom key_function"
                + " (keys of unknown shape) it empties the whole store the location names, as Django's clear does."})
public final class ClearCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            c.clear();
            return ExitCodes.OK;
        }
    }
}
