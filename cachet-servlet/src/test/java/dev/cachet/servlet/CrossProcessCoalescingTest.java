package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
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
 * Both are asked for the same URL (one {@code Host}, as behind a load balancer), over raw sockets
 * since Java's HTTP client will not set {@code Host}.
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

    /** The whole response to {@code GET path} with {@code Host: www.example.com}, read to the connection's end. */
    private static String get(int port, String path) throws java.io.IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoServersSharingABackendRenderAColdPageOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(80);
        try (Cache one = Caches.open("file:" + dir); Cache two = Caches.open("file:" + dir);
                JettyApp a = app(one); JettyApp b = app(two)) {
            a.start();
            b.start();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<String>> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                JettyApp target = i % 2 == 0 ? a : b;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return get(target.port(), "/report");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<String> f : all) {
                String r = f.get(30, TimeUnit.SECONDS);
                assertThat(r).startsWith("HTTP/1.1 200").contains("rendered by one of them");
            }
            assertThat(a.renders.get() + b.renders.get()).as("renders on both servers together").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
