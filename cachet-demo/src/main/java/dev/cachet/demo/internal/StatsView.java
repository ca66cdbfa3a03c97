package dev.cachet.demo.internal;

import dev.cachet.CacheStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The stats page (charts drawn as SVG by the server) and its figures as JSON. */
final class StatsView {
    private StatsView() {
    }

    static String html(DemoApp app, CacheStats cs, String cacheDescription) {
        DemoStats s = app.stats();
        StringBuilder b = new StringBuilder("<h1>What the cache did</h1><p class=muted>Cache: ")
                .append(Html.esc(cacheDescription)).append(". Page times are measured in the server, from the request to the")
                .append(" page's data (HTML rendering excluded); \"without the cache\" is the time the ranking took to compute.</p>")
                .append("<div class=charts>");
        long served = cs.hits() + cs.misses();
        String ratio = served == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * cs.hits() / served);
        b.append("<div class=card><h2>Hit ratio</h2>")
                .append(Svg.donut("chart-hit-ratio", "Reads answered by the cache", List.of(
                        new Svg.Part("fresh hits", cs.hits() - cs.staleServed(), Svg.GREEN),
                        new Svg.Part("stale served", cs.staleServed(), Svg.AMBER),
                        new Svg.Part("misses (computed)", cs.misses(), Svg.RED)), ratio))
                .append("</div>");
        List<Svg.Group> groups = new ArrayList<>();
        for (Dataset.Kind k : Dataset.Kind.values()) {
            DemoStats.Summary before = s.computeTimes(k);
            DemoStats.Summary after = s.cachedPageTimes(k);
            groups.add(new Svg.Group(k.name().toLowerCase(), new double[] {before.p50(), before.p99(), after.p50(), after.p99()}));
        }
        b.append("<div class=card><h2>Page time, without and with the cache</h2>")
                .append(Svg.logBars("chart-page-times", "p50 and p99 page time per user kind", groups,
                        new String[] {"without p50", "without p99", "cached p50", "cached p99"},
                        new String[] {"#f87171", Svg.RED, "#4ade80", Svg.GREEN}))
                .append("</div>");
        b.append("<div class=card><h2>Work</h2>")
                .append(Svg.countBars("chart-work", "What was computed, and when", List.of(
                        new Svg.Part("computed while waiting", s.foregroundComputes(), Svg.RED),
                        new Svg.Part("computed in background", s.backgroundComputes(), Svg.BLUE),
                        new Svg.Part("pages prefetched", s.prefetchedPages(), Svg.GREEN),
                        new Svg.Part("stale pages served", cs.staleServed(), Svg.AMBER),
                        new Svg.Part("background refreshes", cs.refreshesStarted(), Svg.BLUE),
                        new Svg.Part("feeds added", s.feedsAdded(), Svg.GREY),
                        new Svg.Part("feed updates", s.feedUpdates(), Svg.GREY))))
                .append("</div>");
        b.append("<div class=card><h2>Per user kind</h2><table><tr><th>kind</th><th class=num>pages</th><th class=num>computed</th>")
                .append("<th class=num>without cache p50 / p99</th><th class=num>cached p50 / p99</th></tr>");
        for (Dataset.Kind k : Dataset.Kind.values()) {
            DemoStats.Summary before = s.computeTimes(k);
            DemoStats.Summary after = s.cachedPageTimes(k);
            b.append("<tr><td>").append(k.name().toLowerCase()).append("</td><td class=num>").append(s.pageTimes(k, null).count())
                    .append("</td><td class=num>").append(s.pageTimes(k, LinkPages.Outcome.COMPUTED).count())
                    .append("</td><td class=num>").append(pair(before)).append("</td><td class=num>").append(pair(after))
                    .append("</td></tr>");
        }
        b.append("</table></div></div>");
        List<double[]> points = new ArrayList<>();
        List<String> colors = new ArrayList<>();
        for (DemoStats.Visit v : s.visits()) {
            points.add(new double[] {v.atMillis() / 1000.0, v.micros() / 1000.0});
            colors.add(switch (v.outcome()) {
                case COMPUTED -> Svg.RED;
                case CACHED -> Svg.GREEN;
                case STALE -> Svg.AMBER;
            });
        }
        b.append("<div class=card><h2>Every user page, over time</h2>")
                .append(Svg.timeline("chart-timeline", "Page time of each user page served", points, colors,
                        new String[] {"computed while waiting", "from the cache", "stale, recomputing"},
                        new String[] {Svg.RED, Svg.GREEN, Svg.AMBER}))
                .append("</div>");
        return Html.page("Stats", b.toString());
    }

    /** "p50 / p99", or a dash when nothing was measured. */
    private static String pair(DemoStats.Summary x) {
        return x.count() == 0 ? "–" : Html.ms(x.p50()) + " / " + Html.ms(x.p99());
    }

    static String json(DemoApp app, CacheStats cs) {
        DemoStats s = app.stats();
        StringBuilder b = new StringBuilder("{");
        b.append("\"hits\":").append(cs.hits()).append(",\"misses\":").append(cs.misses()).append(",\"staleServed\":")
                .append(cs.staleServed()).append(",\"loads\":").append(cs.loads()).append(",\"refreshesStarted\":")
                .append(cs.refreshesStarted()).append(",\"foregroundComputes\":").append(s.foregroundComputes())
                .append(",\"backgroundComputes\":").append(s.backgroundComputes()).append(",\"prefetched\":")
                .append(s.prefetchedPages()).append(",\"feedUpdates\":").append(s.feedUpdates()).append(",\"feedsAdded\":")
                .append(s.feedsAdded()).append(",\"pendingStores\":").append(app.pages().pendingStores()).append(",\"kinds\":{");
        boolean first = true;
        for (Dataset.Kind k : Dataset.Kind.values()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append('"').append(k.name().toLowerCase()).append("\":{\"without\":").append(summary(s.computeTimes(k)))
                    .append(",\"cached\":").append(summary(s.cachedPageTimes(k))).append('}');
        }
        return b.append("}}").toString();
    }

    private static String summary(DemoStats.Summary x) {
        return String.format(Locale.ROOT, "{\"count\":%d,\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}", x.count(), x.p50(), x.p99(), x.max());
    }
}
