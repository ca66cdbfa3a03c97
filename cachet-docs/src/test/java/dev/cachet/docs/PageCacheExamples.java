package dev.cachet.docs;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.proxy.CachingProxy;
import dev.cachet.servlet.CacheMode;
import dev.cachet.servlet.PageCache;
import dev.cachet.servlet.PageCacheFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;

/** The README's "Page caching" examples, compiled (they need a servlet container or a server, so none runs here). */
class PageCacheExamples {
    static final class ReportServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
    }

    static PageCache perSite(ServletContext servletContext) {
        Cache cache = Caches.open("redis://127.0.0.1:6379/0");
        PageCache pages = PageCache.builder(cache)
                .timeout(Duration.ofMinutes(10))                 // Django mode: every cacheable 200 for 10 minutes
                .keyPrefix("site1")
                .varyOnHeaders("Accept-Language")
                .build();
        FilterRegistration.Dynamic site = servletContext.addFilter("pages", new PageCacheFilter(pages));
        site.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        return pages;
    }

    static void perView(ServletContext servletContext, PageCache pages) {
        PageCache reports = pages.toBuilder().timeout(Duration.ofMinutes(15)).keyPrefix("reports").varyOnCookie().build();
        servletContext.addServlet("report", PageCacheFilter.cachePage(new ReportServlet(), reports)).addMapping("/report/*");
    }

    static void inAView(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PageCache.varyOn(response, "Accept-Language");           // Django's vary_on_headers, for this response
        if (request.getParameter("preview") != null) {
            PageCache.neverCache(response);                      // Django's never_cache: no cache stores it
        }
    }

    static void rfcModeAndTheProxy() throws Exception {
        Cache cache = Caches.open("memory:");
        PageCache shared = PageCache.builder(cache).mode(CacheMode.RFC).build();   // a shared HTTP cache: only what HTTP allows
        try (CachingProxy proxy = CachingProxy.start(URI.create("http://127.0.0.1:8000"),
                new InetSocketAddress("127.0.0.1", 0), shared)) {
            System.out.println("proxy on " + proxy.uri());
        }
        cache.close();
    }
}
