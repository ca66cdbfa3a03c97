package dev.cachet.servlet;

/** How a {@link PageCache} decides what to store and for how long. */
public enum CacheMode {
    /**
     * Django's per-site and per-view cache: every cacheable {@code 200} response to a {@code GET} is
     * stored for the response's {@code Cache-Control: max-age}, else for the page cache's default
     * timeout, and is given {@code Expires} and {@code Cache-Control: max-age} headers when it has
     * none. Unlike Django, responses marked {@code no-store}, {@code no-cache} or {@code private},
     * with {@code max-age=0}, {@code Vary: *} or {@code Set-Cookie}, and responses to requests with
     * {@code Authorization} (unless {@code public}, {@code s-maxage} or {@code must-revalidate})
     * are never stored. Request {@code Cache-Control} directives are ignored, as Django does.
     */
    DJANGO,
    /**
     * A shared HTTP cache as RFC 9111 and RFC 5861 describe it: only what HTTP says may be stored is
     * stored, for its explicit freshness ({@code s-maxage}, {@code max-age}, {@code Expires}) or a
     * heuristic one where the RFC allows it, with no default timeout; requests' directives are
     * honoured; stale responses are revalidated with conditional requests.
     */
    RFC
}
