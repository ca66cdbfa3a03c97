package dev.cachet.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 (ee10) on a loopback port, with servlets and the page cache filter, and an HTTP client. */
final class JettyApp implements AutoCloseable {
    /** A view: writes a response; {@link #renders} counts its calls. */
    interface View {
        void render(HttpServletRequest req, HttpServletResponse res) throws IOException;
    }

    final Server server = new Server();
    final ServletContextHandler context = new ServletContextHandler("/");
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final AtomicInteger renders = new AtomicInteger();
    private ServerConnector connector;

    JettyApp() {
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(512 * 1024);
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(context);
        server.setStopTimeout(0); // tests stop at once: a graceful stop waiting on the client's idle connections could time out on a loaded machine
    }

    /** The page cache filter over {@code pattern}. */
    JettyApp filter(PageCache pages, String pattern) {
        FilterHolder f = new FilterHolder(new PageCacheFilter(pages));
        f.setAsyncSupported(true);
        context.addFilter(f, pattern, EnumSet.of(DispatcherType.REQUEST));
        return this;
    }

    /** {@code view} at {@code pattern}, counted in {@link #renders}. */
    JettyApp view(String pattern, View view) {
        return servlet(pattern, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
                renders.incrementAndGet();
                view.render(req, res);
            }
        });
    }

    JettyApp servlet(String pattern, Servlet servlet) {
        ServletHolder h = new ServletHolder(servlet);
        h.setAsyncSupported(true);
        context.addServlet(h, pattern);
        return this;
    }

    JettyApp start() throws Exception {
        server.start();
        return this;
    }

    /** The port the server listens on (127.0.0.1). */
    int port() {
        return connector.getLocalPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + pathAndQuery);
    }

    /** GET {@code path} with header name/value pairs. */
    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, headers);
    }

    HttpResponse<String> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
