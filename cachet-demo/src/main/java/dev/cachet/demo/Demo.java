package dev.cachet.demo;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.TwoLevel;
import dev.cachet.demo.internal.ChangeLog;
import dev.cachet.demo.internal.DemoApp;
import dev.cachet.demo.internal.DemoServlets;
import dev.cachet.demo.internal.Dataset;
import dev.cachet.servlet.PageCache;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.LoggerFactory;

/**
 * {@code ./cachet demo}: the memcached case study's link-ranking site, served with cachet. A
 * user's links, ranked across all the user's feeds (about 3.5 s for a heavy user on a 2-core
 * machine), are cached in pages of 100 in the user's namespace; adding a feed expires the
 * namespace (the previous pages are served while the first ones are recomputed in the
 * background); a feed-update job prefetches the first page of frequent readers and invalidates
 * the others; the public pages go through the per-view page cache; {@code /stats} draws what
 * happened.
 *
 * <p>The cache is two-level: local memory in front of a shared cache, by default a SQLite file
 * in the data folder; {@link Builder#cache(String)} names another (memcached with one or more
 * servers, Redis, PostgreSQL), whose own backplane then carries invalidations to other demo
 * processes. The data is generated from a seed; the changes made to it are kept in the data
 * folder and replayed at start-up. Closing the demo stops the server and closes the cache.
 */
public final class Demo implements AutoCloseable {
    /** The data folder when none is given: {@code $XDG_CACHE_HOME/cachet/demo} or {@code ~/.cache/cachet/demo}. */
    public static Path defaultDataFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cachet").resolve("demo");
    }

    private final Server server;
    private final Cache cache;
    private final DemoApp app;
    private final ScheduledExecutorService jobs;
    private final URI uri;
    private final Path data;
    private final String cacheDescription;

    private Demo(Server server, Cache cache, DemoApp app, ScheduledExecutorService jobs, URI uri, Path data,
            String cacheDescription) {
        this.server = server;
        this.cache = cache;
        this.app = app;
        this.jobs = jobs;
        this.uri = uri;
        this.data = data;
        this.cacheDescription = cacheDescription;
    }

    /** A builder with the defaults: port 8000 on 127.0.0.1, the default data folder and cache, seed 42. */
    public static Builder builder() {
        return new Builder();
    }

    /** The site's address, e.g. {@code http://127.0.0.1:8000/}. */
    public URI uri() {
        return uri;
    }

    /** The data folder (the change log, and the SQLite cache by default). */
    public Path dataFolder() {
        return data;
    }

    /** The cache, as described on the site: its redacted location and levels. */
    public String cacheDescription() {
        return cacheDescription;
    }

    /** The names of the users of each kind (heavy, frequent, occasional), as the site lists them. */
    public Map<String, String> users() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Dataset.User u : app.data().users()) {
            out.put(u.name(), u.kind().name().toLowerCase());
        }
        return out;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        jobs.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the demo's server: " + e.getMessage(), e);
        } finally {
            cache.close();
        }
    }

    /** The demo's settings. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private Path data;
        private String cacheLocation;
        private long seed = 42;
        private boolean small;
        private String keyPrefix = "";
        private Duration feedUpdates = Duration.ofMinutes(1);

        private Builder() {
        }

        /** Where to listen: a host name or address and a port (0: a free one). */
        public Builder listen(String host, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0-65535, got " + port);
            }
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** The data folder (created if missing). */
        public Builder data(Path folder) {
            this.data = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * The shared cache's location ({@code memcached://h1:11211,h2:11212}, {@code redis://...},
         * {@code jdbc:postgresql://...}); null for the default, a SQLite file in the data folder.
         */
        public Builder cache(String location) {
            this.cacheLocation = location;
            return this;
        }

        /** The seed the data is generated from (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** A small dataset whose pages compute in milliseconds (for tests), instead of the 3.5 s one. */
        public Builder small(boolean small) {
            this.small = small;
            return this;
        }

        /** A prefix for every key the demo stores (default none): a run that must start with nothing cached uses a new one. */
        public Builder keyPrefix(String prefix) {
            this.keyPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** How often the feed-update job runs (default 1 minute); zero: only when asked ({@code POST /update-feeds}). */
        public Builder feedUpdates(Duration every) {
            if (every.isNegative()) {
                throw new IllegalArgumentException("feed updates: the period must not be negative, got " + every);
            }
            this.feedUpdates = every;
            return this;
        }

        /**
         * Generates the data, replays the data folder's changes, opens the cache and starts the server.
         *
         * @throws IllegalArgumentException for a bad cache location, or a data folder made with other data
         * @throws IllegalStateException when the server cannot start (the port is in use, ...)
         */
        public Demo start() {
            Path folder = (data != null ? data : defaultDataFolder()).toAbsolutePath();
            Dataset dataset = new Dataset(seed, small ? Dataset.Scale.TINY : Dataset.Scale.DEFAULT);
            ChangeLog log = ChangeLog.open(folder, dataset);
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("timeout", "1d");
            options.put("codec_allow", "dev.cachet.demo.**");
            if (!keyPrefix.isEmpty()) {
                options.put("key_prefix", keyPrefix);
            }
            String location = cacheLocation != null ? cacheLocation : "jdbc:sqlite:" + folder.resolve("cache.db");
            CacheConfig shared = CacheConfig.builder(location).name("demo").options(options).build();
            if (shared.scheme().equals("jdbc")) {
                options.put("max_entries", 1_000_000); // a heavy user's ranking is 600 pages
                options.put("create_table", true);
                shared = CacheConfig.builder(location).name("demo").options(options).build();
            }
            String backplane = backplaneFor(shared);
            Cache cache = TwoLevel.over(Caches.open(shared)).backplane(backplane).localMaxEntries(20_000).build();
            String description = "local memory in front of " + shared.redactedLocation() + " (invalidations over "
                    + (backplane.equals("memory:") ? "this process" : CacheConfig.redact(backplane)) + ")";
            ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cachet-demo-feed-updates");
                t.setDaemon(true);
                return t;
            });
            try {
                DemoApp app = new DemoApp(dataset, log, cache);
                Server server = new Server(new InetSocketAddress(host, port));
                ServletContextHandler context = new ServletContextHandler("/");
                DemoServlets.install(context, app, PageCache.builder(cache).keyPrefix("pages").build(), description);
                server.setHandler(context);
                try {
                    server.start();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the demo on " + host + ":" + port + ": " + e.getMessage(), e);
                }
                int actual = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
                if (!feedUpdates.isZero()) {
                    jobs.scheduleWithFixedDelay(() -> {
                        try {
                            app.updateFeeds();
                        } catch (RuntimeException e) {
                            // one failed run (the cache down, say) must not end the schedule
                            LoggerFactory.getLogger(Demo.class).warn("cachet demo: the feed update failed: {}", e.toString());
                        }
                    }, feedUpdates.toMillis(), feedUpdates.toMillis(), TimeUnit.MILLISECONDS);
                }
                String h = host.contains(":") ? "[" + host + "]" : host;
                return new Demo(server, cache, app, jobs, URI.create("http://" + h + ":" + actual + "/"), folder, description);
            } catch (RuntimeException e) {
                jobs.shutdownNow();
                cache.close();
                throw e;
            }
        }

        /** The backplane of a shared cache: its own server where it has one, else this process. */
        private static String backplaneFor(CacheConfig shared) {
            String location = shared.location();
            String scheme = shared.scheme();
            if (scheme.equals("redis") || scheme.equals("memcached")) {
                int q = location.indexOf('?');
                return q < 0 ? location : location.substring(0, q);
            }
            if (location.startsWith("jdbc:postgresql:")) {
                return location;
            }
            return "memory:";
        }
    }
}
