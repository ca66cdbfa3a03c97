package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.InvalidKeyException;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Namespace}s, on every backend: every operation works in a namespace
 * and maps keys back to the user's; {@link Namespace#invalidate()} makes every key of the
 * namespace miss with one call to the backend, leaving other namespaces and the parent's own
 * keys; a generation counter deleted behind the namespace's back is re-created without old
 * entries reappearing; views of one name (like two processes) see each other's
 * invalidations; namespaces nest; {@code clear} invalidates and {@code close} leaves the parent
 * open; reads are counted for {@link Namespace#hotKeys(int)}.
 *
 * <p>One feature of the {@linkplain CacheContractTest contract suite}, a link of its chain: its
 * tests use only the {@link ContractFixture}.
 */
public abstract class NamespaceContract extends FreshnessContract {

    /** The parent's key of a namespace's generation counter, as {@link Namespace} documents it. */
    private static String generationKey(String name) {
        return "\0nsgen\0" + name;
    }

    /** A cache that counts the calls reaching it, by method name. */
    private static final class Counting extends ForwardingCache {
        final List<String> calls = new CopyOnWriteArrayList<>();

        Counting(Cache delegate) {
            super(delegate);
        }

        @Override
        public <T> T get(String key, Class<T> type) {
            calls.add("get");
            return super.get(key, type);
        }

        @Override
        public Object get(String key) {
            calls.add("get");
            return super.get(key);
        }

        @Override
        public boolean add(String key, Object value, Timeout timeout) {
            calls.add("add");
            return super.add(key, value, timeout);
        }

        @Override
        public long incr(String key, long delta) {
            calls.add("incr");
            return super.incr(key, delta);
        }

        @Override
        public Map<String, Object> getMany(java.util.Collection<String> keys) {
            calls.add("getMany");
            return super.getMany(keys);
        }

        @Override
        public java.util.Set<String> setMany(Map<String, ?> values, Timeout timeout) {
            calls.add("setMany");
            return super.setMany(values, timeout);
        }

        @Override
        public void close() {
            // the fixture closes the cache under test
        }
    }

    @Test
    void namespaceSetAndGetAreSeparateFromTheParentsKeys() {
        requireStorage();
        Namespace ns = cache.namespace("user:42");
        assertThat(ns.namespaceName()).isEqualTo("user:42");
        assertThat(ns.path()).isEqualTo("user:42");
        assertThat(ns.name()).isEqualTo(cache.name());
        assertThat(ns.version()).isEqualTo(cache.version());
        assertThat(ns.set("links:page:1", "page one")).isTrue();
        cache.set("links:page:1", "plain");
        assertThat(ns.get("links:page:1")).isEqualTo("page one");
        assertThat(ns.get("links:page:1", String.class)).isEqualTo("page one");
        assertThat(ns.lookup("links:page:1").value()).isEqualTo("page one");
        assertThat(cache.get("links:page:1")).isEqualTo("plain");
        assertThat(cache.namespace("user:43").get("links:page:1")).isNull();
        assertThat(ns.get("a key with spaces and ünïcode", String.class, "miss")).isEqualTo("miss");
        assertThat(ns.set("a key with spaces and ünïcode", 7)).isTrue();
        assertThat(ns.get("a key with spaces and ünïcode")).isEqualTo(7L);
        assertThat(ns.set("nul", null)).isTrue();
        assertThat(ns.lookup("nul").isHit()).isTrue();
        assertThat(ns.hasKey("nul")).isTrue();
    }

    @Test
    void invalidateMakesEveryKeyOfTheNamespaceMissAndLeavesTheRest() {
        requireStorage();
        Namespace ns = cache.namespace("user:1");
        Namespace other = cache.namespace("user:2");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String k = i % 3 == 0 ? "key with space " + i : "k" + i;
            keys.add(k);
            ns.set(k, "v" + i);
            other.set(k, "other" + i);
            cache.set(k, "plain" + i);
        }
        ns.invalidate();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            assertThat(ns.get(k)).as("namespaced %s after invalidate", k).isNull();
            assertThat(ns.hasKey(k)).isFalse();
            assertThat(ns.lookup(k).isMiss()).isTrue();
            assertThat(other.get(k)).isEqualTo("other" + i);
            assertThat(cache.get(k)).isEqualTo("plain" + i);
        }
        assertThat(ns.getMany(keys)).isEmpty();
        assertThat(ns.add(keys.get(1), "again")).as("the key is free in the new generation").isTrue();
        assertThat(ns.get(keys.get(1))).isEqualTo("again");
    }

    @Test
    void aDeletedGenerationIsRecreatedAndOldEntriesDoNotReappear() {
        requireStorage();
        Namespace ns = cache.namespace("evicted");
        ns.set("k", "old");
        long written = System.currentTimeMillis();
        assertThat(cache.delete(generationKey("evicted"))).as("the generation counter exists").isTrue();
        // another process (a fresh view) re-creates the counter at the time in millis: wait for the clock to move
        await(() -> System.currentTimeMillis() > written, Duration.ofSeconds(5), "the clock to move");
        Namespace fresh = cache.namespace("evicted");
        assertThat(fresh.get("k")).isNull();
        assertThat(ns.get("k")).isNull();
        fresh.set("k", "new");
        assertThat(ns.get("k")).isEqualTo("new");

        // the same view re-creates it past the generation it saw, whatever the clock
        cache.delete(generationKey("evicted"));
        assertThat(ns.get("k")).isNull();
        ns.set("k", "newer");
        cache.delete(generationKey("evicted"));
        ns.invalidate();
        assertThat(ns.get("k")).isNull();
        assertThat(fresh.get("k")).isNull();
    }

    @Test
    void twoViewsOfOneNameSeeEachOthersWritesAndInvalidations() {
        requireStorage();
        Namespace a = cache.namespace("shared");
        Namespace b = cache.namespace("shared");
        a.set("k", "from a");
        assertThat(b.get("k")).isEqualTo("from a");
        b.invalidate();
        assertThat(a.get("k")).isNull();
        if (sharesStorage()) {
            Namespace elsewhere = open(x -> { }).namespace("shared"); // another cache on the location: another process
            a.set("k", "again");
            assertThat(elsewhere.get("k")).isEqualTo("again");
            elsewhere.invalidate();
            assertThat(a.get("k")).isNull();
            assertThat(b.get("k")).isNull();
        }
    }

    @Test
    void aHeldGenerationSavesTheReadAndSeesItsOwnInvalidations() {
        requireStorage();
        Counting counting = new Counting(cache);
        Namespace held = counting.namespace("held", Duration.ofHours(1));
        assertThat(held.generationHold()).isEqualTo(Duration.ofHours(1));
        held.set("k", 1);
        counting.calls.clear();
        assertThat(held.get("k")).isEqualTo(1L);
        assertThat(counting.calls).as("one read: the generation is held").containsExactly("get");
        held.invalidate();
        assertThat(held.get("k")).isNull();
        held.set("k", 2);
        cache.namespace("held").invalidate(); // another view: within the hold, not seen (documented)
        assertThat(held.get("k")).isEqualTo(2L);
        assertThat(cache.namespace("held").get("k")).isNull();
    }

    @Test
    void namespacesNest() {
        requireStorage();
        Namespace outer = cache.namespace("u");
        Namespace inner = outer.namespace("x");
        assertThat(inner.path()).isEqualTo("u/x");
        inner.set("k", "inner");
        outer.set("k", "outer");
        assertThat(inner.get("k")).isEqualTo("inner");
        assertThat(outer.get("k")).isEqualTo("outer");
        inner.invalidate();
        assertThat(inner.get("k")).isNull();
        assertThat(outer.get("k")).isEqualTo("outer");
        inner.set("k", "inner again");
        outer.invalidate();
        assertThat(outer.namespace("x").get("k")).as("invalidating the outer invalidates the nested").isNull();
        assertThat(inner.get("k")).isNull();
    }

    @Test
    void bulkOperationsMapKeysBack() {
        requireStorage();
        Namespace ns = cache.namespace("bulk");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", 1);
        values.put("b", "B");
        values.put("c d", null);
        assertThat(ns.setMany(values)).isEmpty();
        Map<String, Object> found = ns.getMany(List.of("missing", "a", "b", "c d"));
        assertThat(found).containsExactly(Map.entry("a", 1L), Map.entry("b", "B"), new java.util.AbstractMap.SimpleEntry<>("c d", null));
        assertThat(ns.getMany(List.of("a"), Long.class)).containsExactly(Map.entry("a", 1L));
        assertThat(cache.getMany(List.of("a", "b", "c d"))).isEmpty();
        assertThat(ns.deleteMany(List.of("a", "b", "missing"))).isEqualTo(2);
        assertThat(ns.getMany(List.of("a", "b", "c d")).keySet()).containsExactly("c d");
    }

    @Test
    void invalidatingTenThousandKeysIsOneCallToTheBackend() {
        requireStorage();
        Cache roomy;
        try {
            roomy = open(b -> b.option("max_entries", 20_000)); // backends that cull keep all 10,000
        } catch (IllegalArgumentException noBound) {
            roomy = cache; // servers: no entry bound to lift
        }
        Counting counting = new Counting(roomy);
        Namespace ns = counting.namespace("big");
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            values.put("key" + i, i);
        }
        assertThat(ns.setMany(values, Timeout.ofSeconds(120))).isEmpty();
        List<String> sample = List.of("key0", "key1", "key4999", "key9998", "key9999");
        assertThat(ns.getMany(sample)).hasSize(5).containsEntry("key4999", 4999L);
        assertThat(ns.getMany(values.keySet())).hasSize(10_000);
        counting.calls.clear();
        ns.invalidate();
        assertThat(counting.calls).containsExactly("incr");
        assertThat(ns.getMany(sample)).isEmpty();
        for (String k : sample) {
            assertThat(ns.get(k)).isNull();
        }
    }

    @Test
    void everyOperationWorksInANamespace() {
        requireStorage();
        Namespace ns = cache.namespace("ops");
        ns.set("n", 5);
        assertThat(ns.incr("n")).isEqualTo(6);
        assertThat(ns.decr("n", 2)).isEqualTo(4);
        assertThat(ns.get("n")).isEqualTo(4L);
        assertThat(cache.hasKey("n")).isFalse();
        assertThatThrownBy(() -> ns.incr("absent")).isInstanceOf(NoSuchElementException.class);
        assertThat(ns.add("a", "first")).isTrue();
        assertThat(ns.add("a", "second")).isFalse();
        assertThat(ns.touch("a", Timeout.ofSeconds(60))).isTrue();
        assertThat(ns.touch("absent")).isFalse();
        AtomicInteger loads = new AtomicInteger();
        assertThat(ns.getOrSet("g", String.class, () -> "loaded" + loads.incrementAndGet())).isEqualTo("loaded1");
        assertThat(ns.getOrSet("g", String.class, () -> "loaded" + loads.incrementAndGet())).isEqualTo("loaded1");
        assertThat(ns.delete("a")).isTrue();
        assertThat(ns.delete("a")).isFalse();
        assertThatThrownBy(() -> ns.get(null)).isInstanceOf(InvalidKeyException.class);

        Cache v2 = ns.withVersion(2);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.get("n")).isNull();
        assertThat(ns.incrVersion("n")).isEqualTo(cache.version() + 1);
        assertThat(ns.withVersion(cache.version() + 1).get("n")).isEqualTo(4L);
        assertThat(ns.get("n")).isNull();
        ns.invalidate();
        assertThat(ns.withVersion(cache.version() + 1).get("n")).as("one generation for every version").isNull();
        assertThatThrownBy(() -> ns.incr("n", 0)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void clearInvalidatesAndCloseLeavesTheParentOpen() {
        requireStorage();
        Namespace ns = cache.namespace("view");
        ns.set("k", "v");
        cache.set("k", "plain");
        ns.clear();
        assertThat(ns.get("k")).isNull();
        assertThat(cache.get("k")).isEqualTo("plain");
        ns.close();
        assertThat(cache.get("k")).isEqualTo("plain");
        assertThat(ns.set("k", "after close")).isTrue();
        assertThat(ns.get("k")).isEqualTo("after close");
        cache.clear();
        assertThat(ns.get("k")).as("namespaced entries are within the parent's clear").isNull();
    }

    @Test
    void theAsyncFaceWorksInTheNamespace() {
        requireStorage();
        Namespace ns = cache.namespace("async");
        assertThat(ns.async().sync()).isSameAs(ns);
        assertThat(join(ns.async().set("k", "v"))).isTrue();
        assertThat(ns.get("k")).isEqualTo("v");
        assertThat(join(ns.async().get("k"))).isEqualTo("v");
        assertThat(join(ns.async().setMany(Map.of("x", 1, "y", 2), Timeout.DEFAULT))).isEmpty();
        assertThat(join(ns.async().getMany(List.of("x", "y", "z")))).containsOnly(Map.entry("x", 1L), Map.entry("y", 2L));
        assertThat(join(ns.async().incr("x", 5))).isEqualTo(6L);
        assertThat(join(ns.async().getOrSet("g", String.class, () -> "loaded", Timeout.DEFAULT))).isEqualTo("loaded");
        assertThat(failureOf(ns.async().get(null))).isInstanceOf(InvalidKeyException.class);
        join(ns.async().clear());
        assertThat(join(ns.async().lookup("k")).isMiss()).isTrue();
        assertThat(ns.get("x")).isNull();
    }

    @Test
    void readsAreCountedForHotKeysAndHotNamespaces() {
        requireStorage();
        Namespace ns = cache.namespace("hot");
        Namespace cold = cache.namespace("cold");
        ns.set("a", 1);
        for (int i = 0; i < 50; i++) {
            ns.get("a");
            if (i % 5 == 0) {
                ns.get("b");
            }
        }
        ns.getMany(List.of("c"));
        cold.get("a");
        assertThat(ns.hotKeys(2)).containsExactly("a", "b");
        assertThat(ns.hotKeys(10)).containsExactly("a", "b", "c");
        assertThat(cache.hotNamespaces(1)).containsExactly("hot");
        assertThat(cache.hotNamespaces(5)).containsExactly("hot", "cold");
    }

    @Test
    void aStrictKeysCacheRefusesNamespacedKeys() {
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> strict.namespace("n").set("k", 1)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void invalidateWorksOnTheDummyBackend() {
        assumeThat(storesValues()).as("dummy backend only").isFalse();
        Namespace ns = cache.namespace("d");
        assertThat(ns.set("k", "v")).isTrue();
        assertThat(ns.get("k")).isNull();
        ns.invalidate();
        assertThat(ns.get("k")).isNull();
    }

    // ---- the fresh-data pipeline in a namespace ----

    @Test
    void getOrSetWithFreshnessStoresInTheNamespaceAndInvalidateMakesItLoadAgain() {
        requireStorage();
        Namespace ns = cache.namespace("user:7");
        AtomicInteger loads = new AtomicInteger();
        Freshness f = Freshness.freshFor(Duration.ofMinutes(1));
        assertThat(ns.getOrSet("page:1", String.class, () -> "p" + loads.incrementAndGet(), f)).isEqualTo("p1");
        assertThat(ns.getOrSet("page:1", String.class, () -> "p" + loads.incrementAndGet(), f)).isEqualTo("p1");
        assertThat(cache.get("page:1")).as("not under the parent's own key").isNull();
        ns.invalidate();
        assertThat(ns.getOrSet("page:1", String.class, () -> "p" + loads.incrementAndGet(), f)).isEqualTo("p2");
        Map<String, String> many = ns.getOrSetMany(List.of("page:1", "page:2"), String.class, keys -> {
            assertThat(keys).as("the loader sees the user's keys").containsExactly("page:2");
            return Map.of("page:2", "second");
        }, f);
        assertThat(many).containsExactly(Map.entry("page:1", "p2"), Map.entry("page:2", "second"));
        assertThat(join(ns.async().getOrSet("page:2", String.class, () -> "x", f))).isEqualTo("second");
        ns.set("tagged", "t", Timeout.DEFAULT, List.of("feed:1"));
        cache.invalidateTag("feed:1");
        assertThat(ns.get("tagged")).as("tags are the parent's").isNull();
    }

    /**
     * Writes {@code links:1} and {@code links:2} (for a loader registered on {@code links:}) and
     * {@code other} (for none) in {@code ns}, and reads each 20 times: its three hottest keys.
     */
    static void heatLinks(Namespace ns) {
        ns.set("links:1", "old 1");
        ns.set("links:2", "old 2");
        ns.set("other", "no loader");
        for (int i = 0; i < 20; i++) {
            ns.get("links:1");
            ns.get("links:2");
            ns.get("other");
        }
    }

    @Test
    void anInvalidatedNamespaceRecomputesItsHottestKeysInTheBackground() {
        requireStorage();
        Namespace ns = cache.namespace("user:9");
        AtomicInteger computed = new AtomicInteger();
        ns.registerLoader("links:", key -> key + "@" + computed.incrementAndGet(), Freshness.DEFAULT);
        heatLinks(ns);
        ns.invalidate();
        await(() -> ns.get("links:1") != null && ns.get("links:2") != null, Duration.ofSeconds(10),
                "the hottest keys to be recomputed");
        assertThat(ns.get("links:1", String.class)).startsWith("links:1@");
        assertThat(ns.get("other")).as("a key without a loader is not recomputed").isNull();
        String before = ns.get("links:2", String.class);
        // false while the recomputation's flight is still leaving (it stored its value first)
        await(() -> join(ns.refresh("links:2")), Duration.ofSeconds(10), "a refresh of links:2 to run");
        assertThat(ns.get("links:2", String.class)).startsWith("links:2@").isNotEqualTo(before);
        assertThat(join(ns.prefetch(List.of("links:3")))).isEqualTo(1);
        assertThat(ns.get("links:3", String.class)).startsWith("links:3@");
        assertThat(failureOf(ns.refresh("other"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no loader is registered for key 'other'");
        assertThat(cache.get("links:3")).as("the parent has no such key").isNull();
    }

    @Test
    void theAsyncFaceOfANamespaceRefreshesPrefetchesAndTagsInTheNamespace() {
        requireStorage();
        Namespace ns = cache.namespace("user:11");
        AsyncCache async = ns.async();
        AtomicInteger computed = new AtomicInteger();
        async.registerLoader("links:", key -> key + "@" + computed.incrementAndGet(), Freshness.DEFAULT);
        assertThat(join(async.prefetch(List.of("links:1", "links:2")))).isEqualTo(2);
        assertThat(ns.get("links:1", String.class)).startsWith("links:1@");
        String before = ns.get("links:2", String.class);
        assertThat(join(async.refresh("links:2"))).isTrue();
        assertThat(ns.get("links:2", String.class)).startsWith("links:2@").isNotEqualTo(before);
        assertThat(join(async.refresh("own", key -> "given " + key, Freshness.DEFAULT))).isTrue();
        assertThat(join(async.prefetch(List.of("more"), key -> "given " + key, Freshness.DEFAULT))).isEqualTo(1);
        assertThat(ns.get("own")).isEqualTo("given own");
        assertThat(ns.get("more")).isEqualTo("given more");
        assertThat(failureOf(async.refresh("other"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no loader is registered for key 'other'");
        assertThat(cache.get("links:1")).as("the parent has no such key").isNull();
        assertThat(join(async.set("tagged", "t", Duration.ofMinutes(5), List.of("feed:2")))).isTrue();
        assertThat(join(async.invalidateTag("feed:2"))).isNull();
        assertThat(ns.get("tagged")).as("tags are the parent's").isNull();
        AsyncCache v2 = async.withVersion(2);
        assertThat(join(v2.set("k", "two"))).isTrue();
        assertThat(ns.withVersion(2).get("k")).isEqualTo("two");
        assertThat(ns.get("k")).isNull();
    }
}
