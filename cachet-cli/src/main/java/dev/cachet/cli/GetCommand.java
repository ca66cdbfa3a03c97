package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.Lookup;
import dev.cachet.UnreadableValue;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.CommandIo;
import dev.cachet.cli.internal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet get KEY}: prints the value of {@code KEY} on stdout; exit code 1 on a miss
 * (nothing on stdout, a note on stderr).
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print the value of KEY on stdout.",
            "A byte[] value is written as it is (no newline); any other value as its text and a newline "
                + "(a stored null prints 'null'). On a miss nothing is printed on stdout, a note goes to "
                + "stderr, and the exit code is 1. A value this command cannot decode (a class it does not "
                + "have or allow, another codec's entry) is described on stderr (codec, class, size), left in "
                + "place, and the exit code is 5."})
public final class GetCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
        CommandIo io = root.io();
        try (Cache c = root.open(cache.config())) {
            UnreadableValue before = Caches.lastUnreadable(c).orElse(null);
            Lookup<Object> found = c.lookup(key);
            UnreadableValue u = Caches.lastUnreadable(c).orElse(null);
            if (found.isMiss() && u != null && u != before) {
                io.err().println("cachet get: key '" + u.shownKey() + "' holds " + u.describe()
                        + "; this command cannot decode it (for a class of yours: --option codec_allow=... and the"
                        + " class on the class path); nothing was deleted");
                return ExitCodes.UNREADABLE;
            }
            if (found.isMiss()) {
                io.err().println("cachet get: no value for key '" + key + "'");
                return ExitCodes.MISS;
            }
            Object value = found.value();
            if (value instanceof byte[] bytes) {
                io.writeBytes(bytes);
            } else {
                io.out().println(value);
            }
            return ExitCodes.OK;
        }
    }
}
