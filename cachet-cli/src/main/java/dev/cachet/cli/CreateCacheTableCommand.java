package dev.cachet.cli;

import dev.cachet.CacheConfig;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.jdbc.CacheTable;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet createcachetable --cache jdbc:...}: Django's {@code createcachetable}, for one
 * location: creates the cache table (and its index) unless it exists, or with
 * {@code --dry-run} prints the SQL without connecting.
 */
@Command(name = "createcachetable", mixinStandardHelpOptions = true,
        description = {"Create the cache table of a jdbc: cache, unless it exists (as Django's createcachetable).",
            "A jdbc: location's query string belongs to the driver, so the table name and other cache options are"
                + " given with --table and --option."})
public final class CreateCacheTableCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Option(names = "--table", paramLabel = "NAME",
            description = "The table (the cache's table option; default " + CacheTable.DEFAULT_NAME + ").")
    private String table;

    @Option(names = "--unlogged", description = "PostgreSQL: create an UNLOGGED table (faster writes; emptied after a"
            + " crash, not replicated).")
    private boolean unlogged;

    @Option(names = "--dry-run", description = "Print the SQL instead of running it (no connection is made).")
    private boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CacheConfig.Builder b = CacheConfig.builder(cache.location()).options(cache.options());
        if (table != null) {
            b.option("table", table);
        }
        if (unlogged) {
            b.option("unlogged", true);
        }
        CacheConfig config = b.build();
        PrintWriter out = root.io().out();
        if (dryRun) {
            List<String> ddl = CacheTable.ddl(config);
            for (String statement : ddl) {
                out.println(statement + ";");
            }
            return ExitCodes.OK;
        }
        String name = config.option("table").orElse(CacheTable.DEFAULT_NAME);
        if (CacheTable.create(config)) {
            out.println("Cache table '" + name + "' created.");
        } else {
            out.println("Cache table '" + name + "' already exists.");
        }
        return ExitCodes.OK;
    }
}
