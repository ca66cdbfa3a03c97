package dev.cachet.demo.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's data, generated from a seed: a universe of links, feeds whose entries mention
 * links (each feed leaning to a topic, popular links more often, as on the web), and users of
 * three kinds subscribed to feeds. Everything is a function of the seed and the changes applied
 * since ({@link #addFeed}, {@link #updateFeeds}), so a restart that replays the changes sees the
 * same data. Thread-safe: readers see a feed's entries or a user's feeds as immutable snapshots.
 */
public final class Dataset {
    /** How much a user reads: what the stats page groups page times by. */
    public enum Kind {
        /** Many feeds: the case study's 3.5 s page. */
        HEAVY,
        /** Visits often: prefetched by the feed-update job. */
        FREQUENT,
        /** Few feeds, rare visits: at most one slow page. */
        OCCASIONAL
    }

    /** A user: name, kind, and the feeds subscribed to (ids, ascending). */
    public record User(String name, Kind kind, List<Integer> feeds, long dataVersion) {
    }

    /** A feed: id, name and topic. */
    public record Feed(int id, String name, int topic) {
    }

    static final int TOPICS = 40;
    static final String[] WORDS = {"cache", "latency", "memcached", "django", "python", "jvm", "postgres", "redis",
        "index", "query", "shard", "replica", "queue", "stream", "kernel", "compiler", "garbage", "collector", "thread",
        "lock", "atomic", "vector", "tensor", "graph", "rank", "feed", "search", "crawl", "parse", "render", "browser",
        "socket", "packet", "tcp", "http", "proxy", "varnish", "nginx", "cdn", "edge", "cloud", "disk", "flash", "ram",
        "cpu", "benchmark", "profile", "trace", "metric", "alert", "deploy", "rollback", "schema", "migration", "backup"};
    static final String[] NAMES = {"ada", "grace", "linus", "barbara", "ken", "margaret", "dennis", "frances", "edsger",
        "radia", "donald", "hedy", "alan", "katherine", "john", "sophie", "tim", "shafi", "leslie", "anita", "bjarne",
        "guido", "james", "larry", "yukihiro", "rasmus", "brendan", "anders", "rob", "niklaus", "jean", "annie",
        "mary", "joan", "evelyn", "lynn", "karen", "adele", "cynthia", "jeannette", "sally", "susan", "ellen", "dorothy",
        "hal", "butler", "fran", "chuck", "ivan", "seymour"};

    private final long seed;
    private final Scale scale;
    private final int links;
    private final int domains;
    private final Feed[] feeds;
    /** Per feed: its entries, each an array of link ids; entry i of a feed is older than entry i + 1. */
    private final int[][][] entries;
    private final Map<String, User> users = new LinkedHashMap<>();
    private int updates;

    /** Sizes: how many links, feeds, entries and subscriptions; {@link Scale#DEFAULT} is the demo's. */
    public record Scale(int links, int feeds, int entriesPerFeed, int heavyUsers, int heavyFeeds, int frequentUsers,
            int frequentFeeds, int occasionalUsers, int occasionalFeeds) {
        /** The demo's size: a heavy user's ranking takes about 3.5 s on a 2-core build machine. */
        public static final Scale DEFAULT = new Scale(300_000, 600, 150, 3, 380, 6, 40, 40, 8);
        /** A small size for tests: every page computes in milliseconds. */
        public static final Scale TINY = new Scale(20_000, 80, 30, 2, 30, 3, 10, 6, 4);
    }

    /** The dataset of {@code seed} at {@code scale}. */
    public Dataset(long seed, Scale scale) {
        this.seed = seed;
        this.scale = scale;
        this.links = scale.links();
        this.domains = Math.max(10, scale.links() / 150);
        SplittableRandom rnd = new SplittableRandom(seed);
        feeds = new Feed[scale.feeds()];
        entries = new int[scale.feeds()][][];
        for (int f = 0; f < feeds.length; f++) {
            int topic = rnd.nextInt(TOPICS);
            feeds[f] = new Feed(f, feedName(f, topic), topic);
            int n = scale.entriesPerFeed() / 2 + rnd.nextInt(scale.entriesPerFeed());
            entries[f] = new int[n][];
            for (int e = 0; e < n; e++) {
                entries[f][e] = entry(rnd, topic);
            }
        }
        int name = 0;
        name = addUsers(rnd, Kind.HEAVY, scale.heavyUsers(), scale.heavyFeeds(), name);
        name = addUsers(rnd, Kind.FREQUENT, scale.frequentUsers(), scale.frequentFeeds(), name);
        addUsers(rnd, Kind.OCCASIONAL, scale.occasionalUsers(), scale.occasionalFeeds(), name);
    }

    private int addUsers(SplittableRandom rnd, Kind kind, int count, int feedCount, int name) {
        for (int i = 0; i < count; i++, name++) {
            String n = name < NAMES.length ? NAMES[name] : NAMES[name % NAMES.length] + (name / NAMES.length);
            int favourite = rnd.nextInt(TOPICS);
            List<Integer> subs = new ArrayList<>();
            int want = Math.min(feeds.length, kind == Kind.OCCASIONAL ? feedCount / 2 + rnd.nextInt(feedCount) : feedCount);
            while (subs.size() < want) {
                int f = rnd.nextInt(feeds.length);
                // half of the subscriptions lean to the user's favourite topic
                if (subs.size() % 2 == 0 && feeds[f].topic() != favourite && rnd.nextInt(4) != 0) {
                    continue;
                }
                if (!subs.contains(f)) {
                    subs.add(f);
                }
            }
            Collections.sort(subs);
            users.put(n, new User(n, kind, List.copyOf(subs), 1));
        }
        return name;
    }

    /** One entry: 3 to 8 links, most from the feed's topic, popular links more often (a Zipf-like draw). */
    private int[] entry(SplittableRandom rnd, int topic) {
        int[] out = new int[3 + rnd.nextInt(6)];
        int perTopic = links / TOPICS;
        for (int i = 0; i < out.length; i++) {
            double u = rnd.nextDouble();
            int rank = (int) Math.min(perTopic - 1, Math.floor(Math.pow(perTopic, u * u)) - 1);
            out[i] = rnd.nextInt(10) < 7 ? topic * perTopic + Math.max(0, rank)
                    : rnd.nextInt(TOPICS) * perTopic + Math.max(0, rank);
        }
        return out;
    }

    private static String feedName(int f, int topic) {
        return WORDS[topic % WORDS.length] + " " + WORDS[(f * 7 + 3) % WORDS.length] + " weekly #" + f;
    }

    /** The seed the data was generated from. */
    public long seed() {
        return seed;
    }

    /** The scale the data was generated at. */
    public Scale scale() {
        return scale;
    }

    /** Every user, in the order they were generated (heavy, frequent, occasional). */
    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    /** The user called {@code name}, or null. */
    public synchronized User user(String name) {
        return users.get(name);
    }

    /** Every feed. */
    public List<Feed> feeds() {
        return List.of(feeds);
    }

    /** Feed {@code id}. */
    public Feed feed(int id) {
        return feeds[id];
    }

    /** The entries of feed {@code id}, oldest first (each an array of link ids; do not modify). */
    public synchronized int[][] entries(int id) {
        return entries[id];
    }

    /** How many links exist (link ids are 0 to this, exclusive). */
    public int linkCount() {
        return links;
    }

    /** How many feed updates were applied. */
    public synchronized int updates() {
        return updates;
    }

    /** The URL of link {@code id} (a function of the id). */
    public String url(int id) {
        return "https://" + domain(id) + "/" + WORDS[id % WORDS.length] + "-" + WORDS[(id / 7) % WORDS.length] + "-" + id;
    }

    /** The domain of link {@code id}. */
    public String domain(int id) {
        int d = (int) ((id * 2_654_435_761L) % domains);
        return WORDS[d % WORDS.length] + (d / WORDS.length) + ".example";
    }

    /** The title of link {@code id} (a function of the id). */
    public String title(int id) {
        String a = WORDS[(id * 31) % WORDS.length];
        String b = WORDS[(id / 3) % WORDS.length];
        String c = WORDS[(id / 11) % WORDS.length];
        return Character.toUpperCase(a.charAt(0)) + a.substring(1) + " " + b + " and the " + c + " problem";
    }

    /**
     * Subscribes {@code user} to feed {@code feedId}: its data version goes up by one.
     *
     * @return the user as it now is
     * @throws IllegalArgumentException when the user or feed does not exist, or the user has it
     */
    public synchronized User addFeed(String user, int feedId) {
        User u = users.get(user);
        if (u == null) {
            throw new IllegalArgumentException("no user '" + user + "'");
        }
        if (feedId < 0 || feedId >= feeds.length) {
            throw new IllegalArgumentException("no feed " + feedId + " (feeds are 0 to " + (feeds.length - 1) + ")");
        }
        if (u.feeds().contains(feedId)) {
            throw new IllegalArgumentException("user '" + user + "' already reads feed " + feedId);
        }
        List<Integer> subs = new ArrayList<>(u.feeds());
        subs.add(feedId);
        Collections.sort(subs);
        User next = new User(u.name(), u.kind(), List.copyOf(subs), u.dataVersion() + 1);
        users.put(user, next);
        return next;
    }

    /**
     * One feed update, as a crawler would bring: new entries on a few feeds (the same feeds and
     * entries for the same update number). Every user reading an updated feed gets a new data
     * version.
     *
     * @return the users whose data changed, as they now are
     */
    public synchronized List<User> updateFeeds() {
        updates++;
        SplittableRandom rnd = new SplittableRandom(seed * 31 + updates);
        int count = Math.max(1, feeds.length / 20);
        boolean[] updated = new boolean[feeds.length];
        for (int i = 0; i < count; i++) {
            int f = rnd.nextInt(feeds.length);
            updated[f] = true;
            int[][] more = Arrays.copyOf(entries[f], entries[f].length + 5);
            for (int e = entries[f].length; e < more.length; e++) {
                more[e] = entry(rnd, feeds[f].topic());
            }
            entries[f] = more;
        }
        // the frequent users' feeds are always among the updated: the job's prefetch has work to show
        for (User u : users.values()) {
            if (u.kind() == Kind.FREQUENT && !u.feeds().isEmpty()) {
                int f = u.feeds().get(rnd.nextInt(u.feeds().size()));
                if (!updated[f]) {
                    updated[f] = true;
                    int[][] more = Arrays.copyOf(entries[f], entries[f].length + 1);
                    more[more.length - 1] = entry(rnd, feeds[f].topic());
                    entries[f] = more;
                }
            }
        }
        List<User> changed = new ArrayList<>();
        for (Map.Entry<String, User> e : users.entrySet()) {
            User u = e.getValue();
            if (u.feeds().stream().anyMatch(f -> updated[f])) {
                User next = new User(u.name(), u.kind(), u.feeds(), u.dataVersion() + 1);
                e.setValue(next);
                changed.add(next);
            }
        }
        return changed;
    }
}
