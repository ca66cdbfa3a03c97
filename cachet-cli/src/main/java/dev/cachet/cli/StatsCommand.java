package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Timeout;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreStats;
import dev.cachet.spi.Stores;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet stats}: what is known of a cache: its location, scheme and the settings in
 * effect (only the options its backend uses), then live figures measured now from the backend
 * ({@link Store#stats}): this cache's entries and their bytes where the backend can count them,
 * and the backend's own figures (a table's rows and size, a Redis database's keys, each
 * memcached node's state and counters, a directory's files). A figure the backend cannot know
 * says "unknown" and why; nothing is estimated.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print what is known of the cache: its settings and live figures.",
            "The settings in effect (options the backend ignores are not shown), then figures measured now: "
                + "'entries' and 'bytes' count this cache's readable entries and the bytes of their stored values "
                + "(file: reads every entry file; jdbc: reads the table by key range; redis: SCAN and STRLEN), or "
                + "say 'unknown' where the backend cannot count them (memcached); then the backend's own figures "
                + "(table rows and size, database keys and server memory, each memcached node up or down with its "
                + "stats, the directory's files and bytes). A bad location or option fails here too."})
public final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Override
    public Integer call() {
        CacheConfig config = cache.config();
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"location", config.redactedLocation()});
        lines.add(new String[] {"scheme", config.scheme()});
        if (!config.target().isEmpty()) {
            lines.add(new String[] {"target", CacheConfig.redact(config.target())});
        }
        List<String> given = new ArrayList<>();
        for (Map.Entry<String, String> e : config.options().entrySet()) {
            given.add(e.getKey() + "=" + e.getValue());
        }
        lines.add(new String[] {"options", given.isEmpty() ? "(none)" : String.join(" ", given)});
        lines.add(new String[] {"timeout", timeout(config.timeout())});
        lines.add(new String[] {"key_prefix", config.keyPrefix().isEmpty() ? "(empty)" : config.keyPrefix()});
        lines.add(new String[] {"version", Integer.toString(config.version())});
        Set<String> used = Stores.options(config.scheme());
        if (used.contains("max_entries")) {
            lines.add(new String[] {"max_entries", Long.toString(config.maxEntries())});
        }
        if (used.contains("cull_frequency")) {
            lines.add(new String[] {"cull_frequency", Integer.toString(config.cullFrequency())});
        }
        if (CachetCommand.inProcess(config)) {
            try (Cache c = root.open(config)) {
                c.name(); // opened only to check the location and options, as every other command does
            }
            lines.add(new String[] {"entries", "not visible here: " + CachetCommand.IN_PROCESS_NOTE});
        } else {
            KeyScope scope = Stores.scope(config);
            StoreStats figures;
            try (Store s = root.openStore(config)) {
                figures = s.stats(scope);
            }
            String why = config.scheme().equals("memcached")
                    ? "unknown (memcached cannot count one prefix's items; the nodes' figures below are the whole servers')"
                    : "unknown (the " + config.scheme() + " backend does not say)";
            lines.add(new String[] {"entries", figures.entries() == StoreStats.UNKNOWN ? why
                    : figures.entries() + (scope.isEverything() ? " (the whole store: a custom key_function)" : "")});
            lines.add(new String[] {"bytes", figures.bytes() == StoreStats.UNKNOWN ? "unknown"
                    : figures.bytes() + " (stored values, after compression)"});
            for (StoreStats.Detail d : figures.details()) {
                lines.add(new String[] {d.name(), d.value()});
            }
        }
        lines.add(new String[] {"counters", "not visible here: hits, misses and loads (Cache.stats()) are counted"
                + " inside the application's process"});
        int width = 0;
        for (String[] l : lines) {
            width = Math.max(width, l[0].length());
        }
        PrintWriter out = root.io().out();
        for (String[] l : lines) {
            out.println(l[0] + " ".repeat(width - l[0].length() + 2) + l[1]);
        }
        return ExitCodes.OK;
    }

    private static String timeout(Timeout t) {
        if (t.isForever()) {
            return "forever";
        }
        if (t.duration() == null) {
            return "default";
        }
        return BigDecimal.valueOf(t.duration().toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }
}
