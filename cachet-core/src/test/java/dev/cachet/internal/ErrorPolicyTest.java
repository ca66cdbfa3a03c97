package dev.cachet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.Timeout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error policy against a real backend failure: a file cache whose directory is replaced
 * by a regular file, so every file operation fails with an I/O error.
 */
class ErrorPolicyTest {
    @TempDir
    Path tmp;

    private Cache brokenFileCache(String policy) throws Exception {
        Path dir = tmp.resolve("cache-" + policy);
        Cache cache = Caches.open("file:" + dir + "?on_error=" + policy);
        cache.set("before", "ok");
        assertThat(cache.get("before")).isEqualTo("ok");
        // the backend breaks: its directory becomes a plain file
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
        Files.writeString(dir, "not a directory");
        return cache;
    }

    @Test
    void raiseThrowsCacheExceptionNamingCacheOperationAndKey() throws Exception {
        try (Cache cache = brokenFileCache("raise")) {
            assertThatThrownBy(() -> cache.set("k", "v"))
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining("cache 'default'")
                    .hasMessageContaining("set of key 'k'")
                    .hasCauseInstanceOf(dev.cachet.spi.StoreException.class);
            assertThatThrownBy(() -> cache.add("k", "v")).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> cache.setMany(Map.of("a", 1))).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> cache.clear()).isInstanceOf(CacheException.class);
            assertThat(((CacheException) catchIt(() -> cache.touch("k", Timeout.ofSeconds(5)))).cacheName()).isEqualTo("default");
            assertThatThrownBy(() -> cache.async().set("k", "v").toCompletableFuture().join())
                    .isInstanceOf(CompletionException.class).hasCauseInstanceOf(CacheException.class);
        }
    }

    @Test
    void degradeTurnsReadsIntoMissesAndWritesIntoFalse() throws Exception {
        try (Cache cache = brokenFileCache("degrade")) {
            assertThat(cache.set("k", "v")).isFalse();
            assertThat(cache.add("k2", "v")).isFalse();
            assertThat(cache.get("before", String.class, "fallback")).isEqualTo("fallback");
            assertThat(cache.lookup("before").isMiss()).isTrue();
            assertThat(cache.hasKey("before")).isFalse();
            assertThat(cache.setMany(Map.of("a", 1, "b", 2))).containsExactlyInAnyOrder("a", "b");
            assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
            assertThat(cache.getOrSet("g", String.class, () -> "computed")).isEqualTo("computed");
            // no way to report failure in the result: these still throw
            assertThatThrownBy(() -> cache.incr("n")).isInstanceOf(CacheException.class);
            assertThatThrownBy(() -> cache.clear()).isInstanceOf(CacheException.class);
            assertThat(cache.async().set("k", "v").toCompletableFuture().join()).isFalse();
        }
    }

    @Test
    void failuresAreCountedButLoggedOncePerBurst() throws Exception {
        try (Cache cache = brokenFileCache("degrade")) {
            FailureLog log = ((CoreCache) cache).failureLog();
            long before = log.backendFailures();
            for (int i = 0; i < 50; i++) {
                cache.set("k" + i, "v");
            }
            assertThat(log.backendFailures() - before).isEqualTo(50);
        }
    }

    @Test
    void argumentErrorsAreNeverSwallowedByDegrade() throws Exception {
        try (Cache cache = Caches.open("file:" + tmp.resolve("ok") + "?on_error=degrade&strict_keys=true")) {
            assertThatThrownBy(() -> cache.set("a b", "v")).isInstanceOf(dev.cachet.InvalidKeyException.class);
            assertThatThrownBy(() -> cache.set("k", new Object())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("java.lang.Object");
            assertThat(cache.hasKey("k")).isFalse();
        }
    }

    private static Throwable catchIt(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected an exception");
    }
}
