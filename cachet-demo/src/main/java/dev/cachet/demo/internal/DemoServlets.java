package dev.cachet.demo.internal;

import dev.cachet.servlet.PageCache;
import dev.cachet.servlet.PageCacheFilter;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * The demo's routes: {@code /} (users) and {@code /popular} behind the per-view page cache,
 * {@code /u/NAME?page=N} (a user's links), {@code POST /u/NAME/feeds} (add a feed),
 * {@code /u/NAME/status?page=N}, {@code /stats}, {@code /stats.json} and
 * {@code POST /update-feeds}.
 */
public final class DemoServlets {
    private DemoServlets() {
    }

    /** Adds the routes to {@code context}; public pages are cached in {@code pages}' cache. */
    public static void install(ServletContextHandler context, DemoApp app, PageCache pages, String cacheDescription) {
        PageCache home = pages.toBuilder().timeout(Duration.ofSeconds(30)).build();
        PageCache popular = pages.toBuilder().timeout(Duration.ofSeconds(60)).build();
        add(context, "", PageCacheFilter.cachePage(new Home(app, cacheDescription), home));
        add(context, "/popular", PageCacheFilter.cachePage(new Popular(app), popular));
        add(context, "/u/*", new Users(app));
        add(context, "/stats", new Stats(app, cacheDescription));
        add(context, "/stats.json", new Stats(app, cacheDescription));
        add(context, "/update-feeds", new UpdateFeeds(app));
    }

    private static void add(ServletContextHandler context, String path, Servlet servlet) {
        context.addServlet(new ServletHolder(servlet), path);
    }

    static void send(HttpServletResponse res, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        res.setStatus(status);
        res.setContentType(type + "; charset=utf-8");
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse res, int status, String message) throws IOException {
        PageCache.neverCache(res);
        send(res, status, "text/html", Html.page("Error", "<h1>" + status + "</h1><p>" + Html.esc(message) + "</p>"));
    }

    static final class Home extends HttpServlet {
        private final transient DemoApp app;
        private final String cacheDescription;

        Home(DemoApp app, String cacheDescription) {
            this.app = app;
            this.cacheDescription = cacheDescription;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            send(res, 200, "text/html", Views.home(app, cacheDescription));
        }
    }

    static final class Popular extends HttpServlet {
        private final transient DemoApp app;

        Popular(DemoApp app) {
            this.app = app;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            long t0 = System.nanoTime();
            List<Ranker.Ranked> top = Ranker.popular(app.data(), 100);
            send(res, 200, "text/html", Views.popular(app.data(), top, (System.nanoTime() - t0) / 1_000_000));
        }
    }

    static final class Users extends HttpServlet {
        private final transient DemoApp app;

        Users(DemoApp app) {
            this.app = app;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String[] path = parts(req);
            Dataset.User user = path.length >= 1 ? app.data().user(path[0]) : null;
            if (user == null) {
                error(res, 404, "no such user: " + (path.length >= 1 ? path[0] : "(none)"));
                return;
            }
            int page;
            try {
                page = req.getParameter("page") == null ? 1 : Integer.parseInt(req.getParameter("page"));
                if (page < 1 || page > 100_000) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                error(res, 400, "page must be a number from 1, got '" + req.getParameter("page") + "'");
                return;
            }
            PageCache.neverCache(res);
            if (path.length == 2 && path[1].equals("status")) {
                LinkPages.Page p = app.pages().namespace(user.name()).get(LinkPages.key(page), LinkPages.Page.class);
                long current = app.data().user(user.name()).dataVersion();
                send(res, 200, "application/json", "{\"ready\":" + (p != null && p.dataVersion() >= current)
                        + ",\"dataVersion\":" + current + ",\"pageVersion\":" + (p == null ? -1 : p.dataVersion()) + "}");
                return;
            }
            if (path.length != 1) {
                error(res, 404, "no such page: " + req.getRequestURI());
                return;
            }
            long t0 = System.nanoTime();
            LinkPages.Served served = app.page(user.name(), page);
            double millis = (System.nanoTime() - t0) / 1e6;
            res.setHeader("X-Demo-Outcome", served.outcome().name().toLowerCase());
            res.setHeader("X-Demo-Page-Version", Long.toString(served.page().dataVersion()));
            String html = Views.user(app.data(), app.data().user(user.name()), served, millis);
            // the page's data, and all the server's work for the response (data and HTML; the socket write excluded)
            res.setHeader("Server-Timing", String.format(java.util.Locale.ROOT, "page;dur=%.3f, total;dur=%.3f", millis,
                    (System.nanoTime() - t0) / 1e6));
            send(res, 200, "text/html", html);
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String[] path = parts(req);
            if (path.length != 2 || !path[1].equals("feeds") || app.data().user(path[0]) == null) {
                error(res, 404, "no such page: " + req.getRequestURI());
                return;
            }
            int page = 1;
            try {
                int feed = Integer.parseInt(String.valueOf(req.getParameter("feed")));
                if (req.getParameter("page") != null) {
                    page = Math.max(1, Integer.parseInt(req.getParameter("page")));
                }
                app.addFeed(path[0], feed, page);
            } catch (NumberFormatException e) {
                error(res, 400, "feed must be a feed's number, got '" + req.getParameter("feed") + "'");
                return;
            } catch (IllegalArgumentException e) {
                error(res, 400, e.getMessage());
                return;
            }
            PageCache.neverCache(res);
            res.setStatus(303);
            res.setHeader("Location", "/u/" + path[0] + "?page=" + page);
        }

        private static String[] parts(HttpServletRequest req) {
            String info = req.getPathInfo();
            return info == null || info.length() <= 1 ? new String[0] : info.substring(1).split("/");
        }
    }

    static final class Stats extends HttpServlet {
        private final transient DemoApp app;
        private final String cacheDescription;

        Stats(DemoApp app, String cacheDescription) {
            this.app = app;
            this.cacheDescription = cacheDescription;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
            PageCache.neverCache(res);
            if (req.getServletPath().endsWith(".json")) {
                send(res, 200, "application/json", StatsView.json(app, app.pages().cache().stats()));
            } else {
                send(res, 200, "text/html", StatsView.html(app, app.pages().cache().stats(), cacheDescription));
            }
        }
    }

    static final class UpdateFeeds extends HttpServlet {
        private final transient DemoApp app;

        UpdateFeeds(DemoApp app) {
            this.app = app;
        }

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
            DemoApp.Update u = app.updateFeeds();
            PageCache.neverCache(res);
            if ("json".equals(req.getParameter("format"))) {
                send(res, 200, "application/json", "{\"changedUsers\":" + u.changedUsers() + ",\"prefetched\":"
                        + quoted(u.prefetched()) + ",\"invalidated\":" + quoted(u.invalidated()) + "}");
                return;
            }
            res.setStatus(303);
            res.setHeader("Location", "/stats");
        }

        private static String quoted(List<String> names) {
            return names.stream().map(n -> "\"" + n + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
        }
    }
}
