package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request coalescing across processes: two servers, each with a cache of its own over one shared
 * backend (a file cache's directory, as two processes on one host share it) and nothing else in
 * common, get 40 concurrent requests each for a cold page whose render takes 1 s: the render
 * lease in the shared cache lets one of them render, once; the other server serves that response.
 */
class CrossProcessCoalescingTest {
    @TempDir
    Path dir;

    private static JettyApp app(Cache cache) {
        return new JettyApp().filter(PageCache.builder(cache).build(), "/*").view("/*", (req, res) -> {
            try {
                Thread.sleep(1000); // the slow render
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            res.getWriter().print("rendered by one of them");
        });
    }

    @Test
    void twoServersSharingABackendRenderAColdPageOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(80);
        try (Cache one = Caches.open("file:" + dir); Cache two = Caches.open("file:" + dir);
                JettyApp a = app(one); JettyApp b = app(two)) {
            a.server.setStopTimeout(1000);
            b.server.setStopTimeout(1000);
            a.start();
            b.start();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                JettyApp target = i % 2 == 0 ? a : b;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return target.get("/report");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("rendered by one of them");
            }
            assertThat(a.renders.get() + b.renders.get()).as("renders on both servers together").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
