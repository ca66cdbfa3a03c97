package dev.cachet.cli;

import dev.cachet.CacheConfig;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet ttl [--at] KEY}: how long {@code KEY}'s value stays readable, read from the
 * backend ({@link Store#expiresAt}); exit code 1 when it holds none, 3 when the backend cannot
 * tell.
 */
@Command(name = "ttl", mixinStandardHelpOptions = true,
        description = {"Print how long the value under KEY stays readable.",
            "Seconds left (with milliseconds, e.g. 299.874), or 'forever'; with --at, the deadline as an ISO-8601 "
                + "instant. The exit code is 1 when KEY holds no value, 3 when the backend cannot tell an entry's "
                + "deadline (memcached), or for a memory: cache, which lives inside one process."})
public final class TtlCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--at", description = "Print the deadline (an ISO-8601 instant, UTC) instead of the time left.")
    private boolean at;

    @Parameters(paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    public Integer call() {
        CacheConfig config = cache.config();
        if (CachetCommand.inProcess(config)) {
            root.io().err().println("cachet ttl: " + CachetCommand.IN_PROCESS_NOTE);
            return ExitCodes.FAILED;
        }
        String stored = Stores.storedKey(config, key);
        long deadline;
        try (Store s = root.openStore(config)) {
            deadline = s.expiresAt(stored);
        } catch (UnsupportedOperationException e) {
            root.io().err().println("cachet ttl: the " + config.scheme() + " backend cannot tell an entry's deadline");
            return ExitCodes.FAILED;
        }
        if (deadline == Store.NO_ENTRY) {
            root.io().err().println("cachet ttl: no value for key '" + key + "'");
            return ExitCodes.MISS;
        }
        if (deadline == Store.NEVER) {
            root.io().out().println("forever");
        } else if (at) {
            root.io().out().println(Instant.ofEpochMilli(deadline));
        } else {
            long left = Math.max(0, deadline - config.clock().millis());
            root.io().out().println(BigDecimal.valueOf(left, 3).toPlainString());
        }
        return ExitCodes.OK;
    }
}
