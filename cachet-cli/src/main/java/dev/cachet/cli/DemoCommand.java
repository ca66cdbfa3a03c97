package dev.cachet.cli;

import dev.cachet.CacheConfig;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.cli.internal.TempDirectory;
import dev.cachet.demo.Demo;
import dev.cachet.demo.DemoSmoke;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cachet demo}: the case study's link-ranking site served with cachet, until stopped;
 * {@code --smoke} visits it once without a browser and prints the figures.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the demo: a link-ranking site whose 3.5 s page is served in milliseconds and stays fresh "
                + "after every change (open the URL it prints; Ctrl-C stops it).",
            "--smoke instead runs a scripted visit on a fresh cache and prints the page times."})
public final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--data", paramLabel = "DIR", description = "The data folder: changes to the data, and the SQLite cache by default "
            + "(default: $XDG_CACHE_HOME/cachet/demo or ~/.cache/cachet/demo; --smoke: a new temporary folder).")
    private Path data;

    @Option(names = "--cache", paramLabel = "LOCATION", description = "The shared cache behind local memory (default: a SQLite file in the "
            + "data folder): memcached://h1:11211,h2:11212 (a cluster of two), redis://127.0.0.1:6379/0, jdbc:postgresql://127.0.0.1/test?user=postgres")
    private String cache;

    @Option(names = "--feed-updates", paramLabel = "DURATION", defaultValue = "60s",
            description = "How often the feed-update job runs (default: ${DEFAULT-VALUE}; 0: only from the button).")
    private String feedUpdates;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "The seed the data is generated from (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--small", description = "A small dataset whose pages compute in milliseconds.")
    private boolean small;

    @Option(names = "--smoke", description = "Visit the demo once without a browser, print the figures and stop.")
    private boolean smoke;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = root.io().err();
        Duration every = CacheConfig.builder("demo:").name("demo").option("feed_updates", feedUpdates).build()
                .durationOption("feed_updates", Duration.ofMinutes(1), true);
        // --smoke without --data: a fresh folder, deleted at the end
        try (TempDirectory temporary = smoke && data == null ? TempDirectory.create("cachet-demo-smoke") : null) {
            Path folder = temporary != null ? temporary.path() : data;
            Demo.Builder b = Demo.builder().listen(host, smoke ? 0 : port).seed(seed).small(small).cache(cache)
                    .feedUpdates(smoke ? Duration.ZERO : every);
            if (folder != null) {
                b.data(folder);
            }
            if (smoke) {
                b.keyPrefix("smoke-" + UUID.randomUUID().toString().substring(0, 8)); // nothing cached by an earlier run
            }
            try (Demo demo = b.start()) {
                err.println("cachet demo: " + demo.uri() + "  (data folder " + demo.dataFolder() + "; cache: "
                        + demo.cacheDescription() + ")");
                err.flush();
                if (!smoke) {
                    demo.join();
                    return ExitCodes.OK;
                }
                DemoSmoke.Result r = new DemoSmoke(demo.uri()).run(demo.users(), Duration.ofMinutes(2));
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
                    r.print(ps);
                }
                root.io().out().print(buf.toString(StandardCharsets.UTF_8));
                root.io().out().flush();
                return ExitCodes.OK;
            }
        }
    }
}
