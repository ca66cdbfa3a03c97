package dev.cachet.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./cachet demo --smoke}: a scripted visit of a running demo over HTTP, as a person would
 * make it, timed from the client: a heavy user's first page, the same page cached, the page
 * right after "add a feed" (stale) and how long until it is fresh, a frequent reader's first page
 * after a feed update (prefetched), and the hit ratio.
 */
public final class DemoSmoke {
    /** Visits of the cached page measured for its p50 and p99. */
    public static final int CACHED_VISITS = 200;
    /** Visits of the cached page before those measured: the JIT compiles the serving path, as on a site that has been up a while. */
    public static final int WARM_UP_VISITS = 300;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A visit of the demo at {@code base} ({@code http://host:port/}). */
    public DemoSmoke(URI base) {
        this.base = base;
    }

    /**
     * One page fetched: its time in milliseconds as the client saw it (request to last byte), the
     * server's own time for it (its data and HTML, from the {@code Server-Timing} header), how the
     * server says it was served, and the data version of the page.
     */
    public record Fetch(double millis, double serverMillis, String outcome, long pageVersion) {
    }

    /**
     * The figures of one visit.
     *
     * @param heavyUser the heavy user visited
     * @param firstPage the heavy user's first page, uncached
     * @param cachedP50 p50 of {@value #CACHED_VISITS} visits of the same page, cached, after {@value #WARM_UP_VISITS} unmeasured
     * @param cachedP99 their p99
     * @param cachedServerP50 p50 of the server's own time for those visits
     * @param cachedServerP99 its p99
     * @param afterAddFeed the page right after "add a feed" (stale)
     * @param freshAfterMillis from adding the feed until the page was fresh (the recomputation, in the background)
     * @param freshPage the page once fresh
     * @param frequentUser the frequent reader
     * @param frequentAfterUpdate the frequent reader's first page after a feed update (prefetched)
     * @param occasionalAfterUpdate an occasional reader's first page after the same update (invalidated: computed, or
     *     recomputed in the background by the cache if its pages were among the hottest keys)
     * @param hitRatio hits / (hits + misses) of the cache at the end
     */
    public record Result(String heavyUser, Fetch firstPage, double cachedP50, double cachedP99, double cachedServerP50,
            double cachedServerP99, Fetch afterAddFeed,
            double freshAfterMillis, Fetch freshPage, String frequentUser, Fetch frequentAfterUpdate,
            Fetch occasionalAfterUpdate, double hitRatio) {

        /** The figures as a table, one per line. */
        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "%-60s %11s %11s  %s%n", "", "client", "server", "served as");
            row(out, "heavy reader " + heavyUser + ", first page (nothing cached)", firstPage);
            out.printf(Locale.ROOT, "%-60s %11s %11s%n", "the same page, " + CACHED_VISITS + " visits (after " + WARM_UP_VISITS
                    + "): p50", ms(cachedP50), ms(cachedServerP50));
            out.printf(Locale.ROOT, "%-60s %11s %11s%n", "                                                     p99",
                    ms(cachedP99), ms(cachedServerP99));
            row(out, "right after \"add a feed\"", afterAddFeed);
            out.printf(Locale.ROOT, "%-60s %11s%n", "  fresh again (recomputed in the background) after", ms(freshAfterMillis));
            row(out, "  then", freshPage);
            row(out, "frequent reader " + frequentUser + ", first page after a feed update", frequentAfterUpdate);
            row(out, "occasional reader, first page after the same update", occasionalAfterUpdate);
            out.printf(Locale.ROOT, "%-60s %10.1f%%%n", "hit ratio", hitRatio * 100);
        }

        private static void row(PrintStream out, String what, Fetch f) {
            out.printf(Locale.ROOT, "%-60s %11s %11s  %s%n", what, ms(f.millis()), ms(f.serverMillis()), f.outcome());
        }

        private static String ms(double millis) {
            return millis >= 100 ? String.format(Locale.ROOT, "%,.0f ms", millis) : String.format(Locale.ROOT, "%.2f ms", millis);
        }
    }

    /**
     * Runs the visit: {@code users} maps each user to its kind ({@link Demo#users()}).
     *
     * @throws IllegalStateException when the site does not answer as the demo should (the message says what)
     */
    public Result run(Map<String, String> users, Duration bound) throws IOException, InterruptedException {
        String heavy = first(users, "heavy");
        String frequent = first(users, "frequent");

        Fetch firstPage = get("/u/" + heavy + "?page=1");
        // the other pages are stored in the background: measure once they are, as a reader coming back later would
        waitUntil(() -> number(body("/stats.json"), "pendingStores") == 0, bound, "the heavy reader's pages to be stored");
        for (int i = 0; i < WARM_UP_VISITS; i++) {
            get("/u/" + heavy + "?page=1");
        }
        double[] cached = new double[CACHED_VISITS];
        double[] cachedServer = new double[CACHED_VISITS];
        for (int i = 0; i < cached.length; i++) {
            Fetch f = get("/u/" + heavy + "?page=1");
            cached[i] = f.millis();
            cachedServer[i] = f.serverMillis();
        }
        for (int p = 2; p <= 4; p++) {
            get("/u/" + heavy + "?page=" + p); // paging through: the other pages were stored with the first
        }
        Arrays.sort(cached);
        Arrays.sort(cachedServer);

        String feed = firstOption(body("/u/" + heavy + "?page=1"));
        long added = System.nanoTime();
        post("/u/" + heavy + "/feeds", "feed=" + feed + "&page=1");
        Fetch afterAdd = get("/u/" + heavy + "?page=1");
        waitUntil(() -> body("/u/" + heavy + "/status?page=1").contains("\"ready\":true"), bound,
                "the page after adding a feed to be fresh");
        double freshAfter = (System.nanoTime() - added) / 1e6;
        Fetch fresh = get("/u/" + heavy + "?page=1");

        // a frequent reader reads often (the cache's frequency sketch makes it one); occasional ones came once
        for (Map.Entry<String, String> u : users.entrySet()) {
            if (u.getValue().equals("occasional")) {
                get("/u/" + u.getKey() + "?page=1");
            }
        }
        for (int i = 0; i < 30; i++) {
            get("/u/" + frequent + "?page=1");
        }
        String update = post("/update-feeds?format=json", "");
        String prefetched = update.substring(update.indexOf("\"prefetched\""), update.indexOf("\"invalidated\""));
        if (!prefetched.contains("\"" + frequent + "\"")) {
            throw new IllegalStateException("the feed update did not prefetch " + frequent + ": " + update);
        }
        waitUntil(() -> body("/u/" + frequent + "/status?page=1").contains("\"ready\":true"), bound,
                "the frequent reader's first page to be prefetched");
        Fetch frequentAfter = get("/u/" + frequent + "?page=1");
        Matcher invalidated = Pattern.compile("\"([^\"]+)\"").matcher(update.substring(update.indexOf("\"invalidated\"") + 14));
        String occasional = null;
        while (occasional == null && invalidated.find()) {
            if ("occasional".equals(users.get(invalidated.group(1)))) {
                occasional = invalidated.group(1);
            }
        }
        Fetch occasionalAfter = occasional != null ? get("/u/" + occasional + "?page=1")
                : new Fetch(Double.NaN, Double.NaN, "no occasional reader in the update", -1);

        String stats = body("/stats.json");
        double hits = number(stats, "hits");
        double misses = number(stats, "misses");
        return new Result(heavy, firstPage, percentile(cached, 0.5), percentile(cached, 0.99), percentile(cachedServer, 0.5),
                percentile(cachedServer, 0.99), afterAdd, freshAfter, fresh, frequent, frequentAfter, occasionalAfter, hits / Math.max(1, hits + misses));
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * q) - 1)];
    }

    private static String first(Map<String, String> users, String kind) {
        return users.entrySet().stream().filter(e -> e.getValue().equals(kind)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("the demo has no " + kind + " user"));
    }

    private Fetch get(String path) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        double millis = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
        Matcher total = Pattern.compile("total;dur=([0-9.]+)").matcher(r.headers().firstValue("Server-Timing").orElse(""));
        return new Fetch(millis, total.find() ? Double.parseDouble(total.group(1)) : Double.NaN,
                r.headers().firstValue("X-Demo-Outcome").orElse("?"),
                Long.parseLong(r.headers().firstValue("X-Demo-Page-Version").orElse("-1")));
    }

    private String body(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode());
        }
        return r.body();
    }

    private String post(String path, String form) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 303) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static String firstOption(String html) {
        Matcher m = Pattern.compile("<option value='(\\d+)'>").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("the user page offers no feed to add");
        }
        return m.group(1);
    }

    private static double number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("stats.json has no " + name + ": " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    private static void waitUntil(Check check, Duration bound, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        long pause = 5;
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + bound.toSeconds() + " s for " + what);
            }
            Thread.sleep(pause);
            pause = Math.min(100, pause * 2);
        }
    }
}
