package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.Namespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The internal side of namespaces: the tracker each cache's namespaces share, and the invalidation hook. */
class NamespaceHookTest {

    @Test
    void invalidateTellsListenersTheNamespaceAndItsHottestKeys() {
        try (Cache cache = Caches.open("memory:")) {
            Namespace ns = cache.namespace("user:7");
            for (int i = 0; i < 30; i++) {
                ns.get("profile");
                if (i % 3 == 0) {
                    ns.get("links");
                }
            }
            ns.get("settings");
            List<String> seen = new ArrayList<>();
            BiConsumer<Namespace, List<String>> listener = (n, hot) -> seen.add(n.path() + "=" + hot);
            HotTracker tracker = Namespaces.tracker(cache);
            assertThat(Namespaces.tracker(ns)).isSameAs(tracker);
            tracker.onInvalidate(2, listener);
            tracker.onInvalidate(1, (n, hot) -> {
                throw new IllegalStateException("a failing listener does not fail invalidate");
            });
            cache.namespace("user:7").invalidate(); // another view of the same cache object: same tracker
            assertThat(seen).containsExactly("user:7=[profile, links]");
            ns.async().clear().toCompletableFuture().join();
            assertThat(seen).hasSize(2);
            tracker.removeListener(listener);
            ns.invalidate();
            assertThat(seen).hasSize(2);
        }
    }

    @Test
    void nestedNamespacesCountOnceUnderTheirPath() {
        try (Cache cache = Caches.open("memory:")) {
            Namespace outer = cache.namespace("u");
            Namespace inner = outer.namespace("x");
            for (int i = 0; i < 5; i++) {
                inner.get("k");
            }
            outer.get("o");
            HotTracker t = Namespaces.tracker(cache);
            assertThat(t.hottestKeys("u/x", 5)).containsExactly("k");
            assertThat(t.hottestKeys("u", 5)).containsExactly("o");
            assertThat(cache.hotNamespaces(5)).containsExactly("u/x", "u");
            assertThat(outer.hotNamespaces(5)).containsExactly("x");
        }
    }

    @Test
    void argumentsAreChecked() {
        try (Cache cache = Caches.open("memory:")) {
            assertThatThrownBy(() -> cache.namespace(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> cache.namespace("n", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThat(cache.namespace("n", Duration.ofDays(Long.MAX_VALUE / 86_400 / 2)).generationHold()).isPositive();
            assertThatThrownBy(() -> cache.namespace("n").hotKeys(-1)).isInstanceOf(IllegalArgumentException.class);
        }
        try (Cache untouched = Caches.open("memory:")) {
            assertThat(untouched.hotNamespaces(3)).isEmpty();
        }
    }
}
