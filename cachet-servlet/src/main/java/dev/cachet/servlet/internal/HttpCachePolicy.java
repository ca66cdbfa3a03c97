package dev.cachet.servlet.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The page cache's decisions, as pure functions of the request's fields, a response, the
 * {@link PolicySettings} and the time (epoch millis): may a response be stored and for how long,
 * what its current age is, whether a stored response may answer a request as it is, after
 * revalidation, or while it revalidates, and how a {@code 304} updates it. No I/O, no clock: the
 * caller passes {@code now}. RFC 9111 (shared cache) and RFC 5861 are the references; Django's
 * {@code UpdateCacheMiddleware} for {@link dev.cachet.servlet.CacheMode#DJANGO}.
 */
public final class HttpCachePolicy {
    /** What a stored response can do for a request. */
    public enum Use {
        /** Serve it as it is. */
        FRESH,
        /** Serve it now, and have it revalidated (RFC 5861 {@code stale-while-revalidate}). */
        STALE_WHILE_REVALIDATE,
        /** Serve it although stale: the request allows it ({@code max-stale}). */
        STALE_ALLOWED,
        /** Ask the origin (conditionally when it has validators); it may stand in if the origin fails. */
        REVALIDATE,
        /** It cannot answer this request at all (go to the origin as if nothing were stored). */
        UNUSABLE
    }

    /** Statuses RFC 9110 defines as heuristically cacheable (15.1). */
    static final Set<Integer> HEURISTIC_STATUSES = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    /** Statuses this cache understands (for {@code must-understand}, RFC 9111 5.2.2.3). */
    static final Set<Integer> UNDERSTOOD = Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 400, 403, 404,
            405, 410, 414, 500, 501, 502, 503, 504);
    /** Fields never stored (hop-by-hop, proxy authentication) and never taken from a 304. */
    static final Set<String> NOT_STORED = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authentication-info",
            "proxy-authorization", "trailer");
    /** Fields a 304 does not replace in the stored response. */
    static final Set<String> NOT_UPDATED = Set.of("content-length", "content-encoding", "content-md5",
            "content-range", "etag", "transfer-encoding");

    private static final long HEURISTIC_CAP = 86_400_000L;

    /** The device token this cache answers to in {@code Surrogate-Control} targets ({@code max-age=60;cachet}). */
    public static final String SURROGATE_TOKEN = "cachet";
    /** The {@code Surrogate-Capability} request field announcing this cache to an origin. */
    public static final String SURROGATE_CAPABILITY = SURROGATE_TOKEN + "=\"Surrogate/1.0\"";

    private HttpCachePolicy() {
    }

    /**
     * The {@code Surrogate-Control} directives for this cache (W3C Edge Architecture): those with
     * no target and those targeted at {@link #SURROGATE_TOKEN}; null when the response has none.
     */
    static CacheControl surrogateControl(HttpFields response) {
        List<String> lines = response.all("Surrogate-Control");
        if (lines.isEmpty()) {
            return null;
        }
        List<String> mine = new ArrayList<>();
        for (String line : lines) {
            for (String member : line.split(",")) {
                int semi = member.indexOf(';');
                if (semi < 0) {
                    mine.add(member);
                } else if (member.substring(semi + 1).trim().equalsIgnoreCase(SURROGATE_TOKEN)) {
                    mine.add(member.substring(0, semi));
                }
            }
        }
        CacheControl sc = CacheControl.parse(List.of(String.join(",", mine)));
        return sc.has("max-age") || sc.has("no-store") ? sc : null;
    }

    /** Request methods after whose success stored responses of the URLs involved are invalidated. */
    public static boolean isUnsafe(String method) {
        return !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE"));
    }

    /**
     * Why a response to a {@code GET} with {@code request} fields may not be stored, or null when
     * it may.
     */
    public static String whyNotStorable(PolicySettings s, HttpFields request, int status, HttpFields response,
            long responseTime) {
        CacheControl rq = CacheControl.parse(request.all("Cache-Control"));
        CacheControl cc = CacheControl.parse(response.all("Cache-Control"));
        if (s.rfc() && rq.has("no-store")) {
            return "the request says no-store";
        }
        if (s.rfc() && (status < 200 || status == 206 || status == 304)) {
            return "status " + status + " is not stored";
        }
        if (!s.rfc() && !s.djangoStatuses().contains(status)) {
            return "status " + status + " is not stored in Django mode";
        }
        CacheControl sc = surrogateControl(response);
        if (sc != null && sc.has("no-store")) {
            return "Surrogate-Control: no-store";
        }
        if (cc.has("must-understand") && !UNDERSTOOD.contains(status)) {
            return "must-understand with status " + status;
        }
        if (cc.has("no-store") && sc == null && !(cc.has("must-understand") && UNDERSTOOD.contains(status))) {
            return "no-store";
        }
        if (cc.has("private")) {
            return "private";
        }
        if (varyNames(response) == null) {
            return "Vary: *";
        }
        if (response.has("Set-Cookie") || response.has("Set-Cookie2")) {
            return "Set-Cookie (a shared cache would hand one user's cookie to the next)";
        }
        if (request.has("Authorization") && !(cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate"))) {
            return "the request has Authorization and the response is not public, s-maxage or must-revalidate";
        }
        if (!s.rfc()) {
            if (cc.has("no-cache")) {
                return "no-cache";
            }
            return lifetime(s, status, response, responseTime) > 0 ? null : "max-age=0";
        }
        boolean explicit = cc.has("s-maxage") || cc.has("max-age") || response.has("Expires") || cc.has("public") || sc != null;
        if (!explicit && !HEURISTIC_STATUSES.contains(status)) {
            return "status " + status + " has no explicit freshness and is not heuristically cacheable";
        }
        if (lifetime(s, status, response, responseTime) <= 0 && !hasValidators(response)
                && !cc.has("stale-if-error") && s.staleRetentionMillis() <= 0) {
            return "stale at once, with nothing to revalidate it by";
        }
        return null;
    }

    /**
     * The freshness lifetime in millis: Django mode {@code max-age} or the default; RFC mode
     * {@code s-maxage}, {@code max-age}, {@code Expires} minus {@code Date}, or a heuristic 10% of
     * {@code Date} minus {@code Last-Modified} (capped at a day) for heuristically cacheable
     * statuses and {@code public} responses. An invalid directive or date gives 0 (stale).
     */
    public static long lifetime(PolicySettings s, int status, HttpFields response, long responseTime) {
        CacheControl cc = CacheControl.parse(response.all("Cache-Control"));
        CacheControl sc = surrogateControl(response);
        if (sc != null && sc.has("max-age")) {
            return Math.max(0, sc.seconds("max-age")) * 1000; // meant for surrogates: it overrides Cache-Control
        }
        if (!s.rfc()) {
            long ma = cc.seconds("max-age");
            return ma == CacheControl.ABSENT ? s.defaultLifetimeMillis() : Math.max(0, ma) * 1000;
        }
        long sm = cc.seconds("s-maxage");
        if (sm != CacheControl.ABSENT) {
            return Math.max(0, sm) * 1000;
        }
        long ma = cc.seconds("max-age");
        if (ma != CacheControl.ABSENT) {
            return Math.max(0, ma) * 1000;
        }
        List<String> expires = response.all("Expires");
        if (!expires.isEmpty()) {
            long e = expires.size() == 1 ? HttpDates.parse(expires.get(0)) : Long.MIN_VALUE;
            if (e == Long.MIN_VALUE) {
                return 0;
            }
            return Math.max(0, e - dateOf(response, responseTime));
        }
        String lm = response.first("Last-Modified");
        if (lm != null && (HEURISTIC_STATUSES.contains(status) || cc.has("public"))) {
            long l = HttpDates.parse(lm);
            if (l != Long.MIN_VALUE) {
                return Math.min(HEURISTIC_CAP, Math.max(0, (dateOf(response, responseTime) - l) / 10));
            }
        }
        return 0;
    }

    /**
     * How long the cache should keep the entry: its remaining freshness plus the time it may
     * still serve stale ({@code stale-while-revalidate}, {@code stale-if-error}) or be revalidated.
     */
    public static long retentionMillis(PolicySettings s, StoredResponse r, long now) {
        CacheControl cc = CacheControl.parse(r.headers().all("Cache-Control"));
        long remaining = Math.max(0, r.lifetimeMillis() - currentAge(r, now));
        long extra = Math.max(Math.max(0, cc.seconds("stale-while-revalidate")),
                Math.max(0, cc.seconds("stale-if-error"))) * 1000;
        if (s.rfc()) {
            extra = Math.max(extra, s.staleRetentionMillis());
            if (hasValidators(r.headers())) {
                extra = Math.max(extra, Math.min(HEURISTIC_CAP, Math.max(r.lifetimeMillis(), 60_000)));
            }
        }
        return remaining + extra;
    }

    /**
     * The response's current age in millis (RFC 9111 4.2.3): the larger of its apparent age and
     * its {@code Age} corrected for the response delay, plus the time it has been stored. An
     * {@code Age} that is not one non-negative integer makes it infinitely old (stale).
     */
    public static long currentAge(StoredResponse r, long now) {
        List<String> ages = r.headers().all("Age");
        long ageValue = 0;
        if (!ages.isEmpty()) {
            ageValue = ages.size() == 1 ? parseAge(ages.get(0)) : -1;
            if (ageValue < 0) {
                return Long.MAX_VALUE / 4;
            }
        }
        long date = dateOf(r.headers(), r.responseTime());
        long apparent = Math.max(0, r.responseTime() - date);
        long delay = Math.max(0, r.responseTime() - r.requestTime());
        long corrected = Math.max(apparent, ageValue + delay);
        return corrected + Math.max(0, now - r.responseTime());
    }

    private static long parseAge(String v) {
        String t = v.trim();
        if (t.isEmpty() || t.length() > 10) {
            return t.chars().allMatch(Character::isDigit) && !t.isEmpty() ? Integer.MAX_VALUE * 1000L : -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(t) * 1000;
    }

    private static long dateOf(HttpFields h, long fallback) {
        List<String> dates = h.all("Date");
        long d = dates.size() == 1 ? HttpDates.parse(dates.get(0)) : Long.MIN_VALUE;
        return d == Long.MIN_VALUE ? fallback : d;
    }

    /** True when the response carries an {@code ETag} or a {@code Last-Modified}. */
    public static boolean hasValidators(HttpFields response) {
        return response.has("ETag") || response.has("Last-Modified");
    }

    /** What {@code stored} can do for a {@code GET}/{@code HEAD} with {@code request} fields at {@code now}. */
    public static Use use(PolicySettings s, HttpFields request, StoredResponse stored, long now) {
        CacheControl cc = CacheControl.parse(stored.headers().all("Cache-Control"));
        if (request.has("Authorization") && !(cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate"))) {
            return Use.UNUSABLE;
        }
        if (cc.has("no-cache")) {
            return Use.REVALIDATE;
        }
        long age = currentAge(stored, now);
        long lifetime = stored.lifetimeMillis();
        if (!s.rfc()) {
            return age < lifetime ? Use.FRESH : staleUse(cc, age - lifetime);
        }
        CacheControl rq = CacheControl.parse(request.all("Cache-Control"));
        if (rq.has("no-cache") || (request.all("Cache-Control").isEmpty() && pragmaNoCache(request))) {
            return Use.REVALIDATE;
        }
        boolean fresh = age < lifetime;
        long reqMaxAge = rq.seconds("max-age");
        if (reqMaxAge >= 0 && age > reqMaxAge * 1000) {
            fresh = false;
        }
        long minFresh = rq.seconds("min-fresh");
        if (minFresh >= 0 && lifetime - age < minFresh * 1000) {
            fresh = false;
        }
        if (fresh) {
            return Use.FRESH;
        }
        long staleness = Math.max(0, age - lifetime);
        if (staleForbidden(cc)) {
            return Use.REVALIDATE;
        }
        if (rq.has("max-stale") && reqMaxAge < 0 && minFresh < 0) {
            long maxStale = rq.seconds("max-stale");
            if (maxStale == CacheControl.INVALID && rq.value("max-stale") == null || maxStale >= 0 && staleness <= maxStale * 1000) {
                return Use.STALE_ALLOWED;
            }
        }
        return staleUse(cc, staleness);
    }

    private static Use staleUse(CacheControl cc, long staleness) {
        long swr = cc.seconds("stale-while-revalidate");
        if (!staleForbidden(cc) && swr >= 0 && staleness <= swr * 1000) {
            return Use.STALE_WHILE_REVALIDATE;
        }
        return Use.REVALIDATE;
    }

    private static boolean pragmaNoCache(HttpFields request) {
        for (String p : request.all("Pragma")) {
            if (p.toLowerCase(Locale.ROOT).contains("no-cache")) {
                return true;
            }
        }
        return false;
    }

    /** must-revalidate, proxy-revalidate, s-maxage (shared caches) and no-cache forbid serving stale. */
    private static boolean staleForbidden(CacheControl cc) {
        return cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage") || cc.has("no-cache");
    }

    /**
     * True when {@code stored} may answer instead of an error {@code status} from the origin:
     * RFC 5861 {@code stale-if-error} (in the response or the request) for 500, 502, 503 and 504,
     * while nothing forbids serving stale. Without that explicit permission a stale response is
     * never served on an error, not even when the origin cannot be reached (which RFC 9111 4.2.4
     * would allow): a client asking a page gets the origin's error, not an old page it did not
     * opt into.
     */
    public static boolean staleOnError(PolicySettings s, HttpFields request, StoredResponse stored, int status, long now) {
        if (status != 500 && status != 502 && status != 503 && status != 504) {
            return false;
        }
        CacheControl cc = CacheControl.parse(stored.headers().all("Cache-Control"));
        if (staleForbidden(cc)) {
            return false;
        }
        long staleness = Math.max(0, currentAge(stored, now) - stored.lifetimeMillis());
        long sie = Math.max(cc.seconds("stale-if-error"),
                CacheControl.parse(request.all("Cache-Control")).seconds("stale-if-error"));
        return sie >= 0 && staleness <= sie * 1000;
    }

    /**
     * The {@code Vary} field names (lower case, in order, without repeats), or null when it holds
     * {@code *} (a response that matches no later request). Empty members are ignored.
     */
    public static List<String> varyNames(HttpFields response) {
        List<String> names = new ArrayList<>();
        for (String line : response.all("Vary")) {
            for (String part : line.split(",")) {
                String n = part.trim().toLowerCase(Locale.ROOT);
                if (n.equals("*")) {
                    return null;
                }
                if (!n.isEmpty() && !names.contains(n)) {
                    names.add(n);
                }
            }
        }
        return names;
    }

    /**
     * The value of request field {@code name} as a variant compares it: the lines joined as one
     * list, each member trimmed, joined by {@code ", "} (so {@code a,b}, {@code a, b} and two lines
     * {@code a} and {@code b} are one variant); null when the request has no such field.
     */
    public static String normalizedValue(HttpFields request, String name) {
        List<String> lines = request.all(name);
        if (lines.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            for (String part : line.split(",", -1)) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(p.replaceAll("[ \t]+", " "));
            }
        }
        return sb.toString();
    }

    /**
     * The stored response's headers after a {@code 304} with {@code update} fields (RFC 9111
     * 4.3.4): fields the 304 carries replace the stored ones, except those describing the body
     * ({@code Content-Length}, {@code Content-Encoding}, {@code Content-Range}, {@code ETag}, ...).
     */
    public static HttpFields mergeNotModified(HttpFields stored, HttpFields update) {
        HttpFields.Builder b = HttpFields.builder();
        java.util.Set<String> replaced = new java.util.HashSet<>();
        replaced.add("age"); // the stored Age was the old response's: the 304's own (or none) counts now
        for (String[] l : update.lines()) {
            String n = l[0].toLowerCase(Locale.ROOT);
            if (!NOT_UPDATED.contains(n) && !NOT_STORED.contains(n)) {
                replaced.add(n);
            }
        }
        for (String[] l : stored.lines()) {
            if (!replaced.contains(l[0].toLowerCase(Locale.ROOT))) {
                b.add(l[0], l[1]);
            }
        }
        for (String[] l : update.lines()) {
            if (replaced.contains(l[0].toLowerCase(Locale.ROOT))) {
                b.add(l[0], l[1]);
            }
        }
        return b.build();
    }

    /** The response's fields that are stored: without hop-by-hop fields and those its {@code Connection} names. */
    public static HttpFields storedFields(HttpFields response) {
        java.util.Set<String> drop = new java.util.HashSet<>(NOT_STORED);
        for (String c : response.all("Connection")) {
            for (String p : c.split(",")) {
                drop.add(p.trim().toLowerCase(Locale.ROOT));
            }
        }
        return response.without(drop);
    }

    /**
     * True when the client's conditional {@code request} is satisfied by {@code stored} (answer
     * {@code 304}): {@code If-None-Match} by weak comparison with its {@code ETag} (taking
     * precedence), else {@code If-Modified-Since} against its {@code Last-Modified} (or {@code Date},
     * or when it was received).
     */
    public static boolean notModified(HttpFields request, StoredResponse stored) {
        if (stored.status() != 200) {
            return false;
        }
        List<String> inm = request.all("If-None-Match");
        if (!inm.isEmpty()) {
            String etag = stored.headers().first("ETag");
            for (String line : inm) {
                for (String tag : line.split(",")) {
                    String t = tag.trim();
                    if (t.equals("*") || etag != null && weakTag(t).equals(weakTag(etag.trim()))) {
                        return true;
                    }
                }
            }
            return false;
        }
        long ims = HttpDates.parse(request.first("If-Modified-Since"));
        if (ims == Long.MIN_VALUE) {
            return false;
        }
        long lm = HttpDates.parse(stored.headers().first("Last-Modified"));
        if (lm == Long.MIN_VALUE) {
            lm = dateOf(stored.headers(), stored.responseTime());
        }
        return lm <= ims;
    }

    private static String weakTag(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** The fields a {@code 304} made from {@code stored} carries (RFC 9110 15.4.5). */
    public static HttpFields notModifiedFields(HttpFields stored) {
        HttpFields.Builder b = HttpFields.builder();
        for (String[] l : stored.lines()) {
            String n = l[0].toLowerCase(Locale.ROOT);
            if (n.equals("etag") || n.equals("cache-control") || n.equals("content-location") || n.equals("date")
                    || n.equals("expires") || n.equals("vary") || n.equals("last-modified")) {
                b.add(l[0], l[1]);
            }
        }
        return b.build();
    }
}
