package dev.cachet.demo.internal;

import static dev.cachet.demo.internal.Html.esc;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The HTML of the users page, the popular page and a user's links page. */
final class Views {
    private Views() {
    }

    static String home(DemoApp app, String cacheDescription) {
        StringBuilder b = new StringBuilder();
        b.append("<h1>Every user's links, ranked</h1><div class=card>")
                .append("<p>This is the site of the memcached case study: a user's links, gathered from every entry of every")
                .append(" feed they read and ranked against each other. For a <b>heavy</b> user that takes seconds. cachet keeps")
                .append(" each page of 100 links in the user's namespace; adding a feed <i>expires</i> the namespace, so you")
                .append(" keep seeing your previous links while the new ranking is computed in the background; the feed-update")
                .append(" job recomputes the first page of <b>frequent</b> readers before they come back.</p>")
                .append("<ol><li>Open a heavy user: the first visit computes (about 3.5 s), every later one is served from")
                .append(" the cache in milliseconds.</li><li>Page through, then add a feed: the page answers at once with")
                .append(" the previous ranking, marked stale, and refreshes itself when the new one is ready.</li>")
                .append("<li>See it all on the <a href='/stats'>stats page</a>.</li></ol>")
                .append("<p class=muted>Cache: ").append(esc(cacheDescription)).append(". This page is kept by the per-view")
                .append(" page cache for 30 s (rendered at ").append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS))
                .append(").</p><form method=post action='/update-feeds'><button id=update-feeds>Run the feed update now</button>")
                .append(" <span class=muted>(")
                .append(app.data().updates()).append(" so far)</span></form></div>");
        for (Dataset.Kind kind : Dataset.Kind.values()) {
            b.append("<h2>").append(title(kind)).append("</h2><table><tr><th>user</th><th class=num>feeds</th><th class=num>data version</th></tr>");
            for (Dataset.User u : app.data().users()) {
                if (u.kind() == kind) {
                    b.append("<tr><td><a class=user href='/u/").append(esc(u.name())).append("'>").append(esc(u.name()))
                            .append("</a></td><td class=num>").append(u.feeds().size()).append("</td><td class=num>")
                            .append(u.dataVersion()).append("</td></tr>");
                }
            }
            b.append("</table>");
        }
        return Html.page("Users", b.toString());
    }

    static String title(Dataset.Kind kind) {
        return switch (kind) {
            case HEAVY -> "Heavy readers (hundreds of feeds: the 3.5 s page)";
            case FREQUENT -> "Frequent readers (prefetched by the feed-update job)";
            case OCCASIONAL -> "Occasional readers (a few feeds)";
        };
    }

    static String popular(Dataset data, List<Ranker.Ranked> top, long computeMillis) {
        StringBuilder b = new StringBuilder("<h1>Popular links</h1><p class=muted>The links the most feeds mention, across ")
                .append(data.feeds().size()).append(" feeds; computed in ").append(computeMillis)
                .append(" ms, kept by the per-view page cache for 60 s (rendered at ")
                .append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS)).append(").</p>")
                .append("<table><tr><th class=num>#</th><th>link</th><th class=num>feeds</th><th class=num>mentions</th></tr>");
        int i = 1;
        for (Ranker.Ranked r : top) {
            b.append("<tr><td class=num>").append(i++).append("</td><td><a href='").append(esc(data.url(r.link()))).append("'>")
                    .append(esc(data.title(r.link()))).append("</a> <span class=muted>").append(esc(data.domain(r.link())))
                    .append("</span></td><td class=num>").append(r.feeds()).append("</td><td class=num>").append(r.mentions())
                    .append("</td></tr>");
        }
        return Html.page("Popular", b.append("</table>").toString());
    }

    static String user(Dataset data, Dataset.User user, LinkPages.Served served, double servedMillis) {
        LinkPages.Page p = served.page();
        String name = esc(user.name());
        StringBuilder b = new StringBuilder();
        b.append("<h1>").append(name).append("'s links <span class='badge kind'>").append(user.kind().name().toLowerCase())
                .append("</span></h1>");
        String outcome = served.outcome().name().toLowerCase();
        b.append("<div class=card><span id=outcome class='badge ").append(outcome).append("' data-outcome='").append(outcome)
                .append("'>");
        switch (served.outcome()) {
            case COMPUTED -> b.append("computed while you waited: ").append(Html.ms(servedMillis));
            case CACHED -> b.append("from the cache: ").append(Html.ms(servedMillis));
            case STALE -> b.append("previous ranking, from the cache: ").append(Html.ms(servedMillis));
        }
        b.append("</span> <span class=muted>page ").append(p.page()).append(" of ").append(p.pages()).append(" · ")
                .append(String.format("%,d", p.total())).append(" links from ").append(user.feeds().size())
                .append(" feeds · ranking computed in ").append(String.format("%,d", p.computeMillis()))
                .append(" ms · data version <span id=page-version>").append(p.dataVersion()).append("</span> of <span id=data-version>")
                .append(user.dataVersion()).append("</span></span>");
        if (served.outcome() == LinkPages.Outcome.STALE) {
            b.append("<p id=recomputing>Your feeds changed: the new ranking is being computed in the background. This page")
                    .append(" shows the previous one and reloads itself when the new one is ready.</p>")
                    .append("<script>(function poll(){fetch('/u/").append(name).append("/status?page=").append(p.page())
                    .append("').then(r=>r.json()).then(s=>{if(s.ready){location.reload()}else{setTimeout(poll,300)}})")
                    .append(".catch(()=>setTimeout(poll,1000))})()</script>");
        }
        b.append("</div>");
        pager(b, name, p);
        b.append("<table id=links><tr><th class=num>#</th><th>link</th><th class=num>score</th><th class=num>feeds</th><th class=num>mentions</th><th>via</th></tr>");
        int rank = (p.page() - 1) * LinkPages.PAGE_SIZE + 1;
        for (LinkPages.Link l : p.links()) {
            b.append("<tr class=link><td class=num>").append(rank++).append("</td><td><a href='").append(esc(l.url())).append("'>")
                    .append(esc(l.title())).append("</a> <span class=muted>").append(esc(l.domain())).append("</span></td><td class=num>")
                    .append(l.score()).append("</td><td class=num>").append(l.feeds())
                    .append("</td><td class=num>").append(l.mentions()).append("</td><td class=muted>").append(esc(l.via()))
                    .append("</td></tr>");
        }
        b.append("</table>");
        pager(b, name, p);
        b.append("<h2>Add a feed</h2><form id=add-feed method=post action='/u/").append(name).append("/feeds'>")
                .append("<input type=hidden name=page value='").append(p.page()).append("'><select name=feed id=feed>");
        for (Dataset.Feed f : suggestions(data, user)) {
            b.append("<option value='").append(f.id()).append("'>").append(esc(f.name())).append("</option>");
        }
        b.append("</select> <button id=add>Add feed</button></form>");
        return Html.page(user.name() + "'s links", b.toString());
    }

    private static void pager(StringBuilder b, String name, LinkPages.Page p) {
        b.append("<p class=pager>");
        if (p.page() > 1) {
            b.append("<a id=prev href='/u/").append(name).append("?page=").append(p.page() - 1).append("'>« previous</a>");
        }
        for (int i = Math.max(1, p.page() - 3); i <= Math.min(p.pages(), p.page() + 3); i++) {
            if (i == p.page()) {
                b.append("<b>").append(i).append("</b>");
            } else {
                b.append("<a href='/u/").append(name).append("?page=").append(i).append("'>").append(i).append("</a>");
            }
        }
        if (p.page() < p.pages()) {
            b.append("<a id=next href='/u/").append(name).append("?page=").append(p.page() + 1).append("'>next »</a>");
        }
        b.append("</p>");
    }

    /** Up to 12 feeds the user does not read, those of the user's most read topic first. */
    static List<Dataset.Feed> suggestions(Dataset data, Dataset.User user) {
        int[] topics = new int[Dataset.TOPICS];
        for (int f : user.feeds()) {
            topics[data.feed(f).topic()]++;
        }
        int best = 0;
        for (int t = 1; t < topics.length; t++) {
            if (topics[t] > topics[best]) {
                best = t;
            }
        }
        List<Dataset.Feed> out = new ArrayList<>();
        java.util.Set<Integer> reads = new java.util.HashSet<>(user.feeds());
        for (int pass = 0; pass < 2 && out.size() < 12; pass++) {
            for (Dataset.Feed f : data.feeds()) {
                if (out.size() < 12 && !reads.contains(f.id()) && (pass == 1 || f.topic() == best) && !out.contains(f)) {
                    out.add(f);
                }
            }
        }
        return out;
    }
}
