package dev.cachet.docs;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheStats;
import dev.cachet.Caches;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.Lookup;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import dev.cachet.jdbc.JdbcCaches;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * Every ```java block of README.md, verbatim (each method body holds one or two of them, at
 * any indentation), so that the build compiles them; {@link ReadmeExamplesTest} fails when a
 * README block is not found here, and runs the examples that need no server. The README's
 * placeholder names ({@code settings}, {@code profile}, {@code buildReport}, {@code Page},
 * {@code rank}...) are the fields, types and stubs at the end of this file.
 *
 * <p>Editing an example: change it here and in README.md alike (the test says which README
 * block has no copy here).
 */
final class ReadmeExamples {

    // ---- Using it ----

    static Cache openOne() {
        Cache cache = Caches.open("memory:?max_entries=10000&timeout=10m");
        return cache;
    }

    /** Compiled, not run: it creates a directory under /var/tmp. */
    static void registry() {
        Caches caches = Caches.builder()
                .cache("default", "memory:", Map.of("max_entries", 10_000))
                .cache("pages", "file:/var/tmp/cachet-pages", Map.of("timeout", "1h", "key_prefix", "site1"))
                .build();
        Cache cache = caches.defaultCache();
        Cache pages = caches.get("pages");
        caches.close();                      // closes every cache
    }

    // ---- The API ----

    static void theApi() {
        Cache cache = Caches.open("memory:");

        cache.set("greeting", "hello");                          // default timeout
        cache.set("greeting", "hello", Duration.ofMinutes(5));   // or Timeout.ofSeconds(300)
        cache.set("config", settings, Timeout.FOREVER);
        Object o = cache.get("greeting");                        // null on a miss (or a stored null)
        String s = cache.get("greeting", String.class);          // typed, no cast at the call site
        String d = cache.get("missing", String.class, "none");   // default on a miss
        Lookup<String> l = cache.lookup("greeting", String.class);
        if (l.isHit()) { use(l.value()); }                       // a stored null is a hit

        boolean added = cache.add("lock", "me", Duration.ofSeconds(30));   // only if absent or expired; atomic
        Report r = cache.getOrSet("report:42", Report.class, () -> buildReport(42));  // loader runs only on a miss
        cache.touch("greeting", Duration.ofMinutes(10));         // new timeout; true if the key was there
        boolean deleted = cache.delete("greeting");              // true only if something was deleted

        cache.setMany(Map.of("a", 1, "b", 2));                   // returns the keys that failed (empty set)
        Map<String, Object> found = cache.getMany(List.of("a", "b", "c"));   // {a=1, b=2}: misses left out
        Map<String, Long> typed = cache.getMany(List.of("a", "b"), Long.class);
        int n = cache.deleteMany(List.of("a", "b"));             // how many were deleted
        boolean there = cache.hasKey("a");

        cache.set("hits", 0);
        long hits = cache.incr("hits");                          // 1, atomic, the entry keeps its expiry
        cache.incr("hits", 10);                                  // 11
        cache.decr("hits", 5);                                   // 6

        cache.set("user:7", profile);                            // at version 1
        int v = cache.incrVersion("user:7");                     // moves it to version 2, returns 2
        Profile p = cache.withVersion(2).get("user:7", Profile.class);
        cache.withVersion(2).decrVersion("user:7");              // back to version 1

        cache.clear();                                           // everything in this cache (see "Clearing")
        cache.close();                                           // releases memory, files, threads

        check(o, s, d, added, r, deleted, found, typed, n, there, hits, v, p);
    }

    static Cache decorator(Cache cache, LongAdder reads) {
        Cache counted = new ForwardingCache(cache) {
            @Override public Object get(String key) { reads.increment(); return super.get(key); }
        };
        return counted;
    }

    static AsyncCache asyncFace(Cache cache) {
        AsyncCache async = cache.async();
        async.set("k", "v").thenCompose(ok -> async.get("k", String.class))
             .thenAccept(System.out::println);
        async.getOrSet("slow", String.class, () -> compute(), Timeout.DEFAULT);   // the loader runs off the caller's thread
        async.touch("k", Duration.ofMinutes(10));                 // every sync operation has its twin
        async.withVersion(2).get("user:7", Profile.class);        // the async face of the version view
        async.namespace("user:42").clear();                       // a namespace's async face: clear() invalidates it
        return async;
    }

    // ---- Fresh data under load ----

    static CacheStats freshData(Cache cache, Collection<String> keys, Object post) {
        Freshness f = Freshness.builder()
                .timeout(Duration.ofHours(1))                              // physical life on the backend
                .freshFor(Duration.ofMinutes(5))                           // logical life: then stale-while-revalidate
                .failSafe(Duration.ofHours(2), Duration.ofSeconds(30))     // a failing loader: serve the last good value, retry every 30 s
                .softLoaderTimeout(Duration.ofMillis(100))                 // with a stale value at hand, wait at most 100 ms
                .hardLoaderTimeout(Duration.ofSeconds(5))                  // then give up (fail-safe or LoadTimeoutException)
                .eagerRefresh(0.8)                                         // a hit after 80% of freshFor refreshes in the background
                .xfetch(1.0)                                               // or: probabilistic early recomputation (VLDB 2015)
                .jitter(Duration.ofSeconds(10))                            // keys written together do not expire together
                .build();
        Page page = cache.getOrSet("links:user:42:page:1", Page.class, () -> rank(42, 1), f);

        Map<String, Page> pages = cache.getOrSetMany(keys, Page.class, missing -> rankAll(missing), f);  // one loader call for all misses

        cache.set("post:9", post, Timeout.DEFAULT, List.of("user:42", "feed:7"));  // tagged
        cache.invalidateTag("feed:7");                         // every entry tagged feed:7 now misses: one increment

        cache.registerLoader("links:user:", key -> rankFromKey(key), f);           // how to recompute a key with no caller
        cache.refresh("links:user:42:page:1");                 // recompute in the background, the old value is served meanwhile
        cache.prefetch(List.of("links:user:42:page:1", "links:user:42:page:2"));   // load ahead of the next reader
        CacheStats stats = cache.stats();                      // hits, misses, stale served, loads, fail-safe, leases, refreshes

        check(page, pages);
        return stats;
    }

    // ---- Namespaces, hot keys ----

    static Namespace namespaces(Cache cache, Page page) {
        Namespace user = cache.namespace("user:42");
        user.set("links:page:1", page);
        user.getMany(List.of("links:page:1", "links:page:2"));   // keys come back as you gave them
        user.invalidate();                                       // every key of user:42 misses, in every process
        user.expire();                                           // or: every key is stale, served while it is recomputed
        Namespace drafts = user.namespace("drafts");             // namespaces nest; user.invalidate() covers it

        user.hotKeys(10);          // the 10 keys of user:42 read most recently often, most read first
        cache.hotNamespaces(10);   // "which users are frequent": the namespaces read most, by path ("user:42/drafts")
        user.hotNamespaces(10);    // the namespaces nested directly in user:42
        return drafts;
    }

    static void hotRecompute(Cache cache, Freshness f) {
        Namespace user = cache.namespace("user:42");
        user.registerLoader("links:page:", key -> rank(42, pageOf(key)), f);
        user.invalidate();   // a feed was added: user:42's hot pages are recomputed in the background
    }

    static Object[] expireInsteadOfInvalidate(Cache cache) {
        Namespace user = cache.namespace("user:42");
        Freshness f = Freshness.builder().freshFor(Duration.ofMinutes(10)).timeout(Duration.ofHours(1)).build();
        Page shown = user.getOrSet("links:page:1", Page.class, () -> rank(42, 1), f);
        user.expire();   // a feed was added: user:42's pages are recomputed in the background
        Object gone = user.get("links:page:1");   // null: a plain read misses, as after invalidate()
        Page same = user.getOrSet("links:page:1", Page.class, () -> rank(42, 1), f);   // the previous page, at once

        return new Object[] {shown, same, gone};
    }

    // ---- Backends: compiled, not run (they need servers) ----

    static void sql(DataSource dataSource) {
        Cache db = Caches.open(CacheConfig.builder("jdbc:postgresql://127.0.0.1:5432/app?user=app")
                .name("db").option("table", "app_cache").option("max_entries", 100_000).build());
        // or over your application's own pool:
        Cache db2 = JdbcCaches.open(CacheConfig.builder("jdbc:").option("table", "app_cache").build(), dataSource);
        check(db, db2);
    }

    static void redis() {
        Cache cache = Caches.open("redis://127.0.0.1:6379/0?key_prefix=app&timeout=10m");
        Cache shared = Caches.open("redis-cluster://10.0.0.1:7000,10.0.0.2:7000?key_prefix=app");
        check(cache, shared);
    }

    static void memcached() {
        Cache one = Caches.open("memcached://127.0.0.1:11211");
        Cache cluster = Caches.open("memcached://10.0.0.1:11211,10.0.0.2:11211,10.0.0.3?weights=2,1,1&on_error=degrade");
        check(one, cluster);
    }

    // ---- the README's placeholders ----

    /** A value stored forever in the API example. */
    static final Map<String, String> settings = Map.of("theme", "dark");

    /** A value moved between versions in the API example. */
    static final Profile profile = new Profile("Ada");

    /** A user profile. */
    record Profile(String name) implements Serializable { }

    /** A slow report. */
    record Report(int id) implements Serializable { }

    /** A page of ranked links. */
    record Page(String key) implements Serializable { }

    /** What the last {@link #use} call received. */
    static volatile Object used;

    static void use(Object value) {
        used = value;
    }

    static Report buildReport(int id) {
        return new Report(id);
    }

    static String compute() {
        return "computed";
    }

    static Page rank(int user, int page) {
        return new Page("links:user:" + user + ":page:" + page);
    }

    static Map<String, Page> rankAll(Set<String> keys) {
        Map<String, Page> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, new Page(k));
        }
        return out;
    }

    static int pageOf(String key) {
        return Integer.parseInt(key.substring(key.lastIndexOf(':') + 1));
    }

    static Page rankFromKey(String key) {
        return new Page(key);
    }

    /** Keeps the examples' results "used" for the compiler and makes them visible to the test. */
    static volatile List<Object> results = List.of();

    private static void check(Object... values) {
        results = java.util.Arrays.asList(values);
    }

    private ReadmeExamples() {
    }
}
