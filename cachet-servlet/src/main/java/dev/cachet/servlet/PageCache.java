package dev.cachet.servlet;

import dev.cachet.Cache;
import dev.cachet.servlet.internal.DjangoHeaders;
import dev.cachet.servlet.internal.PageCacheHandler;
import dev.cachet.servlet.internal.PolicySettings;
import dev.cachet.servlet.internal.VaryHeaders;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A page cache: whole HTTP responses of {@code GET} requests kept in a cachet {@link Cache} (any
 * backend), in Django's manner or as an RFC 9111 shared cache ({@link CacheMode}). Put it in front
 * of a whole application with {@link PageCacheFilter} (Django's per-site cache), of some URL
 * patterns by mapping that filter to them, or of one servlet with
 * {@link PageCacheFilter#cachePage} (Django's {@code cache_page}).
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>A stored response is served only to a request whose URL (scheme, host, port, path and
 *       query, percent-escapes normalized) and values of every field its {@code Vary} names
 *       (normalized lists) are those of the request it answered; keys are SHA-256 digests, so
 *       their length is bounded whatever the URL or headers.</li>
 *   <li>Responses marked {@code private}, carrying {@code Set-Cookie} or {@code Vary: *}, and
 *       responses to requests with {@code Authorization} (unless {@code public}, {@code s-maxage}
 *       or {@code must-revalidate}) are never stored, in either mode: one user's response is
 *       never served to another. Nor is a {@code no-store} response, unless a
 *       {@code Surrogate-Control: max-age} meant for this cache overrides its
 *       {@code Cache-Control}.</li>
 *   <li>At most one render of a page at a time in the process: concurrent requests for it wait
 *       for that render (at most {@link Builder#waitForRender}) or, within
 *       {@code stale-while-revalidate}, get the stale response.</li>
 *   <li>An unsafe request ({@code POST}, {@code PUT}, {@code DELETE}, ...) invalidates its URL
 *       before it is rendered, and, when its response is a success (2xx, 3xx), again after, with
 *       the same-origin URLs in the response's {@code Location} and {@code Content-Location}.</li>
 *   <li>A cache that fails (a backend down under {@code on_error=raise}) never fails a request:
 *       the page is rendered as if nothing were cached, and the failure logged.</li>
 * </ul>
 * Thread-safe; share one instance between the filters and views that should share renders.
 */
public final class PageCache {
    /** Django's {@code CACHE_MIDDLEWARE_SECONDS} default: 600 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);

    private final Builder config;
    private final PageCacheHandler handler;

    private PageCache(Builder b) {
        this.config = b.copy();
        List<String> varyOn = new ArrayList<>(b.varyOnHeaders);
        if (b.varyOnCookie) {
            varyOn.add("Cookie");
        }
        PolicySettings settings = new PolicySettings(b.mode, b.timeout.toMillis(), Set.copyOf(b.statuses),
                b.mode == CacheMode.RFC ? b.staleRetention.toMillis() : 0);
        Clock clock = b.clock;
        this.handler = new PageCacheHandler(b.cache, b.keyPrefix.isEmpty() ? "cachet.page." : "cachet.page." + b.keyPrefix + ".", settings, varyOn,
                b.waitForRender.toMillis(), b.maxBodyBytes, clock::millis);
    }

    /** A builder of a page cache storing in {@code cache}. */
    public static Builder builder(Cache cache) {
        return new Builder(Objects.requireNonNull(cache, "cache"));
    }

    /** A builder starting from this page cache's settings (a view's variant of the site's cache). */
    public Builder toBuilder() {
        return config.copy();
    }

    /** The cache pages are stored in. */
    public Cache cache() {
        return config.cache;
    }

    /** The mode. */
    public CacheMode mode() {
        return config.mode;
    }

    /** Django mode's default lifetime. */
    public Duration timeout() {
        return config.timeout;
    }

    /** The key prefix of this page cache's entries (within the cache's own {@code key_prefix}). */
    public String keyPrefix() {
        return config.keyPrefix;
    }

    /** How many times a page was rendered (requests served from the cache are not counted). */
    public long renders() {
        return handler.renders();
    }

    PageCacheHandler handler() {
        return handler;
    }

    /**
     * Django's {@code never_cache} ({@code add_never_cache_headers}): marks {@code response} so
     * that no cache, this one included, stores it.
     */
    public static void neverCache(HttpServletResponse response) {
        DjangoHeaders.neverCache(response, System.currentTimeMillis());
    }

    /**
     * Django's {@code vary_on_headers} for one response ({@code patch_vary_headers}): adds
     * {@code fieldNames} to its {@code Vary}, so the cache keeps one variant per value of them.
     */
    public static void varyOn(HttpServletResponse response, String... fieldNames) {
        VaryHeaders.add(response, fieldNames);
    }

    /** Builds a {@link PageCache}; every setting has a default but the cache. */
    public static final class Builder {
        private final Cache cache;
        private CacheMode mode = CacheMode.DJANGO;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String keyPrefix = "";
        private List<String> varyOnHeaders = new ArrayList<>();
        private boolean varyOnCookie;
        private Duration waitForRender = Duration.ofSeconds(10);
        private long maxBodyBytes = 8L << 20;
        private Duration staleRetention = Duration.ofMinutes(1);
        private Set<Integer> statuses = Set.of(200);
        private Clock clock = Clock.systemUTC();

        private Builder(Cache cache) {
            this.cache = cache;
        }

        private Builder copy() {
            Builder b = new Builder(cache);
            b.mode = mode;
            b.timeout = timeout;
            b.keyPrefix = keyPrefix;
            b.varyOnHeaders = new ArrayList<>(varyOnHeaders);
            b.varyOnCookie = varyOnCookie;
            b.waitForRender = waitForRender;
            b.maxBodyBytes = maxBodyBytes;
            b.staleRetention = staleRetention;
            b.statuses = statuses;
            b.clock = clock;
            return b;
        }

        /** {@link CacheMode#DJANGO} (the default) or {@link CacheMode#RFC}. */
        public Builder mode(CacheMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Django mode: how long a response without {@code max-age} is kept (600 s by default; positive). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("page cache timeout must be positive, not " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** A prefix for this page cache's keys, so several page caches can share a cache (Django's {@code key_prefix}). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** Adds request fields every response varies on (Django's {@code vary_on_headers}). */
        public Builder varyOnHeaders(String... fieldNames) {
            for (String n : fieldNames) {
                if (n == null || n.isBlank() || n.contains(",")) {
                    throw new IllegalArgumentException("vary on header: '" + n + "' is not one field name");
                }
                varyOnHeaders.add(n.trim());
            }
            return this;
        }

        /** Every response varies on {@code Cookie} (Django's {@code vary_on_cookie}): one variant per user's cookies. */
        public Builder varyOnCookie() {
            this.varyOnCookie = true;
            return this;
        }

        /** How long a request waits for another request's render of the same page before rendering itself (10 s). */
        public Builder waitForRender(Duration wait) {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("waitForRender must not be negative, not " + wait);
            }
            this.waitForRender = wait;
            return this;
        }

        /** Bodies larger than this stream through and are not stored (8 MiB by default). */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodyBytes must not be negative, not " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * RFC mode: how long a response is kept past its freshness, to be revalidated or served
         * when the origin cannot be reached (1 minute by default; responses with validators are
         * kept as long as they were fresh, up to a day).
         */
        public Builder staleRetention(Duration retention) {
            if (retention.isNegative()) {
                throw new IllegalArgumentException("staleRetention must not be negative, not " + retention);
            }
            this.staleRetention = retention;
            return this;
        }

        /** Django mode: the statuses stored ({@code 200} only by default, as Django). */
        public Builder statuses(Set<Integer> statuses) {
            this.statuses = Set.copyOf(statuses);
            return this;
        }

        /** The clock for request, response and expiry times (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The page cache. */
        public PageCache build() {
            return new PageCache(this);
        }
    }
}
