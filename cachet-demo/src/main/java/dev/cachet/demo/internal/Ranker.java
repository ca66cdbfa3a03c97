package dev.cachet.demo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The expensive view of the case study: every link of every entry of every feed a user reads,
 * ranked by two scores. The first is the link's own (how many of the user's feeds mention it,
 * how recently, from how focused a feed); the second can only be computed against all the
 * user's other links: the sum of their own scores weighted by how much they share with this one
 * (feeds in common, title words, domain), a pass over every pair of links, which is what makes a
 * heavy user's page take seconds. Pure: the same data gives the same ranking.
 */
public final class Ranker {
    private Ranker() {
    }

    /** One ranked link of a user. */
    public record Ranked(int link, double score, int mentions, int feeds, int firstFeed) {
    }

    /** The user's links, best first (ties by link id). */
    public static List<Ranked> rank(Dataset data, Dataset.User user) {
        int n = data.linkCount();
        int[] local = new int[n];
        Arrays.fill(local, -1);
        int size = 0;
        int[] ids = new int[1024];
        double[] own = new double[1024];
        int[] mentions = new int[1024];
        int[] feedCount = new int[1024];
        int[] lastFeed = new int[1024];
        int[] firstFeed = new int[1024];
        long[] print = new long[1024];
        for (int f : user.feeds()) {
            int[][] entries = data.entries(f);
            double focus = 1.0 / (Math.log(2 + entries.length) / Math.log(2));
            long feedBit = 1L << (mix(f) & 63);
            for (int e = 0; e < entries.length; e++) {
                double recency = 1.0 / (1 + (entries.length - 1 - e) / 20.0);
                for (int link : entries[e]) {
                    int i = local[link];
                    if (i < 0) {
                        if (size == ids.length) {
                            int grown = size * 2;
                            ids = Arrays.copyOf(ids, grown);
                            own = Arrays.copyOf(own, grown);
                            mentions = Arrays.copyOf(mentions, grown);
                            feedCount = Arrays.copyOf(feedCount, grown);
                            lastFeed = Arrays.copyOf(lastFeed, grown);
                            firstFeed = Arrays.copyOf(firstFeed, grown);
                            print = Arrays.copyOf(print, grown);
                        }
                        i = size++;
                        local[link] = i;
                        ids[i] = link;
                        lastFeed[i] = -1;
                        firstFeed[i] = f;
                        print[i] = wordsPrint(data, link);
                    }
                    own[i] += focus * recency;
                    mentions[i]++;
                    if (lastFeed[i] != f) {
                        lastFeed[i] = f;
                        feedCount[i]++;
                        print[i] |= feedBit;
                    }
                }
            }
        }
        // a link mentioned by several feeds counts more than one mentioned often by one feed
        for (int i = 0; i < size; i++) {
            own[i] *= 1 + Math.log(feedCount[i]);
        }
        double[] related = related(print, own, size);
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += own[i];
        }
        List<Ranked> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            double score = own[i] * (1 + related[i] / (64 * Math.max(total, 1e-9)));
            out.add(new Ranked(ids[i], score, mentions[i], feedCount[i], firstFeed[i]));
        }
        out.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Integer.compare(a.link(), b.link()));
        return out;
    }

    /** The {@code n} links mentioned by the most feeds overall (ties by mentions, then id): the public "popular" page. */
    public static List<Ranked> popular(Dataset data, int n) {
        int[] feedsOf = new int[data.linkCount()];
        int[] mentionsOf = new int[data.linkCount()];
        int[] firstFeed = new int[data.linkCount()];
        int[] lastFeed = new int[data.linkCount()];
        Arrays.fill(lastFeed, -1);
        for (Dataset.Feed f : data.feeds()) {
            for (int[] entry : data.entries(f.id())) {
                for (int link : entry) {
                    mentionsOf[link]++;
                    if (lastFeed[link] != f.id()) {
                        if (lastFeed[link] < 0) {
                            firstFeed[link] = f.id();
                        }
                        lastFeed[link] = f.id();
                        feedsOf[link]++;
                    }
                }
            }
        }
        List<Ranked> out = new ArrayList<>();
        for (int link = 0; link < feedsOf.length; link++) {
            if (feedsOf[link] > 0) {
                out.add(new Ranked(link, feedsOf[link] + mentionsOf[link] / 1000.0, mentionsOf[link], feedsOf[link], firstFeed[link]));
            }
        }
        out.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score()) : Integer.compare(a.link(), b.link()));
        return List.copyOf(out.subList(0, Math.min(n, out.size())));
    }

    /** For every link, the sum over all other links of their own score times the bits the two share. */
    private static double[] related(long[] print, double[] own, int size) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            long p = print[i];
            double sum = 0;
            for (int j = 0; j < size; j++) {
                sum += own[j] * Long.bitCount(p & print[j]);
            }
            out[i] = sum - own[i] * Long.bitCount(p);
        }
        return out;
    }

    /** Bits for the link's domain and title words. */
    private static long wordsPrint(Dataset data, int link) {
        long bits = 1L << (mix(data.domain(link).hashCode()) & 63);
        for (String w : data.title(link).split(" ")) {
            if (w.length() > 3) {
                bits |= 1L << (mix(w.toLowerCase().hashCode()) & 63);
            }
        }
        return bits;
    }

    private static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        return x ^ (x >>> 16);
    }
}
