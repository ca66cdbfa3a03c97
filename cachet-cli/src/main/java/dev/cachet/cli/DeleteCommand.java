package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cachet delete KEY}: removes {@code KEY}; exit code 1 when it held no value. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Remove KEY.", "The exit code is 1 when KEY held no value (nothing was deleted)."})
public final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
        try (Cache c = root.open(cache.config())) {
            if (!c.delete(key)) {
                root.io().err().println("cachet delete: nothing deleted: key '" + key + "' held no value");
                return ExitCodes.MISS;
            }
            return ExitCodes.OK;
        }
    }
}
