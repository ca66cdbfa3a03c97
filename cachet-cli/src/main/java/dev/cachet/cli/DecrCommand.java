package dev.cachet.cli;

import picocli.CommandLine.Command;

/** {@code cachet decr KEY [--by N]}: subtracts {@code N} (default 1) from the integer under {@code KEY}. */
@Command(name = "decr", mixinStandardHelpOptions = true,
        description = {"Subtract N from the integer under KEY and print the result.",
            "Atomic; the entry keeps its expiry. The exit code is 1 when KEY holds no value, 3 when its "
                + "value is not an integer (store one with 'cachet set --int KEY 0')."})
public final class DecrCommand extends IncrCommand {
    @Override
    int sign() {
        return -1;
    }
}
