package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.servlet.PageCache;
import dev.cachet.servlet.PageCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The server {@code page-cache-bench.sh} drives with wrk: one Jetty 12 (ee10) on loopback serving
 * the same 10 KB page as a static file ({@code /static/page.html}, Jetty's {@code DefaultServlet})
 * and as a servlet view behind the page cache ({@code /cached/page}, {@code memory:}, Django mode),
 * plus a view that takes 3.5 s ({@code /slow}, cached too). Prints {@code port=N} and runs until
 * killed. Usage: {@code PageCacheServer [port]}.
 */
public final class PageCacheServer {
    private PageCacheServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        byte[] page = page();
        Path dir = Files.createTempDirectory("cachet-page-bench");
        Files.write(dir.resolve("page.html"), page);
        Cache cache = Caches.open("memory:");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.setBaseResourceAsPath(dir);
        ServletHolder statics = new ServletHolder("static", DefaultServlet.class);
        statics.setInitParameter("pathInfoOnly", "true");
        statics.setInitParameter("dirAllowed", "false");
        statics.setInitParameter("etags", "true");
        context.addServlet(statics, "/static/*");
        FilterHolder filter = new FilterHolder(new PageCacheFilter(PageCache.builder(cache).build()));
        context.addFilter(filter, "/cached/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new PageCacheFilter(PageCache.builder(cache).keyPrefix("slow").build())),
                "/slow", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                res.setContentType("text/html");
                res.getOutputStream().write(page);
            }
        }), "/cached/*");
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
                try {
                    Thread.sleep(3500); // the memcached case study's 3.5 s page
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                res.setContentType("text/html");
                res.getOutputStream().write(page);
            }
        }), "/slow");
        server.setHandler(context);
        server.start();
        System.out.println("port=" + connector.getLocalPort());
        System.out.flush();
        server.join();
        ResourceFactory.closeable().close();
    }

    /** 10,240 bytes of HTML. */
    static byte[] page() {
        StringBuilder sb = new StringBuilder("<!doctype html><html><body>\n");
        int i = 0;
        while (sb.length() < 10_240 - 20) {
            sb.append("<p>line ").append(i++).append(" of a cached page</p>\n");
        }
        sb.setLength(10_240 - 15);
        sb.append("</body></html>\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
