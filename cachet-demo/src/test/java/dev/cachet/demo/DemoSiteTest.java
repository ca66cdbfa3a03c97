package dev.cachet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.testkit.Servers;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo site over real HTTP, on the embedded default (local memory in front of SQLite), with the small dataset. */
class DemoSiteTest {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path data;

    private Demo start() {
        return Demo.builder().listen("127.0.0.1", 0).data(data).small(true).feedUpdates(Duration.ZERO).start();
    }

    private HttpResponse<String> get(Demo demo, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(demo.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Demo demo, String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(demo.uri().resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String outcome(HttpResponse<String> r) {
        return r.headers().firstValue("X-Demo-Outcome").orElseThrow();
    }

    private static String heavy(Demo demo) {
        return demo.users().entrySet().stream().filter(e -> e.getValue().equals("heavy")).findFirst().orElseThrow().getKey();
    }

    @Test
    void aUsersPagesAreComputedOnceThenServedFromTheCacheAndEveryPageWasStoredWithTheFirst() throws Exception {
        try (Demo demo = start()) {
            String user = heavy(demo);
            HttpResponse<String> first = get(demo, "/u/" + user + "?page=1");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(outcome(first)).isEqualTo("computed");
            assertThat(first.body()).contains("data-outcome='computed'").containsPattern("(<tr class=link>.*?){100}");
            HttpResponse<String> again = get(demo, "/u/" + user + "?page=1");
            assertThat(outcome(again)).isEqualTo("cached");
            // the rows are the same ranking
            assertThat(links(again.body())).isEqualTo(links(first.body()));
            // the other pages were stored in the background by the first load: once stored, page 2 is a hit
            assertThat(Servers.waitUntil(() -> statsNumber(demo, "pendingStores") == 0, Duration.ofSeconds(30))).isTrue();
            HttpResponse<String> second = get(demo, "/u/" + user + "?page=2");
            assertThat(outcome(second)).isEqualTo("cached");
            assertThat(second.body()).contains("page 2 of").contains("<td class=num>101</td>");
            assertThat(links(second.body())).doesNotContainAnyElementsOf(links(first.body()));
            assertThat(statsNumber(demo, "foregroundComputes")).isEqualTo(1);
        }
    }

    @Test
    void addingAFeedNeverMakesTheReaderWaitAndTheNewRankingArrives() throws Exception {
        try (Demo demo = start()) {
            String user = heavy(demo);
            HttpResponse<String> before = get(demo, "/u/" + user + "?page=1");
            String feed = firstOption(before.body());
            HttpResponse<String> added = post(demo, "/u/" + user + "/feeds", "feed=" + feed + "&page=1");
            assertThat(added.statusCode()).isEqualTo(303);
            assertThat(added.headers().firstValue("Location")).hasValue("/u/" + user + "?page=1");
            HttpResponse<String> after = get(demo, "/u/" + user + "?page=1");
            // the previous ranking (stale) while the new one is computed, or already the new one: never computed in the request
            assertThat(outcome(after)).isIn("stale", "cached");
            assertThat(Servers.waitUntil(() -> body(demo, "/u/" + user + "/status?page=1").contains("\"ready\":true"),
                    Duration.ofSeconds(30))).isTrue();
            HttpResponse<String> fresh = get(demo, "/u/" + user + "?page=1");
            assertThat(outcome(fresh)).isEqualTo("cached");
            assertThat(fresh.headers().firstValue("X-Demo-Page-Version")).hasValue("2");
            assertThat(links(fresh.body())).isNotEqualTo(links(before.body()));
            assertThat(statsNumber(demo, "feedsAdded")).isEqualTo(1);
            assertThat(statsNumber(demo, "foregroundComputes")).isEqualTo(1);
            assertThat(statsNumber(demo, "backgroundComputes")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void theFeedUpdatePrefetchesFrequentReadersAndInvalidatesTheOthers() throws Exception {
        try (Demo demo = start()) {
            Map<String, String> users = demo.users();
            String frequent = users.entrySet().stream().filter(e -> e.getValue().equals("frequent")).findFirst().orElseThrow().getKey();
            for (int i = 0; i < 40; i++) {
                assertThat(get(demo, "/u/" + frequent + "?page=1").statusCode()).isEqualTo(200);
            }
            for (String u : users.keySet()) {
                if (users.get(u).equals("occasional")) {
                    get(demo, "/u/" + u + "?page=1");
                }
            }
            String update = post(demo, "/update-feeds?format=json", "").body();
            String prefetched = update.substring(update.indexOf("\"prefetched\""), update.indexOf("\"invalidated\""));
            assertThat(prefetched).contains("\"" + frequent + "\"");
            assertThat(Servers.waitUntil(() -> body(demo, "/u/" + frequent + "/status?page=1").contains("\"ready\":true"),
                    Duration.ofSeconds(30))).isTrue();
            HttpResponse<String> r = get(demo, "/u/" + frequent + "?page=1");
            assertThat(outcome(r)).isEqualTo("cached");
            assertThat(r.headers().firstValue("X-Demo-Page-Version")).hasValue("2");
            // a reader read less whose feeds changed: invalidated, never served the previous ranking (the next visit
            // computes, or finds the page the cache recomputed in the background if it was among its hottest keys)
            Matcher m = Pattern.compile("\"([a-z0-9]+)\"").matcher(update.substring(update.indexOf("\"invalidated\"") + 14));
            assertThat(m.find()).as("a reader invalidated by the update: %s", update).isTrue();
            HttpResponse<String> other = get(demo, "/u/" + m.group(1) + "?page=1");
            assertThat(outcome(other)).isIn("computed", "cached");
            assertThat(other.headers().firstValue("X-Demo-Page-Version")).hasValue("2");
            assertThat(statsNumber(demo, "prefetched")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void publicPagesAreKeptByThePerViewPageCache() throws Exception {
        try (Demo demo = start()) {
            HttpResponse<String> popular = get(demo, "/popular");
            assertThat(popular.statusCode()).isEqualTo(200);
            assertThat(popular.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("max-age=60"));
            HttpResponse<String> home = get(demo, "/");
            assertThat(home.body()).contains("Heavy readers", "Run the feed update now");
            post(demo, "/update-feeds?format=json", "");
            // new entries changed the popular links, but the cached page is served until it expires
            assertThat(get(demo, "/popular").body()).isEqualTo(popular.body());
            assertThat(get(demo, "/").body()).isEqualTo(home.body());
        }
    }

    @Test
    void statsPageDrawsItsChartsFromWhatHappened() throws Exception {
        try (Demo demo = start()) {
            String user = heavy(demo);
            get(demo, "/u/" + user + "?page=1");
            get(demo, "/u/" + user + "?page=1");
            String html = get(demo, "/stats").body();
            for (String chart : new String[] {"chart-hit-ratio", "chart-page-times", "chart-work", "chart-timeline"}) {
                Matcher m = Pattern.compile("<svg id='" + chart + "' data-marks='(\\d+)'").matcher(html);
                assertThat(m.find()).as(chart).isTrue();
                assertThat(Integer.parseInt(m.group(1))).as(chart).isPositive();
            }
            assertThat(get(demo, "/stats.json").body()).contains("\"hits\":").contains("\"heavy\":{\"without\":{\"count\":1");
        }
    }

    @Test
    void badRequestsGetAnErrorThatNamesTheProblem() throws Exception {
        try (Demo demo = start()) {
            String user = heavy(demo);
            assertThat(get(demo, "/u/nobody").statusCode()).isEqualTo(404);
            HttpResponse<String> page = get(demo, "/u/" + user + "?page=abc");
            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("page must be a number from 1, got &#39;abc&#39;");
            HttpResponse<String> feed = post(demo, "/u/" + user + "/feeds", "feed=x");
            assertThat(feed.statusCode()).isEqualTo(400);
            assertThat(feed.body()).contains("feed must be a feed&#39;s number");
            HttpResponse<String> none = post(demo, "/u/" + user + "/feeds", "feed=99999");
            assertThat(none.statusCode()).isEqualTo(400);
            assertThat(none.body()).contains("no feed 99999");
            HttpResponse<String> xss = get(demo, "/u/%3Cscript%3E");
            assertThat(xss.statusCode()).isEqualTo(404);
            assertThat(xss.body()).doesNotContain("<script>").contains("&lt;script&gt;");
            assertThat(statsNumber(demo, "feedsAdded")).isZero();
        }
    }

    @Test
    void aRestartReplaysTheChangesAndServesThePagesTheSqliteCacheKept() throws Exception {
        String user;
        String feed;
        try (Demo demo = start()) {
            user = heavy(demo);
            feed = firstOption(get(demo, "/u/" + user + "?page=1").body());
            post(demo, "/u/" + user + "/feeds", "feed=" + feed);
            assertThat(Servers.waitUntil(() -> body(demo, "/u/" + user + "/status?page=1").contains("\"ready\":true"),
                    Duration.ofSeconds(30))).isTrue();
        }
        assertThat(Files.readString(data.resolve("changes.log"))).contains("add-feed " + user + " " + feed);
        try (Demo demo = start()) {
            HttpResponse<String> r = get(demo, "/u/" + user + "?page=1");
            assertThat(outcome(r)).isEqualTo("cached");
            assertThat(r.headers().firstValue("X-Demo-Page-Version")).hasValue("2");
        }
        assertThatThrownBy(() -> Demo.builder().listen("127.0.0.1", 0).data(data).small(true).seed(43).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was made with other data");
    }

    private static java.util.List<String> links(String html) {
        Matcher m = Pattern.compile("<tr class=link><td class=num>\\d+</td><td><a href='([^']+)'").matcher(html);
        java.util.List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String firstOption(String html) {
        Matcher m = Pattern.compile("<option value='(\\d+)'>").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private String body(Demo demo, String path) {
        try {
            return get(demo, path).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long statsNumber(Demo demo, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(body(demo, "/stats.json"));
        assertThat(m.find()).as(name).isTrue();
        return Long.parseLong(m.group(1));
    }
}
