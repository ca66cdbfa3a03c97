package dev.cachet.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.ForwardingCache;
import dev.cachet.Timeout;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two users, with different cookies and {@code Authorization}, ask every kind of per-user page
 * (marked {@code private}, setting a cookie, {@code Vary: Cookie}, per {@code Authorization}),
 * with query strings differing only in order or encoding, in both orders, several times: not one
 * response of one user may reach the other. Keys stay short whatever the headers' length.
 */
class SecurityMatrixTest {
    record User(String name, String cookie, String authorization) {
    }

    static final User ALICE = new User("alice", "session=alice-" + "a".repeat(20_000), "Bearer alice-token");
    static final User BOB = new User("bob", "session=bob-" + "b".repeat(20_000), "Bearer bob-token");

    /** The user a request comes from, as the application sees it. */
    static String who(jakarta.servlet.http.HttpServletRequest req) {
        String c = req.getHeader("Cookie");
        String a = req.getHeader("Authorization");
        String byCookie = c == null ? "" : c.startsWith("session=alice") ? "alice" : c.startsWith("session=bob") ? "bob" : "?";
        String byAuth = a == null ? "" : a.contains("alice") ? "alice" : a.contains("bob") ? "bob" : "?";
        return byCookie + "/" + byAuth;
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void noResponseOfOneUserReachesTheOther(CacheMode mode) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Cache memory = Caches.open("memory:?max_entries=10000")) {
            Cache recording = new ForwardingCache(memory) {
                @Override
                public boolean set(String key, Object value, Timeout timeout) {
                    synchronized (keys) {
                        keys.add(key);
                    }
                    return super.set(key, value, timeout);
                }
            };
            PageCache pages = PageCache.builder(recording).mode(mode).build();
            try (JettyApp app = new JettyApp().filter(pages, "/*").view("/*", (req, res) -> {
                String page = req.getRequestURI();
                switch (page) {
                    case "/private" -> res.setHeader("Cache-Control", "private, max-age=600");
                    case "/set-cookie" -> {
                        res.setHeader("Cache-Control", "max-age=600");
                        res.addHeader("Set-Cookie", "seen=" + who(req));
                    }
                    case "/vary-cookie" -> {
                        res.setHeader("Cache-Control", "max-age=600");
                        res.setHeader("Vary", "Cookie");
                    }
                    case "/vary-both" -> {
                        res.setHeader("Cache-Control", "max-age=600");
                        res.setHeader("Vary", "Cookie, Authorization");
                    }
                    default -> res.setHeader("Cache-Control", "max-age=600"); // /auth: per Authorization, not marked
                }
                res.getWriter().print(who(req));
            }).start()) {
                AtomicInteger checked = new AtomicInteger();
                AtomicInteger leaks = new AtomicInteger();
                List<String> queries = List.of("?a=1&b=2", "?b=2&a=1", "?a=%31&b=2", "?%61=1&b=2", "?a=1&b=2&");
                for (String page : List.of("/private", "/set-cookie", "/vary-cookie", "/vary-both", "/auth")) {
                    for (String q : queries) {
                        for (User[] order : new User[][] {{ALICE, BOB}, {BOB, ALICE}}) {
                            for (int round = 0; round < 2; round++) {
                                for (User u : order) {
                                    boolean cookie = !page.equals("/auth");
                                    boolean auth = page.equals("/auth") || page.equals("/vary-both");
                                    List<String> h = new ArrayList<>();
                                    if (cookie) {
                                        h.add("Cookie");
                                        h.add(u.cookie());
                                    }
                                    if (auth) {
                                        h.add("Authorization");
                                        h.add(u.authorization());
                                    }
                                    HttpResponse<String> r = app.get(page + q, h.toArray(String[]::new));
                                    assertThat(r.statusCode()).isEqualTo(200);
                                    String expected = (cookie ? u.name() : "") + "/" + (auth ? u.name() : "");
                                    checked.incrementAndGet();
                                    if (!r.body().equals(expected)) {
                                        leaks.incrementAndGet();
                                    }
                                    r.headers().allValues("Set-Cookie").forEach(sc ->
                                            assertThat(sc).as("a cookie set for another user").isEqualTo("seen=" + expected));
                                }
                            }
                        }
                    }
                }
                assertThat(checked.get()).isEqualTo(5 * queries.size() * 2 * 2 * 2);
                assertThat(leaks.get()).as("responses of one user served to the other").isZero();
                // and the cache did serve: every Vary: Cookie page was rendered once per user and query key,
                // not once per request
                assertThat(app.renders.get()).isLessThan(checked.get());
            }
        }
        assertThat(keys).isNotEmpty();
        assertThat(keys).allSatisfy(k -> assertThat(k.length()).as(k).isLessThanOrEqualTo(80));
    }
}
