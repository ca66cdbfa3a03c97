package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Django's per-site and per-view cache behaviour, through a real Jetty. */
class DjangoModeTest {
    final Cache cache = Caches.open("memory:?max_entries=10000");
    final MutableClock clock = new MutableClock();
    JettyApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        cache.close();
    }

    PageCache.Builder pages() {
        return PageCache.builder(cache).clock(clock);
    }

    JettyApp site(PageCache pages, String pattern, JettyApp.View view) throws Exception {
        app = new JettyApp().filter(pages, "/*").view(pattern, view).start();
        return app;
    }

    @Test
    void aCacheable200IsRenderedOnceAndGetsExpiresAndMaxAge() throws Exception {
        site(pages().timeout(Duration.ofMinutes(10)).build(), "/*", (req, res) -> {
            res.setContentType("text/plain");
            res.getWriter().print("page " + req.getRequestURI());
        });
        HttpResponse<String> first = app.get("/a");
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> second = app.get("/a");
        assertThat(app.renders).hasValue(1);
        assertThat(second.body()).isEqualTo(first.body()).isEqualTo("page /a");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=600");
        assertThat(first.headers().firstValue("Expires")).isPresent();
        assertThat(second.headers().firstValue("Cache-Control")).hasValue("max-age=600");
        assertThat(second.headers().firstValue("Age")).hasValue("5");
        assertThat(second.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        // the key is the URL: another path, another page
        assertThat(app.get("/b").body()).isEqualTo("page /b");
        assertThat(app.renders).hasValue(2);
        // expired after the timeout
        clock.advance(Duration.ofMinutes(10));
        app.get("/a");
        assertThat(app.renders).hasValue(3);
    }

    @Test
    void maxAgeOfTheResponseIsTheTimeout() throws Exception {
        site(pages().build(), "/*", (req, res) -> {
            res.setHeader("Cache-Control", "max-age=30");
            res.getWriter().print("x");
        });
        app.get("/");
        clock.advance(Duration.ofSeconds(29));
        app.get("/");
        assertThat(app.renders).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        app.get("/");
        assertThat(app.renders).hasValue(2);
    }

    @Test
    void onlyA200IsStoredByDefault() throws Exception {
        site(pages().build(), "/*", (req, res) -> {
            res.setStatus(req.getRequestURI().equals("/missing") ? 404 : 301);
            res.setHeader("Location", "/elsewhere");
            res.getWriter().print("no");
        });
        app.get("/missing");
        app.get("/missing");
        app.get("/moved");
        app.get("/moved");
        assertThat(app.renders).hasValue(4);
    }

    @Test
    void privateMaxAge0NoStoreAndNoCacheAreNotStored() throws Exception {
        site(pages().build(), "/*", (req, res) -> {
            res.setHeader("Cache-Control", req.getParameter("cc"));
            res.getWriter().print("x");
        });
        for (String cc : new String[] {"private", "max-age=0", "no-store", "no-cache", "private, max-age=60"}) {
            int before = app.renders.get();
            app.get("/?cc=" + cc.replace(" ", "%20").replace(",", "%2C"));
            app.get("/?cc=" + cc.replace(" ", "%20").replace(",", "%2C"));
            assertThat(app.renders.get() - before).as(cc).isEqualTo(2);
        }
    }

    @Test
    void neverCacheMarksAResponseForNoCache() throws Exception {
        site(pages().build(), "/*", (req, res) -> {
            PageCache.neverCache(res);
            res.getWriter().print("fresh every time");
        });
        HttpResponse<String> r = app.get("/");
        app.get("/");
        assertThat(app.renders).hasValue(2);
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store", "private", "max-age=0");
    }

    @Test
    void keysAreLearnedFromVaryWithOneVariantPerValue() throws Exception {
        site(pages().build(), "/*", (req, res) -> {
            PageCache.varyOn(res, "Accept-Language");
            res.getWriter().print("lang " + req.getHeader("Accept-Language"));
        });
        assertThat(app.get("/", "Accept-Language", "fr").body()).isEqualTo("lang fr");
        assertThat(app.get("/", "Accept-Language", "de").body()).isEqualTo("lang de");
        assertThat(app.get("/", "Accept-Language", "fr").body()).isEqualTo("lang fr");
        assertThat(app.get("/", "Accept-Language", "de").body()).isEqualTo("lang de");
        assertThat(app.renders).hasValue(2);
        assertThat(app.get("/").body()).isEqualTo("lang null");
        assertThat(app.renders).hasValue(3);
    }

    @Test
    void aResponseSettingACookieIsNotStoredForARequestWithoutCookiesWhenItVariesOnCookie() throws Exception {
        site(pages().varyOnCookie().build(), "/*", (req, res) -> {
            if (req.getHeader("Cookie") == null) {
                res.addHeader("Set-Cookie", "session=new" + app.renders.get());
            }
            res.getWriter().print("hello " + req.getHeader("Cookie"));
        });
        HttpResponse<String> anon1 = app.get("/");
        HttpResponse<String> anon2 = app.get("/");
        assertThat(app.renders).hasValue(2);
        assertThat(anon1.headers().firstValue("Set-Cookie")).isNotEqualTo(anon2.headers().firstValue("Set-Cookie"));
        assertThat(anon1.headers().firstValue("Vary")).hasValue("Cookie");
        // with a cookie, no Set-Cookie: stored per cookie
        assertThat(app.get("/", "Cookie", "session=a").body()).isEqualTo("hello session=a");
        assertThat(app.get("/", "Cookie", "session=a").body()).isEqualTo("hello session=a");
        assertThat(app.get("/", "Cookie", "session=b").body()).isEqualTo("hello session=b");
        assertThat(app.renders).hasValue(4);
    }

    @Test
    void headIsAnsweredFromTheStoredGetWithoutABody() throws Exception {
        site(pages().build(), "/*", (req, res) -> res.getWriter().print("body"));
        app.get("/");
        HttpResponse<String> head = app.send("HEAD", "/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue("4");
        assertThat(app.renders).hasValue(1);
    }

    @Test
    void aSuccessfulPostInvalidatesItsUrl() throws Exception {
        site(pages().build(), "/*", (req, res) -> res.getWriter().print(req.getMethod() + app.renders.get()));
        assertThat(app.get("/item").body()).isEqualTo("GET1");
        assertThat(app.get("/item").body()).isEqualTo("GET1");
        assertThat(app.send("POST", "/item").body()).isEqualTo("POST2");
        assertThat(app.get("/item").body()).isEqualTo("GET3");
    }

    @Test
    void perViewCachePageWithItsOwnTimeoutAndPrefix() throws Exception {
        PageCache site = pages().timeout(Duration.ofMinutes(10)).build();
        PageCache report = site.toBuilder().timeout(Duration.ofSeconds(15)).keyPrefix("report").build();
        app = new JettyApp().view("/plain", (req, res) -> res.getWriter().print("plain"));
        app.servlet("/report", PageCacheFilter.cachePage(new jakarta.servlet.http.HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res)
                    throws java.io.IOException {
                app.renders.incrementAndGet();
                res.getWriter().print("report");
            }
        }, report)).start();
        app.get("/report");
        app.get("/report");
        app.get("/plain");
        app.get("/plain");
        assertThat(app.renders).as("only /report is cached").hasValue(3);
        assertThat(app.get("/report").headers().firstValue("Cache-Control")).hasValue("max-age=15");
        clock.advance(Duration.ofSeconds(16));
        app.get("/report");
        assertThat(app.renders).hasValue(4);
        assertThat(report.renders()).isEqualTo(2);
    }

    @Test
    void initParametersAreReadAsCachetOptionsAndBadOnesNamed() {
        PageCache p = PageCacheFilter.fromParameters("pages", Map.of("cache", "memory:", "mode", "rfc",
                "timeout", "5m", "key_prefix", "site", "vary_on_headers", "Accept-Language, Accept", "vary_on_cookie", "yes"));
        try {
            assertThat(p.mode()).isEqualTo(CacheMode.RFC);
            assertThat(p.timeout()).isEqualTo(Duration.ofMinutes(5));
            assertThat(p.keyPrefix()).isEqualTo("site");
        } finally {
            p.cache().close();
        }
        assertThatThrownBy(() -> PageCacheFilter.fromParameters("pages", Map.of("cache", "memory:", "timout", "5")))
                .hasMessageContaining("unknown init parameter 'timout'").hasMessageContaining("pages");
        assertThatThrownBy(() -> PageCacheFilter.fromParameters("pages", Map.of("mode", "rfc")))
                .hasMessageContaining("'cache'");
        assertThatThrownBy(() -> PageCacheFilter.fromParameters("pages", Map.of("cache", "memory:", "timeout", "ten")))
                .hasMessageContaining("timeout").hasMessageContaining("ten");
        assertThatThrownBy(() -> PageCacheFilter.fromParameters("pages", Map.of("cache", "memory:", "mode", "http")))
                .hasMessageContaining("mode").hasMessageContaining("http");
    }
}
