package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.cli.internal.CacheLocationOption;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.proxy.CachingProxy;
import dev.cachet.servlet.CacheMode;
import dev.cachet.servlet.PageCache;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cachet proxy --origin URL}: a caching reverse proxy (Jetty's proxy with cachet's page
 * cache in front) until the process is stopped.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run a caching reverse proxy in front of ORIGIN until stopped (Ctrl-C).",
            "Django mode (the default) stores every cacheable 200 response to a GET for --timeout; --rfc makes it "
                + "a shared HTTP cache (RFC 9111, RFC 5861) storing only what the origin's headers allow. Either way, "
                + "private, no-store, Set-Cookie and Vary: * responses are never stored."})
public final class ProxyCommand implements Callable<Integer> {
    @ParentCommand
    private CachetCommand root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--origin", required = true, paramLabel = "URL",
            description = "The service to proxy, e.g. http://127.0.0.1:8000.")
    private String origin;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where to listen (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
    private String listen;

    @Option(names = "--cache", paramLabel = "LOCATION", defaultValue = CachingProxy.DEFAULT_CACHE,
            description = "The cache pages are kept in (default: ${DEFAULT-VALUE}): memory:, file:DIR, redis://..., memcached://..., jdbc:...")
    private String cacheLocation;

    @Option(names = {"-o", "--option"}, paramLabel = "NAME=VALUE", description = "A cache option (repeatable), e.g. -o max_entries=100000.")
    private Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--rfc", description = "Be a shared HTTP cache (RFC 9111): no default timeout, request directives honoured.")
    private boolean rfc;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "600",
            description = "Django mode: how long a response without max-age is kept (default: ${DEFAULT-VALUE} s; 10m, 1h).")
    private String timeout;

    @Option(names = "--key-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "A prefix for the proxy's keys, when several share a cache.")
    private String keyPrefix;

    @Override
    public Integer call() throws Exception {
        URI originUri;
        try {
            originUri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--origin '" + origin + "' is not a URL: " + e.getMessage());
        }
        InetSocketAddress address = address(listen);
        // cachet's option parser reads the duration, as it reads every timeout
        Duration t = CacheConfig.builder("proxy:").name("proxy").option("timeout", timeout).build()
                .durationOption("timeout", Duration.ofSeconds(600), false);
        CacheConfig config = CacheConfig.builder(CacheLocationOption.absoluteFile(cacheLocation, root.io().err()))
                .options(options).build();
        try (Cache cache = root.open(config)) {
            PageCache pages = PageCache.builder(cache).mode(rfc ? CacheMode.RFC : CacheMode.DJANGO).timeout(t)
                    .keyPrefix(keyPrefix).build();
            try (CachingProxy proxy = CachingProxy.start(originUri, address, pages)) {
                root.io().err().println("cachet proxy: " + proxy.uri() + " -> " + originUri + " ("
                        + (rfc ? "RFC 9111 shared cache" : "Django mode, timeout " + t.toSeconds() + " s") + ", cache "
                        + config.redactedLocation() + ")");
                root.io().err().flush();
                proxy.join();
            }
        }
        return ExitCodes.OK;
    }

    private InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new ParameterException(spec.commandLine(), "--listen '" + hostPort + "' is not HOST:PORT, e.g. 127.0.0.1:8080");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 0 || port > 65_535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--listen '" + hostPort + "': the port must be 0-65535");
        }
    }
}
