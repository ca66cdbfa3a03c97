package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.cli.internal.CommandIo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Runs the cachet command in-process with captured streams. */
final class Cli implements AutoCloseable {
    /**
     * What a run left behind.
     *
     * @param code the exit code
     * @param stdout standard output, as bytes
     * @param stderr standard error, as text
     */
    record Run(int code, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Function<CacheConfig, Cache> opener;
    private final Map<String, Cache> shared = new HashMap<>();

    private Cli(Function<CacheConfig, Cache> opener) {
        this.opener = opener;
    }

    /** Opens caches as the real command does: a new cache per run. */
    static Cli real() {
        return new Cli(Caches::open);
    }

    /**
     * Opens each location once and hands every run the same cache (closing it is a no-op
     * until this Cli closes), so memory: caches keep their entries across runs as file:
     * caches do across processes.
     */
    static Cli sharedCaches() {
        Cli cli = new Cli(null);
        cli.opener = cli::shared;
        return cli;
    }

    private Cache shared(CacheConfig config) {
        Cache real = shared.computeIfAbsent(config.location(), l -> Caches.open(config));
        return (Cache) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    Run run(String... args) {
        return runWithInput(new byte[0], args);
    }

    Run runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandIo io = new CommandIo(new ByteArrayInputStream(stdin), out, err);
        int code = CachetCommand.newCommandLine(io, opener, dev.cachet.spi.Stores::open, args).execute(args);
        io.flush();
        return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        shared.values().forEach(Cache::close);
        shared.clear();
    }
}
