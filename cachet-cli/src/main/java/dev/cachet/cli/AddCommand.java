package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.cli.internal.ExitCodes;
import picocli.CommandLine.Command;

/**
 * {@code cachet add [--timeout S] [--int] KEY VALUE}: stores a value only when KEY holds none;
 * exit code 1 when it already held one (see {@link ValueCommand}).
 */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Store VALUE under KEY only if KEY holds no value.",
            "Atomic: among concurrent adds of one key exactly one stores. The exit code is 1 when KEY already held a "
                + "value (it is left as it was).", ValueCommand.WHAT_IS_STORED, ""})
public final class AddCommand extends ValueCommand {
    @Override
    int store(Cache c, Object value) {
        if (!c.add(key, value, timeout)) {
            root.io().err().println("cachet add: nothing stored: key '" + key + "' already holds a value");
            return ExitCodes.MISS;
        }
        return ExitCodes.OK;
    }
}
