package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request coalescing: one render per page at a time in the process. */
class CoalescingTest {
    @Test
    void hundredConcurrentRequestsToAColdPageRenderItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try (Cache cache = Caches.open("memory:");
             JettyApp app = new JettyApp().filter(PageCache.builder(cache).build(), "/*").view("/*", (req, res) -> {
                 try {
                     Thread.sleep(1000); // the slow render
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 res.getWriter().print("rendered once");
             })) {
            app.start();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return app.get("/report");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            long start = System.nanoTime();
            go.countDown();
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("rendered once");
            }
            System.out.printf("100 concurrent requests to a cold 1 s page: %d render(s), all answered in %d ms%n",
                    app.renders.get(), (System.nanoTime() - start) / 1_000_000);
            assertThat(app.renders).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
