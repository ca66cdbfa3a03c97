package dev.cachet.servlet.internal;

import dev.cachet.Cache;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring of the page cache: for each request, asks the {@link HttpCachePolicy} what a stored
 * response can do, serves it, or renders the page once (other requests for the key wait for that
 * render, or get the stale response), stores what the policy allows in the {@link PageStore},
 * and invalidates after unsafe methods. Renders are coalesced in the process ({@link Flights})
 * and across processes sharing the cache (a render lease taken with the cache's atomic
 * {@code add}: a process that finds it held polls the store for the other's response, bounded
 * by the wait, and renders itself when none comes). A failing cache never fails a request: the page is
 * rendered as if nothing were cached, and the failure logged.
 */
public final class PageCacheHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PageCacheHandler.class);
    private static final Set<String> CONDITIONALS = Set.of("if-none-match", "if-modified-since", "if-match",
            "if-unmodified-since", "if-range");

    private final PageStore store;
    private final PolicySettings settings;
    private final List<String> varyOn;
    private final long waitMillis;
    private final long maxBodyBytes;
    private final LongSupplier clock;
    private final Flights flights = new Flights();
    private final AtomicLong renders = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * A handler storing pages in {@code cache} under {@code prefix}.
     *
     * @param varyOn request fields added to every response's {@code Vary} (Django's {@code vary_on_headers})
     * @param waitMillis how long a request waits for another's render of the same page
     * @param maxBodyBytes larger bodies stream through and are not stored
     * @param clock epoch millis
     */
    public PageCacheHandler(Cache cache, String prefix, PolicySettings settings, List<String> varyOn, long waitMillis,
            long maxBodyBytes, LongSupplier clock) {
        this.store = new PageStore(cache, prefix);
        this.settings = settings;
        this.varyOn = List.copyOf(varyOn);
        this.waitMillis = waitMillis;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** How many renders went through this handler (hits never count). */
    public long renders() {
        return renders.get();
    }

    /** Handles one request: from the cache, or through {@code chain}. */
    public void handle(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        String method = req.getMethod();
        String url = url(req);
        if (HttpCachePolicy.isUnsafe(method)) {
            invalidate(url);
            renders.incrementAndGet();
            CapturingResponse captured = new CapturingResponse(res, maxBodyBytes);
            Render.run(req, captured, chain, Set.of(), HttpFields.EMPTY, c -> {
                invalidateAfter(url, c);
                writeCaptured(req, c);
            }, () -> { });
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            chain.doFilter(req, res);
            return;
        }
        HttpFields request = fields(req);
        long start = clock.getAsLong();
        PageStore.Head head = null;
        StoredResponse stored = null;
        try {
            head = store.head(url);
            stored = head == null ? null : store.lookup(url, head, request);
        } catch (RuntimeException e) {
            failed("read", url, e);
        }
        String key = head == null ? "url " + url : store.variantKey(url, head, request);
        HttpCachePolicy.Use use = stored == null ? null : HttpCachePolicy.use(settings, request, stored, start);
        if (use == HttpCachePolicy.Use.FRESH || use == HttpCachePolicy.Use.STALE_ALLOWED
                || use == HttpCachePolicy.Use.STALE_WHILE_REVALIDATE && flights.running(key)) {
            serve(req, res, request, stored, clock.getAsLong());
            return;
        }
        if (settings.rfc() && CacheControl.parse(request.all("Cache-Control")).has("only-if-cached")) {
            res.setStatus(504);
            res.setContentLength(0);
            return;
        }
        if (method.equals("HEAD") || use == HttpCachePolicy.Use.UNUSABLE) {
            renders.incrementAndGet();
            chain.doFilter(req, res);
            return;
        }
        CompletableFuture<Void> flight = flights.lead(key);
        if (flight == null) {
            flights.await(key, waitMillis);
            StoredResponse now = lookupQuietly(url, request);
            if (now != null && HttpCachePolicy.use(settings, request, now, clock.getAsLong()) == HttpCachePolicy.Use.FRESH) {
                serve(req, res, request, now, clock.getAsLong());
                return;
            }
            flight = new CompletableFuture<>(); // render alone: the leader's response was not for us
            key = null;
        }
        String lease = null;
        if (key != null) {
            lease = leaseQuietly(key);
            if (lease == null) {
                // another process renders this page: wait for its response (bounded), as this process's
                // own waiters wait for this request
                StoredResponse theirs = awaitOtherProcess(url, request, key);
                if (theirs != null) {
                    flights.land(key, flight);
                    serve(req, res, request, theirs, clock.getAsLong());
                    return;
                }
            }
        }
        render(req, res, chain, request, url, stored, use, start, key, flight, lease);
    }

    /** The page's render lease across processes: its token, null when another process holds it, or "" when the cache fails. */
    private String leaseQuietly(String key) {
        try {
            return store.lease(key, Math.max(waitMillis, 1000));
        } catch (RuntimeException e) {
            failed("lease", key, e);
            return "";
        }
    }

    /**
     * Polls the store while another process renders {@code key}: its fresh response once stored,
     * or null when its lease is gone without one (it stored nothing for this request, or died)
     * or {@code waitMillis} passed; then this request renders the page itself.
     */
    private StoredResponse awaitOtherProcess(String url, HttpFields request, String key) {
        long deadline = System.nanoTime() + waitMillis * 1_000_000L;
        long pause = 2;
        try {
            while (System.nanoTime() - deadline < 0) {
                Thread.sleep(pause);
                pause = Math.min(20, pause * 2);
                StoredResponse now = lookupQuietly(url, request);
                if (now != null && HttpCachePolicy.use(settings, request, now, clock.getAsLong()) == HttpCachePolicy.Use.FRESH) {
                    return now;
                }
                if (!store.leased(key)) {
                    // the lease is given back after the response is stored: look once more
                    now = lookupQuietly(url, request);
                    boolean fresh = now != null
                            && HttpCachePolicy.use(settings, request, now, clock.getAsLong()) == HttpCachePolicy.Use.FRESH;
                    return fresh ? now : null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed("read", url, e);
        }
        return null;
    }

    private void render(HttpServletRequest req, HttpServletResponse res, FilterChain chain, HttpFields request, String url,
            StoredResponse stored, HttpCachePolicy.Use use, long start, String key, CompletableFuture<Void> flight,
            String lease) throws IOException, ServletException {
        renders.incrementAndGet();
        HttpFields.Builder b = HttpFields.builder();
        if (settings.rfc()) {
            b.add("Surrogate-Capability", HttpCachePolicy.SURROGATE_CAPABILITY);
        }
        boolean revalidating = stored != null && HttpCachePolicy.hasValidators(stored.headers());
        if (revalidating) {
            String etag = stored.headers().first("ETag");
            String lm = stored.headers().first("Last-Modified");
            if (etag != null) {
                b.add("If-None-Match", etag);
            }
            if (lm != null) {
                b.add("If-Modified-Since", lm);
            }
        }
        HttpFields conditional = b.build();
        CapturingResponse captured = new CapturingResponse(res, maxBodyBytes);
        Runnable land = () -> {
            if (key != null) {
                flights.land(key, flight);
            }
            if (lease != null && !lease.isEmpty()) {
                try {
                    store.release(key, lease);
                } catch (RuntimeException e) {
                    failed("release", key, e);
                }
            }
        };
        try {
            Render.run(req, captured, chain, revalidating ? CONDITIONALS : Set.of(), conditional, c -> {
                try {
                    rendered(req, c, request, url, stored, revalidating, start);
                } finally {
                    land.run();
                }
            }, land);
        } catch (IOException | ServletException | RuntimeException e) {
            land.run();
            throw e;
        }
    }

    /** The render is complete and nothing was sent yet: store what may be stored, then send. */
    private void rendered(HttpServletRequest req, CapturingResponse c, HttpFields request, String url,
            StoredResponse stored, boolean revalidating, long start) throws IOException {
        if (c.passedThrough()) {
            return;
        }
        HttpServletResponse res = (HttpServletResponse) c.getResponse();
        long now = clock.getAsLong();
        int status = c.getStatus();
        if (c.heldError()) {
            if (stored != null && HttpCachePolicy.staleOnError(settings, request, stored, status, now)) {
                res.reset();
                serve(req, res, request, stored, now);
            } else {
                c.sendHeldError();
            }
            return;
        }
        if (revalidating && status == 304) {
            HttpFields merged = HttpCachePolicy.mergeNotModified(stored.headers(),
                    HttpCachePolicy.storedFields(responseFields(res)));
            StoredResponse refreshed = stored.refreshed(merged, start, now,
                    HttpCachePolicy.lifetime(settings, stored.status(), merged, now));
            if (HttpCachePolicy.whyNotStorable(settings, request, refreshed.status(), merged, now) == null) {
                put(refreshed, now);
            }
            res.reset();
            serve(req, res, request, refreshed, now);
            return;
        }
        if (stored != null && HttpCachePolicy.staleOnError(settings, request, stored, status, now)) {
            res.reset();
            serve(req, res, request, stored, now);
            return;
        }
        for (String v : varyOn) {
            VaryHeaders.add(res, v);
        }
        HttpFields fields = responseFields(res);
        String why = HttpCachePolicy.whyNotStorable(settings, request, status, fields, now);
        if (why == null) {
            long lifetime = HttpCachePolicy.lifetime(settings, status, fields, now);
            if (!settings.rfc()) {
                DjangoHeaders.patch(res, lifetime, now);
                fields = responseFields(res);
            }
            List<String> names = HttpCachePolicy.varyNames(fields);
            StoredResponse r = new StoredResponse(status, HttpCachePolicy.storedFields(fields), c.body(), start, now,
                    lifetime, url, names, PageStore.varyValues(names, request));
            put(r, now);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("not stored: {} ({})", url, why);
        }
        writeCaptured(req, c);
    }

    private void put(StoredResponse r, long now) {
        try {
            store.store(r, HttpCachePolicy.retentionMillis(settings, r, now));
        } catch (RuntimeException e) {
            failed("write", r.url(), e);
        }
    }

    private StoredResponse lookupQuietly(String url, HttpFields request) {
        try {
            PageStore.Head head = store.head(url);
            return head == null ? null : store.lookup(url, head, request);
        } catch (RuntimeException e) {
            failed("read", url, e);
            return null;
        }
    }

    private static void writeCaptured(HttpServletRequest req, CapturingResponse c) throws IOException {
        if (c.passedThrough()) {
            return;
        }
        HttpServletResponse res = (HttpServletResponse) c.getResponse();
        if (c.heldError()) {
            c.sendHeldError();
            return;
        }
        byte[] body = c.body();
        res.setHeader("Surrogate-Control", null); // for this cache, not for the client
        if (!req.getMethod().equals("HEAD") && res.getStatus() != 304 && res.getStatus() != 204) {
            res.setContentLengthLong(body.length);
            res.getOutputStream().write(body);
        }
    }

    /** Sends {@code r} as the answer to {@code req} (a 304 when the client's conditional holds). */
    private void serve(HttpServletRequest req, HttpServletResponse res, HttpFields request, StoredResponse r, long now)
            throws IOException {
        long age = HttpCachePolicy.currentAge(r, now) / 1000;
        if (HttpCachePolicy.notModified(request, r)) {
            res.setStatus(304);
            for (String[] l : HttpCachePolicy.notModifiedFields(r.headers()).lines()) {
                res.addHeader(l[0], l[1]);
            }
            res.setHeader("Age", Long.toString(age));
            return;
        }
        res.setStatus(r.status());
        for (String[] l : r.headers().lines()) {
            if (!l[0].equalsIgnoreCase("Content-Length") && !l[0].equalsIgnoreCase("Surrogate-Control")) {
                res.addHeader(l[0], l[1]);
            }
        }
        res.setHeader("Age", Long.toString(age));
        if (r.status() != 204 && r.status() != 304) {
            res.setContentLengthLong(r.body().length);
            if (!req.getMethod().equals("HEAD")) {
                res.getOutputStream().write(r.body());
            }
        }
    }

    private void invalidate(String url) {
        try {
            store.invalidate(url);
        } catch (RuntimeException e) {
            failed("invalidate", url, e);
        }
    }

    /** After a non-error response to an unsafe method: its URL, and its Location and Content-Location on the same origin. */
    private void invalidateAfter(String url, CapturingResponse c) {
        int status = c.getStatus();
        if (status < 200 || status >= 400) {
            return;
        }
        invalidate(url);
        for (String h : new String[] {"Location", "Content-Location"}) {
            String v = c.getHeader(h);
            if (v == null) {
                continue;
            }
            try {
                URI target = URI.create(url).resolve(v.trim());
                URI base = URI.create(url);
                if (target.getHost() != null && target.getScheme().equalsIgnoreCase(base.getScheme())
                        && target.getHost().equalsIgnoreCase(base.getHost()) && target.getPort() == base.getPort()) {
                    String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
                    invalidate(PageKeys.normalizeUrl(target.getScheme(), target.getHost(), target.getPort(),
                            path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery())));
                }
            } catch (IllegalArgumentException e) {
                // not a URI: nothing to invalidate
            }
        }
    }

    private void failed(String what, String url, RuntimeException e) {
        long n = failures.incrementAndGet();
        if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th... failure: a burst is not a flood
            LOG.warn("page cache {} failed for {} (failure {}; the page is rendered as if not cached): {}", what, url, n,
                    e.toString());
        }
    }

    /** The request's URL as the cache keys it. */
    static String url(HttpServletRequest req) {
        String q = req.getQueryString();
        return PageKeys.normalizeUrl(req.getScheme(), req.getServerName(), req.getServerPort(),
                req.getRequestURI() + (q == null ? "" : "?" + q));
    }

    static HttpFields fields(HttpServletRequest req) {
        HttpFields.Builder b = HttpFields.builder();
        for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements();) {
            String n = names.nextElement();
            for (Enumeration<String> vs = req.getHeaders(n); vs.hasMoreElements();) {
                b.add(n, vs.nextElement());
            }
        }
        return b.build();
    }

    static HttpFields responseFields(HttpServletResponse res) {
        HttpFields.Builder b = HttpFields.builder();
        for (String n : new java.util.LinkedHashSet<>(res.getHeaderNames())) {
            for (String v : res.getHeaders(n)) {
                b.add(n, v);
            }
        }
        return b.build();
    }
}
