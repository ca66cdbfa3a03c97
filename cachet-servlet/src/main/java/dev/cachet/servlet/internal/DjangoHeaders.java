package dev.cachet.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;

/** Django's {@code patch_response_headers} and {@code add_never_cache_headers}. */
public final class DjangoHeaders {
    private DjangoHeaders() {
    }

    /** Adds {@code Expires} and {@code Cache-Control: max-age} for {@code lifetimeMillis} where the response has none. */
    static void patch(HttpServletResponse res, long lifetimeMillis, long now) {
        long seconds = lifetimeMillis / 1000;
        if (res.getHeader("Expires") == null) {
            res.setHeader("Expires", HttpDates.format(now + seconds * 1000));
        }
        String cc = String.join(", ", res.getHeaders("Cache-Control"));
        if (cc.isEmpty()) {
            res.setHeader("Cache-Control", "max-age=" + seconds);
        } else if (!CacheControl.parse(java.util.List.of(cc)).has("max-age")) {
            res.setHeader("Cache-Control", cc + ", max-age=" + seconds);
        }
    }

    /** Marks {@code res} as never to be cached, by any cache. */
    public static void neverCache(HttpServletResponse res, long now) {
        res.setHeader("Expires", HttpDates.format(now));
        res.setHeader("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private");
    }
}
