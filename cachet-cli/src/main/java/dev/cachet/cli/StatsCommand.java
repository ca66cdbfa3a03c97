package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Timeout;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.DiskUsage;
import dev.cachet.cli.internal.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet stats}: what is known of a cache: its location, scheme, options and the
 * settings in effect, and for a {@code file:} cache the files and bytes in its directory.
 * Only measured figures are shown; nothing is estimated.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Print what is known of the cache.",
            "Its location, scheme, options and the settings in effect; for a file: cache, the regular files "
                + "in its directory and the sum of their sizes. Only measured figures are shown. The cache "
                + "is opened first, so a bad location or option fails here too."})
public final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Mixin
    private CacheLocationOption cache;

    @Override
    public Integer call() throws IOException {
        CacheConfig config = cache.config();
        try (Cache c = root.open(config)) {
            // opened only to check the location and options, as every other command does
            c.name();
        }
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
        java.util.Set<String> used = dev.cachet.spi.Stores.options(config.scheme());
        if (used.contains("max_entries")) {
            lines.add(new String[] {"max_entries", Long.toString(config.maxEntries())});
        }
        if (used.contains("cull_frequency")) {
            lines.add(new String[] {"cull_frequency", Integer.toString(config.cullFrequency())});
        }
        switch (config.scheme()) {
            case "file" -> {
                DiskUsage usage;
                try {
                    usage = DiskUsage.of(Path.of(config.target()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read directory " + config.target() + ": " + e.getMessage(), e);
                }
                if (usage.exists()) {
                    lines.add(new String[] {"files", Long.toString(usage.files())});
                    lines.add(new String[] {"bytes", Long.toString(usage.bytes())});
                } else {
                    lines.add(new String[] {"files", "0 (the directory does not exist)"});
                }
            }
            case "memory" -> lines.add(new String[] {"entries",
                "not visible here: a memory: cache lives inside one process, and each cachet command starts an empty one"});
            default -> { }
        }
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
