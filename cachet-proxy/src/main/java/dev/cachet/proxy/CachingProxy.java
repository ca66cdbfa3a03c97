package dev.cachet.proxy;

import dev.cachet.servlet.PageCache;
import dev.cachet.servlet.PageCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.EnumSet;
import java.util.Objects;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A caching reverse proxy: Jetty 12's {@code ProxyServlet} forwarding every request to one
 * origin, with cachet's {@link PageCacheFilter} in front, so any HTTP service gets a shared cache
 * over any cachet backend ({@code ./cachet proxy}). Use {@link dev.cachet.servlet.CacheMode#RFC}
 * in front of a service that states its own caching rules; Django mode caches every cacheable
 * {@code 200} for the page cache's timeout.
 *
 * <p>The proxy adds no {@code Date} or {@code Server} header of its own (the origin's pass, and
 * a stored response keeps its {@code Date}); it forwards the client's {@code Host} as the
 * origin's. Closing it stops the server; the page cache's {@code Cache} stays the caller's.
 */
public final class CachingProxy implements AutoCloseable {
    /**
     * The cache {@code ./cachet proxy} uses by default: local memory (the embedded default), with
     * room for 100,000 entries (a page takes two: its head and its response) instead of the
     * 300 of Django's default.
     */
    public static final String DEFAULT_CACHE = "memory:?max_entries=100000";

    private final Server server;
    private final URI uri;

    private CachingProxy(Server server, URI uri) {
        this.server = server;
        this.uri = uri;
    }

    /**
     * Starts a proxy listening on {@code listen} (port 0: a free one) in front of {@code origin}
     * ({@code http://host:port}, optionally with a path prefix).
     *
     * @throws IllegalArgumentException when {@code origin} is not an absolute http(s) URI
     * @throws IllegalStateException when the server cannot start (the address is in use, ...)
     */
    public static CachingProxy start(URI origin, InetSocketAddress listen, PageCache pages) {
        Objects.requireNonNull(pages, "pages");
        if (origin == null || origin.getHost() == null
                || !("http".equalsIgnoreCase(origin.getScheme()) || "https".equalsIgnoreCase(origin.getScheme()))) {
            throw new IllegalArgumentException("origin '" + origin + "' is not an absolute http:// or https:// URL with a host,"
                    + " e.g. http://127.0.0.1:8000");
        }
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(listen.getHostString());
        connector.setPort(listen.getPort());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder filter = new FilterHolder(new PageCacheFilter(pages));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder proxy = new ServletHolder(new OriginProxyServlet());
        proxy.setInitParameter("proxyTo", stripSlash(origin.toString()));
        proxy.setInitParameter("timeout", "60000");
        proxy.setAsyncSupported(true);
        context.addServlet(proxy, "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start's failure is the one to report
            }
            throw new IllegalStateException("cachet proxy: cannot listen on " + listen.getHostString() + ":"
                    + listen.getPort() + ": " + e.getMessage(), e);
        }
        String host = listen.getHostString().contains(":") ? "[" + listen.getHostString() + "]" : listen.getHostString();
        return new CachingProxy(server, URI.create("http://" + host + ":" + connector.getLocalPort()));
    }

    /**
     * Jetty's transparent proxy servlet, which also drops the response fields the origin's
     * {@code Connection} names (hop-by-hop, RFC 9110 7.6.1): Jetty drops the standard
     * hop-by-hop fields only.
     */
    static final class OriginProxyServlet extends ProxyServlet.Transparent {
        private static final long serialVersionUID = 1L;

        @Override
        protected String filterServerResponseHeader(HttpServletRequest clientRequest, Response serverResponse,
                String headerName, String headerValue) {
            for (String line : serverResponse.getHeaders().getValuesList(HttpHeader.CONNECTION)) {
                for (String token : line.split(",")) {
                    if (token.trim().equalsIgnoreCase(headerName)) {
                        return null;
                    }
                }
            }
            return super.filterServerResponseHeader(clientRequest, serverResponse, headerName, headerValue);
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The proxy's own address ({@code http://host:port}), with the port it actually listens on. */
    public URI uri() {
        return uri;
    }

    /** Blocks until the proxy is stopped. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops the proxy. Idempotent. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cachet proxy: stopping failed: " + e.getMessage(), e);
        }
    }
}
