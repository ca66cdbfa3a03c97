package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.ForwardingCache;
import dev.cachet.Freshness;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The record {@link Generation#expire()} leaves and the previous worlds
 * {@link PreviousGenerations} finds from it: what expire costs, what voids the record, and the
 * fix-up when another process moves the generation between expire's read and its increment.
 */
class PreviousGenerationsTest {
    private static final Freshness SWR = Freshness.freshFor(Duration.ofMinutes(1));

    /** A cache that records the calls reaching it, and can run something once before a chosen write. */
    private static final class Recording extends ForwardingCache {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile Runnable beforeNextSet;

        Recording(Cache delegate) {
            super(delegate);
        }

        @Override
        public <T> T get(String key, Class<T> type) {
            calls.add("get " + key.replace('\0', '/'));
            return super.get(key, type);
        }

        @Override
        public boolean set(String key, Object value, Timeout timeout) {
            Runnable r = beforeNextSet;
            beforeNextSet = null;
            if (r != null) {
                r.run();
            }
            calls.add("set " + key.replace('\0', '/') + "=" + value);
            return super.set(key, value, timeout);
        }

        @Override
        public long incr(String key, long delta) {
            calls.add("incr " + key.replace('\0', '/'));
            return super.incr(key, delta);
        }
    }

    @Test
    void expireReadsTheGenerationRecordsItAndIncrementsIt() {
        try (Cache cache = Caches.open("memory:")) {
            Recording parent = new Recording(cache);
            NamespacedCache ns = (NamespacedCache) parent.namespace("n");
            long before = ns.generation().current();
            parent.calls.clear();
            ns.expire();
            assertThat(parent.calls).containsExactly("get /nsgen/n", "set /nsprev/n=" + before, "incr /nsgen/n");
            assertThat(ns.generation().recorded()).isEqualTo(before);
            assertThat(PreviousGenerations.worlds(ns, before + 1)).hasSize(1);
            parent.calls.clear();
            ns.invalidate();
            assertThat(parent.calls).as("a top-level invalidate stays one increment").containsExactly("incr /nsgen/n");
            assertThat(PreviousGenerations.worlds(ns, ns.generation().current())).as("the record is void").isEmpty();
        }
    }

    @Test
    void aMoveBetweenExpiresReadAndItsIncrementIsRecordedAsThePreviousGeneration() {
        try (Cache cache = Caches.open("memory:")) {
            Recording parent = new Recording(cache);
            NamespacedCache ns = (NamespacedCache) parent.namespace("n");
            ns.set("k", "old");
            Namespace elsewhere = cache.namespace("n"); // another process
            parent.beforeNextSet = () -> {
                elsewhere.invalidate();
                elsewhere.set("k", "written after the other invalidation");
            };
            ns.expire();
            long now = ns.generation().current();
            assertThat(ns.generation().recorded()).as("the generation the other process moved to").isEqualTo(now - 1);
            // (namespaces over the recording wrapper have no pipeline to hand the previous value to: read through the cache)
            assertThat(cache.namespace("n").getOrSet("k", String.class, () -> "new", SWR))
                    .isEqualTo("written after the other invalidation");
        }
    }

    @Test
    void aNestedInvalidateWritesItsRecordSoItsParentsPreviousGenerationIsNotUsed() {
        try (Cache cache = Caches.open("memory:")) {
            Recording parent = new Recording(cache);
            Namespace outer = parent.namespace("o");
            NamespacedCache inner = (NamespacedCache) outer.namespace("i");
            inner.getOrSet("k", String.class, () -> "v1", SWR);
            outer.expire();
            long current = inner.generation().current();
            assertThat(PreviousGenerations.worlds(inner, current)).as("the parent's previous generation").hasSize(1);
            Namespace direct = cache.namespace("o").namespace("i"); // over the cache itself, which has the pipeline
            assertThat(direct.getOrSet("k", String.class, () -> "v2", SWR)).isEqualTo("v1");
            parent.calls.clear();
            inner.invalidate();
            assertThat(parent.calls).anyMatch(c -> c.startsWith("set ") && c.endsWith("=" + Generation.NONE));
            assertThat(PreviousGenerations.worlds(inner, inner.generation().current())).isEmpty();
            assertThat(direct.getOrSet("k", String.class, () -> "v3", SWR)).isEqualTo("v3");
        }
    }
}
