package dev.cachet.servlet;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The page cache as a servlet {@link Filter}: map it to {@code /*} for Django's per-site cache
 * ({@code UpdateCacheMiddleware} + {@code FetchFromCacheMiddleware}), or to some URL patterns for
 * per-view caching; {@link #cachePage} wraps one servlet instead. Map it for
 * {@code DispatcherType.REQUEST} only.
 *
 * <p>Made in code with a {@link PageCache}, or by the container (web.xml, {@code @WebFilter})
 * with init parameters: {@code cache} (a cachet location, e.g. {@code memory:} or
 * {@code redis://host:6379/0?timeout=1h}; opened at init, closed at destroy; required),
 * {@code mode} ({@code django} or {@code rfc}), {@code timeout} ({@code 600}, {@code 10m}),
 * {@code key_prefix}, {@code vary_on_headers} (comma-separated field names), {@code vary_on_cookie}
 * ({@code true}), {@code wait_for_render} ({@code 10s}), {@code max_body_bytes} ({@code 8m}),
 * {@code stale_retention} ({@code 1m}). Values are read as cachet options are; a bad or unknown
 * parameter fails {@link #init} with a message naming it.
 */
public final class PageCacheFilter implements Filter {
    /** The init parameters {@link #init} reads. */
    public static final Set<String> PARAMETERS = Set.of("cache", "mode", "timeout", "key_prefix", "vary_on_headers",
            "vary_on_cookie", "wait_for_render", "max_body_bytes", "stale_retention");

    private PageCache pages;
    private Cache opened;

    /** A filter the container configures from init parameters (see the class comment). */
    public PageCacheFilter() {
    }

    /** A filter serving pages through {@code pages}. */
    public PageCacheFilter(PageCache pages) {
        this.pages = Objects.requireNonNull(pages, "pages");
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (pages != null) {
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String n : Collections.list(config.getInitParameterNames())) {
            params.put(CacheConfig.normalize(n), config.getInitParameter(n));
        }
        try {
            pages = fromParameters(config.getFilterName(), params);
            opened = pages.cache();
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }

    /**
     * The page cache {@code params} describe (names as {@link #PARAMETERS}), its cache opened with
     * {@link Caches#open(String)}: the caller closes it.
     *
     * @throws IllegalArgumentException naming the filter and the parameter that is unknown,
     *     missing or bad
     */
    static PageCache fromParameters(String filterName, Map<String, String> params) {
        for (String n : params.keySet()) {
            if (!PARAMETERS.contains(n)) {
                throw new IllegalArgumentException("page cache filter '" + filterName + "': unknown init parameter '" + n
                        + "'; known: " + new java.util.TreeSet<>(PARAMETERS));
            }
        }
        String location = params.get("cache");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("page cache filter '" + filterName
                    + "': init parameter 'cache' (a cachet location, e.g. memory:) is required");
        }
        Map<String, String> options = new LinkedHashMap<>(params);
        options.remove("cache");
        // cachet's option parser: the same spellings of durations, sizes and booleans as every cache option
        CacheConfig c = CacheConfig.builder("page:").name("page cache filter " + filterName).options(options).build();
        PageCache.Builder b = PageCache.builder(Caches.open(location))
                .mode(c.enumOption("mode", CacheMode.class, CacheMode.DJANGO))
                .timeout(c.durationOption("timeout", PageCache.DEFAULT_TIMEOUT, false))
                .keyPrefix(params.getOrDefault("key_prefix", ""))
                .waitForRender(c.durationOption("wait_for_render", java.time.Duration.ofSeconds(10), true))
                .maxBodyBytes(c.bytesOption("max_body_bytes", 8L << 20))
                .staleRetention(c.durationOption("stale_retention", java.time.Duration.ofMinutes(1), true));
        String vary = params.get("vary_on_headers");
        if (vary != null && !vary.isBlank()) {
            b.varyOnHeaders(java.util.Arrays.stream(vary.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toArray(String[]::new));
        }
        if (c.boolOption("vary_on_cookie", false)) {
            b.varyOnCookie();
        }
        return b.build();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest req && response instanceof HttpServletResponse res) {
            pages.handler().handle(req, res, chain);
        } else {
            chain.doFilter(request, response);
        }
    }

    @Override
    public void destroy() {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }

    /**
     * Django's {@code cache_page} for one servlet: a servlet answering as {@code servlet} does,
     * its pages cached by {@code pages} (build a variant of the site's cache with its own
     * timeout, key prefix or cache by {@link PageCache#toBuilder()}). The returned servlet's
     * {@code init} and {@code destroy} are {@code servlet}'s.
     */
    public static Servlet cachePage(Servlet servlet, PageCache pages) {
        Objects.requireNonNull(servlet, "servlet");
        Objects.requireNonNull(pages, "pages");
        return new GenericServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            public void init(ServletConfig config) throws ServletException {
                super.init(config);
                servlet.init(config);
            }

            @Override
            public void service(ServletRequest req, ServletResponse res) throws ServletException, IOException {
                if (req instanceof HttpServletRequest hreq && res instanceof HttpServletResponse hres) {
                    pages.handler().handle(hreq, hres, servlet::service);
                } else {
                    servlet.service(req, res);
                }
            }

            @Override
            public void destroy() {
                servlet.destroy();
            }

            @Override
            public String getServletInfo() {
                return "cached: " + servlet.getServletInfo();
            }
        };
    }
}
