package dev.cachet.cli;

import dev.cachet.CacheConfig;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet keys [--limit N]}: the cache's keys, one per line, sorted, where the backend can
 * list them ({@link Store#keys}): file, SQL and Redis; memcached cannot.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"List the cache's keys (at its version), one per line, sorted.",
            "Where the backend can list: file: (reads each entry file), jdbc: (reads the table by key range), redis: "
                + "(SCAN of the prefix's keys). Keys of other versions, and keys stored as a hash (longer than 250 "
                + "bytes or with spaces or control characters, and the pieces of large values), have no name to "
                + "print: a note on stderr counts them. The exit code is 3 where the backend cannot list "
                + "(memcached), or for a memory: cache, which lives inside one process."})
public final class KeysCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "Read at most N stored keys (default: ${DEFAULT-VALUE}).")
    private int limit;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must not be negative, not " + limit);
        }
        CacheConfig config = cache.config();
        PrintWriter err = root.io().err();
        if (CachetCommand.inProcess(config)) {
            err.println("cachet keys: " + CachetCommand.IN_PROCESS_NOTE);
            return ExitCodes.FAILED;
        }
        Optional<List<String>> stored;
        try (Store s = root.openStore(config)) {
            stored = s.keys(Stores.scope(config), limit == Integer.MAX_VALUE ? limit : limit + 1);
        }
        if (stored.isEmpty()) {
            err.println("cachet keys: the " + config.scheme() + " backend cannot list its keys");
            return ExitCodes.FAILED;
        }
        List<String> all = stored.get();
        boolean more = all.size() > limit;
        List<String> shown = new ArrayList<>();
        int unnamed = 0;
        for (String k : all.subList(0, Math.min(limit, all.size()))) {
            Optional<String> user = Stores.userKey(config, k);
            if (user.isPresent()) {
                shown.add(user.get());
            } else {
                unnamed++;
            }
        }
        Collections.sort(shown);
        PrintWriter out = root.io().out();
        shown.forEach(out::println);
        if (unnamed > 0) {
            err.println("cachet keys: " + unnamed + " more stored key" + (unnamed == 1 ? "" : "s")
                    + " of this cache without a name to print (hashed keys, pieces of large values, other versions)");
        }
        if (more) {
            err.println("cachet keys: stopped after " + limit + " stored keys (--limit); there are more");
        }
        return ExitCodes.OK;
    }
}
