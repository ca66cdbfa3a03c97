package dev.cachet.demo.internal;

import dev.cachet.Cache;
import dev.cachet.Freshness;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The case study's caching, with cachet's pieces: a user's ranked links are cached in chunks of
 * {@value #PAGE_SIZE} (one entry per page) in the user's {@link Namespace}. A miss loads through
 * a loader registered on the namespace, which ranks once and stores every page of the ranking;
 * a change to the user's data {@linkplain Namespace#expire() expires} the namespace, so the
 * previous pages are served (stale) while the first pages are recomputed in the background; a
 * change seen by the feed-update job invalidates the namespaces of occasional users (their next
 * visit loads) and expires and prefetches those of frequent users.
 */
public final class LinkPages {
    /** Links per page, as in the case study. */
    public static final int PAGE_SIZE = 100;
    /** The key prefix of a page in a user's namespace: {@code links:page:N}. */
    static final String KEY_PREFIX = "links:page:";

    /** How a request was answered. */
    public enum Outcome {
        /** The ranking was computed while the request waited. */
        COMPUTED,
        /** From the cache, computed from the user's current data. */
        CACHED,
        /** From the cache, computed before the user's last change (recomputing in the background). */
        STALE
    }

    /** One link on a page (Serializable: cachet's codec stores records that are, and are allowed). */
    public record Link(String url, String title, String domain, double score, int mentions, int feeds, String via)
            implements Serializable {
    }

    /** One page of a user's ranking, as cached. */
    public record Page(String user, int page, int pages, int total, long dataVersion, long computedAtMillis,
            int computeMillis, List<Link> links) implements Serializable {
    }

    /** A page and how it was served. */
    public record Served(Page page, Outcome outcome) {
    }

    private final Cache cache;
    private final Dataset data;
    private final DemoStats stats;
    private final Freshness freshness;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Ranking>> rankings = new ConcurrentHashMap<>();
    /** Set while a request waits on this thread: a load that runs here is in the foreground. */
    private final ThreadLocal<Boolean> requestThread = new ThreadLocal<>();

    public LinkPages(Cache cache, Dataset data, DemoStats stats) {
        this.cache = cache;
        this.data = data;
        this.stats = stats;
        // fresh for an hour (then served stale while one background refresh runs), kept a day
        this.freshness = Freshness.builder().timeout(Duration.ofDays(1)).freshFor(Duration.ofHours(1)).build();
    }

    /** The cache the pages live in. */
    public Cache cache() {
        return cache;
    }

    /** Rankings computed or being computed whose pages are still being stored. */
    public int pendingStores() {
        return rankings.size();
    }

    /** The namespace of {@code user}'s pages, with the page loader registered on it. */
    public Namespace namespace(String user) {
        return namespaces.computeIfAbsent(user, u -> {
            Namespace ns = cache.namespace("user:" + u);
            ns.registerLoader(KEY_PREFIX, key -> load(u, pageOf(key)), freshness);
            return ns;
        });
    }

    static String key(int page) {
        return KEY_PREFIX + page;
    }

    static int pageOf(String key) {
        return Integer.parseInt(key.substring(KEY_PREFIX.length()));
    }

    /**
     * Page {@code page} (from 1) of {@code user}'s links, from the cache or computed.
     *
     * @throws IllegalArgumentException for an unknown user or a page below 1
     */
    public Served page(String user, int page) {
        Dataset.User u = data.user(user);
        if (u == null) {
            throw new IllegalArgumentException("no user '" + user + "'");
        }
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more, got " + page);
        }
        Namespace ns = namespace(user);
        long asked = System.currentTimeMillis();
        Page p;
        requestThread.set(Boolean.TRUE);
        try {
            p = ns.getOrSet(key(page), Page.class, () -> load(user, page), freshness);
        } finally {
            requestThread.remove();
        }
        if (p.computedAtMillis() >= asked) {
            return new Served(p, Outcome.COMPUTED); // computed while this request waited (by it, or by a load it joined)
        }
        if (p.dataVersion() < data.user(user).dataVersion()) {
            // computed before the user's last change: the pipeline's refresh is (or will be) under way;
            // a value stored by a load that raced with the change is refreshed here
            ns.refresh(key(page));
            return new Served(p, Outcome.STALE);
        }
        return new Served(p, Outcome.CACHED);
    }

    /**
     * The user's data changed: with {@code keepServing} the namespace is expired (its previous
     * pages are served, stale, until recomputed), else invalidated (the next reader loads, unless
     * the cache recomputes the namespace's hottest keys first); {@code prefetchPages} are
     * recomputed in the background now.
     */
    public void changed(String user, boolean keepServing, int... prefetchPages) {
        Namespace ns = namespace(user);
        if (keepServing) {
            ns.expire();
        } else {
            ns.invalidate();
        }
        for (int p : prefetchPages) {
            // false: a refresh of the page was already running (the namespace starts one for its hottest keys)
            ns.refresh(key(p)).whenComplete((ok, e) -> {
                if (e == null) {
                    stats.prefetched();
                }
            });
        }
    }

    /**
     * The loader: ranks the user's links once (shared by concurrent loads of any page of the same
     * data) and returns the page asked for; the other pages are stored in the background, and the
     * ranking is kept for loads of them until they are.
     */
    private Page load(String user, int page) {
        Dataset.User u = data.user(user);
        long version = u.dataVersion();
        String flight = user + "@" + version;
        CompletableFuture<Ranking> mine = new CompletableFuture<>();
        CompletableFuture<Ranking> running = rankings.putIfAbsent(flight, mine);
        if (running != null) {
            Ranking r = running.join();
            return slice(u, r.ranked(), page, r.millis()); // the flight's owner stores the pages
        }
        Ranking r;
        long t0 = System.nanoTime();
        try {
            r = new Ranking(Ranker.rank(data, u), (int) ((System.nanoTime() - t0) / 1_000_000));
            mine.complete(r);
        } catch (RuntimeException | Error e) {
            rankings.remove(flight, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        stats.computed(u.kind(), r.millis(), requestThread.get() != null);
        int pages = pages(r.ranked());
        Map<String, Page> others = new LinkedHashMap<>();
        for (int p = 1; p <= pages; p++) {
            if (p != page) {
                others.put(key(p), slice(u, r.ranked(), p, r.millis()));
            }
        }
        if (others.isEmpty() || data.user(user).dataVersion() != version) {
            // a change meanwhile: the other pages are left to their own loads
            rankings.remove(flight, mine);
        } else {
            namespace(user).async().setMany(others, Timeout.of(Duration.ofDays(1)))
                    .whenComplete((failed, e) -> rankings.remove(flight, mine));
        }
        return slice(u, r.ranked(), page, r.millis());
    }

    /** A user's ranking and how long it took. */
    private record Ranking(List<Ranker.Ranked> ranked, int millis) {
    }

    private static int pages(List<Ranker.Ranked> ranked) {
        return Math.max(1, (ranked.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    }

    private Page slice(Dataset.User u, List<Ranker.Ranked> ranked, int page, int millis) {
        int from = Math.min(ranked.size(), (page - 1) * PAGE_SIZE);
        int to = Math.min(ranked.size(), from + PAGE_SIZE);
        List<Link> links = new ArrayList<>(to - from);
        for (Ranker.Ranked r : ranked.subList(from, to)) {
            links.add(new Link(data.url(r.link()), data.title(r.link()), data.domain(r.link()),
                    Math.round(r.score() * 1000) / 1000.0, r.mentions(), r.feeds(), data.feed(r.firstFeed()).name()));
        }
        return new Page(u.name(), page, pages(ranked), ranked.size(), u.dataVersion(), System.currentTimeMillis(), millis,
                List.copyOf(links));
    }
}
