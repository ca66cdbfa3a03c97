package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 9111 / RFC 5861 behaviour of the filter, through a real Jetty, on a clock moved by hand. */
class RfcModeTest {
    final Cache cache = Caches.open("memory:?max_entries=10000");
    final MutableClock clock = new MutableClock();
    JettyApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        cache.close();
    }

    void site(JettyApp.View view) throws Exception {
        app = new JettyApp().filter(PageCache.builder(cache).mode(CacheMode.RFC).clock(clock).build(), "/*")
                .view("/*", (req, res) -> {
                    clock.stamp(res);
                    view.render(req, res);
                }).start();
    }

    @Test
    void nothingWithoutFreshnessAndNoDefaultTimeout() throws Exception {
        site((req, res) -> res.getWriter().print("x"));
        app.get("/");
        app.get("/");
        assertThat(app.renders).hasValue(2);
    }

    @Test
    void aStaleResponseIsRevalidatedAndA304RefreshesIt() throws Exception {
        AtomicReference<String> seenInm = new AtomicReference<>();
        site((req, res) -> {
            seenInm.set(req.getHeader("If-None-Match"));
            res.setHeader("Cache-Control", "max-age=10");
            res.setHeader("ETag", "\"v1\"");
            res.setHeader("X-Render", Integer.toString(app.renders.get()));
            if ("\"v1\"".equals(req.getHeader("If-None-Match"))) {
                res.setStatus(304);
                return;
            }
            res.getWriter().print("body v1");
        });
        assertThat(app.get("/").body()).isEqualTo("body v1");
        clock.advance(Duration.ofSeconds(11));
        HttpResponse<String> revalidated = app.get("/");
        assertThat(seenInm.get()).isEqualTo("\"v1\"");
        assertThat(revalidated.statusCode()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo("body v1");
        assertThat(revalidated.headers().firstValue("X-Render")).as("headers from the 304").hasValue("2");
        // fresh again for 10 s after the 304
        clock.advance(Duration.ofSeconds(5));
        assertThat(app.get("/").body()).isEqualTo("body v1");
        assertThat(app.renders).hasValue(2);
        // the client's own conditional is answered from the cache
        HttpResponse<String> notModified = app.get("/", "If-None-Match", "\"v1\"");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(app.renders).hasValue(2);
    }

    @Test
    void requestNoCacheRevalidatesAndOnlyIfCachedAnswers504WhenNothingIsStored() throws Exception {
        site((req, res) -> {
            res.setHeader("Cache-Control", "max-age=60");
            res.getWriter().print("r" + app.renders.get());
        });
        assertThat(app.get("/", "Cache-Control", "only-if-cached").statusCode()).isEqualTo(504);
        assertThat(app.get("/").body()).isEqualTo("r1");
        assertThat(app.get("/", "Cache-Control", "only-if-cached").body()).isEqualTo("r1");
        assertThat(app.get("/", "Cache-Control", "no-cache").body()).isEqualTo("r2");
        assertThat(app.get("/").body()).isEqualTo("r2");
    }

    @Test
    void sMaxageWinsAndMustRevalidateForbidsStale() throws Exception {
        site((req, res) -> {
            res.setHeader("Cache-Control", "max-age=100, s-maxage=5, stale-if-error=60");
            if (app.renders.get() > 1) {
                res.sendError(503);
                return;
            }
            res.getWriter().print("ok");
        });
        app.get("/");
        clock.advance(Duration.ofSeconds(4));
        app.get("/");
        assertThat(app.renders).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(app.get("/").statusCode()).as("s-maxage forbids serving stale, even on error").isEqualTo(503);
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheOriginFails() throws Exception {
        site((req, res) -> {
            if (app.renders.get() > 1) {
                res.sendError(503, "down");
                return;
            }
            res.setHeader("Cache-Control", "max-age=1, stale-if-error=60");
            res.getWriter().print("last good");
        });
        app.get("/");
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> r = app.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("last good");
        clock.advance(Duration.ofSeconds(40));
        assertThat(app.get("/").statusCode()).as("past stale-if-error").isEqualTo(503);
    }

    @Test
    void staleWhileRevalidateServesTheStaleResponseWhileOneRequestRevalidates() throws Exception {
        CountDownLatch rendering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        site((req, res) -> {
            res.setHeader("Cache-Control", "max-age=1, stale-while-revalidate=60");
            if (app.renders.get() == 2) {
                rendering.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            res.getWriter().print("v" + app.renders.get());
        });
        assertThat(app.get("/").body()).isEqualTo("v1");
        clock.advance(Duration.ofSeconds(5));
        CompletableFuture<HttpResponse<String>> revalidating = CompletableFuture.supplyAsync(() -> {
            try {
                return app.get("/");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(rendering.await(10, TimeUnit.SECONDS)).isTrue();
        HttpResponse<String> meanwhile = app.get("/");
        assertThat(meanwhile.body()).as("stale while the render runs").isEqualTo("v1");
        assertThat(meanwhile.headers().firstValue("Age")).hasValue("5");
        release.countDown();
        assertThat(revalidating.get(10, TimeUnit.SECONDS).body()).isEqualTo("v2");
        assertThat(app.get("/").body()).isEqualTo("v2");
        assertThat(app.renders).hasValue(2);
    }

    @Test
    void varyStarIsNeverReusedAndVaryValuesAreNormalizedLists() throws Exception {
        site((req, res) -> {
            res.setHeader("Cache-Control", "max-age=60");
            res.setHeader("Vary", req.getRequestURI().equals("/star") ? "Accept, *" : "Accept");
            res.getWriter().print("r" + app.renders.get());
        });
        app.get("/star");
        app.get("/star");
        assertThat(app.renders).hasValue(2);
        assertThat(app.get("/v", "Accept", "a,b").body()).isEqualTo("r3");
        assertThat(app.get("/v", "Accept", "a,   b").body()).isEqualTo("r3");
        assertThat(app.get("/v", "Accept", "b, a").body()).isEqualTo("r4");
        assertThat(app.get("/v").body()).isEqualTo("r5");
    }

    @Test
    void unsafeMethodsInvalidateLocationAndContentLocationOnTheSameOriginOnly() throws Exception {
        site((req, res) -> {
            if (req.getMethod().equals("POST")) {
                res.setStatus(201);
                res.setHeader("Location", "/a");
                res.setHeader("Content-Location", "http://127.0.0.1:" + req.getLocalPort() + "/b");
                return;
            }
            res.setHeader("Cache-Control", "max-age=60");
            res.getWriter().print(req.getRequestURI() + app.renders.get());
        });
        app.get("/a");
        app.get("/b");
        app.get("/c");
        assertThat(app.renders).hasValue(3);
        app.send("POST", "/new");
        assertThat(app.get("/a").body()).isEqualTo("/a5");
        assertThat(app.get("/b").body()).isEqualTo("/b6");
        assertThat(app.get("/c").body()).as("not named").isEqualTo("/c3");
    }

    @Test
    void aBodyOverTheLimitStreamsThroughAndIsNotStored() throws Exception {
        app = new JettyApp().filter(PageCache.builder(cache).mode(CacheMode.RFC).maxBodyBytes(1000).clock(clock).build(), "/*")
                .view("/*", (req, res) -> {
                    res.setHeader("Cache-Control", "max-age=60");
                    res.getOutputStream().write(new byte[5000]);
                }).start();
        assertThat(app.get("/").body()).hasSize(5000);
        assertThat(app.get("/").body()).hasSize(5000);
        assertThat(app.renders).hasValue(2);
    }
}
