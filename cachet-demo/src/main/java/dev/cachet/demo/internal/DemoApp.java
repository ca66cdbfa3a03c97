package dev.cachet.demo.internal;

import dev.cachet.Cache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The demo's operations, above the web layer: serve a user's page, add a feed, run the
 * feed-update job. Thread-safe.
 */
public final class DemoApp {
    /** The share of users, most read first, the feed-update job treats as frequent (at least two). */
    static final double FREQUENT_SHARE = 0.1;
    /** The pages recomputed ahead of the reader after a change: the first ones, where readers start. */
    static final int[] FIRST_PAGES = {1};

    private final Dataset data;
    private final ChangeLog log;
    private final LinkPages pages;
    private final DemoStats stats;

    public DemoApp(Dataset data, ChangeLog log, Cache cache) {
        this.data = data;
        this.log = log;
        this.stats = new DemoStats();
        this.pages = new LinkPages(cache, data, stats);
    }

    public Dataset data() {
        return data;
    }

    public DemoStats stats() {
        return stats;
    }

    public LinkPages pages() {
        return pages;
    }

    /** Page {@code page} of {@code user}'s links, timed and recorded. */
    public LinkPages.Served page(String user, int page) {
        long t0 = System.nanoTime();
        LinkPages.Served s = pages.page(user, page);
        stats.visit(data.user(user).kind(), s.outcome(), System.nanoTime() - t0);
        return s;
    }

    /**
     * {@code user} subscribes to feed {@code feed}: the user's namespace is expired (the previous
     * pages keep being served) and the first pages and {@code currentPage} are recomputed in the
     * background.
     */
    public Dataset.User addFeed(String user, int feed, int currentPage) {
        Dataset.User u = data.addFeed(user, feed);
        log.feedAdded(user, feed);
        stats.feedAdded();
        pages.changed(user, true, currentPage == 1 ? FIRST_PAGES : new int[] {1, currentPage});
        return u;
    }

    /** What one run of the feed-update job did. */
    public record Update(int changedUsers, List<String> prefetched, List<String> invalidated) {
    }

    /**
     * One feed update: new entries on some feeds; the frequent users among those whose data
     * changed (the tenth of the users whose namespaces are read most, as the cache's frequency
     * sketch counts them) get their first pages recomputed now while their previous pages are served;
     * the others' namespaces are invalidated: their next visit computes.
     */
    public Update updateFeeds() {
        Set<String> frequent = new HashSet<>();
        int n = Math.max(2, (int) (data.users().size() * FREQUENT_SHARE));
        for (String ns : pages.cache().hotNamespaces(n)) {
            if (ns.startsWith("user:")) {
                frequent.add(ns.substring("user:".length()));
            }
        }
        List<Dataset.User> changed = data.updateFeeds();
        log.feedsUpdated();
        stats.feedUpdate();
        List<String> prefetched = new ArrayList<>();
        List<String> invalidated = new ArrayList<>();
        for (Dataset.User u : changed) {
            if (frequent.contains(u.name())) {
                pages.changed(u.name(), true, FIRST_PAGES);
                prefetched.add(u.name());
            } else {
                pages.changed(u.name(), false);
                invalidated.add(u.name());
            }
        }
        return new Update(changed.size(), prefetched, invalidated);
    }
}
