package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet clear}: removes this cache's entries, as {@link Cache#clear()} does: the keys of
 * its prefix, not the whole store (unless a custom key function or {@code flush_on_clear} says
 * so).
 */
@Command(name = "clear", mixinStandardHelpOptions = true,
        description = {"Remove this cache's entries: every key of its key_prefix (every version, and the pieces of "
                + "large values).",
            "Other caches sharing the backend, with other prefixes, keep theirs: on jdbc: the other rows of the table "
                + "stay, on file: the other files of the directory, on redis: the other keys of the database; on "
                + "memcached the prefix's key generation is moved on, so its keys can no longer be read and the "
                + "servers reclaim them as they need room. Two cases empty the whole store the location names, as "
                + "Django's clear always does: a custom key_function (its keys have no known shape), and "
                + "flush_on_clear=true on redis: (FLUSHDB) or memcached (flush_all on every server), for a store "
                + "that holds this cache alone. A memory: cache lives in this command's process only."})
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
