package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.cli.internal.ExitCodes;
import picocli.CommandLine.Command;

/** {@code cachet set [--timeout S] [--int] KEY VALUE}: stores a value (see {@link ValueCommand}). */
@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Store VALUE under KEY.", ValueCommand.WHAT_IS_STORED, ""})
public final class SetCommand extends ValueCommand {
    @Override
    int store(Cache c, Object value) {
        if (!c.set(key, value, timeout)) {
            root.io().err().println("cachet set: the cache did not store key '" + key + "'");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }
}
