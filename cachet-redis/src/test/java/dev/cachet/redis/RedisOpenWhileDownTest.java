package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Caches opened while their Redis is down (a free port with nothing listening), then the server
 * started on that port: {@code Caches.load} succeeds whatever the error policy, the caches
 * report failures per their policy at once, and they work, without reopening, once the server
 * answers. Every wait polls for its condition, with a bound.
 */
class RedisOpenWhileDownTest {
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void cachesOpenedWhileTheServerIsDownWorkOnceItIsUp(@TempDir Path dir) throws Exception {
        int port = Servers.freePort();
        String location = "redis://127.0.0.1:" + port + "/0";
        Path file = dir.resolve("caches.properties");
        Files.writeString(file, String.join("\n",
                "cachet.degrading.location=" + location,
                "cachet.degrading.on_error=degrade",
                "cachet.degrading.key_prefix=down",
                "cachet.degrading.connect_timeout=1s",
                "cachet.raising.location=" + location,
                "cachet.raising.on_error=raise",
                "cachet.raising.key_prefix=down",
                "cachet.raising.connect_timeout=1s",
                "cachet.local.location=memory:"));
        long t0 = System.nanoTime();
        try (Caches caches = Caches.load(file)) {
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("opening with a refused port").isLessThan(Duration.ofSeconds(5));
            Cache degrading = caches.get("degrading");
            Cache raising = caches.get("raising");
            assertThat(caches.get("local").set("k", "v")).as("the other caches of the file open").isTrue();

            // down, degrade: reads miss, writes report failure, at once
            long t1 = System.nanoTime();
            assertThat(degrading.get("k")).isNull();
            assertThat(degrading.get("k", String.class, "fallback")).isEqualTo("fallback");
            assertThat(degrading.hasKey("k")).isFalse();
            assertThat(degrading.set("k", "v")).isFalse();
            assertThat(degrading.add("k", "v")).isFalse();
            assertThat(degrading.delete("k")).isFalse();
            assertThat(degrading.getMany(List.of("a", "b"))).isEmpty();
            assertThat(degrading.setMany(Map.of("a", 1, "b", 2))).containsExactlyInAnyOrder("a", "b");
            assertThatThrownBy(() -> degrading.incr("n")).isInstanceOf(CacheException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("nothing waits for the down server")
                    .isLessThan(Duration.ofSeconds(2));

            // down, raise: a CacheException naming the operation and the server, caused by a StoreException
            assertThatThrownBy(() -> raising.get("k")).isInstanceOf(CacheException.class).hasMessageContaining("get")
                    .hasMessageContaining("127.0.0.1:" + port).hasCauseInstanceOf(StoreException.class);
            assertThatThrownBy(() -> raising.set("k", "v")).isInstanceOf(CacheException.class);

            try (RedisProcess redis = RedisProcess.launchOn(port)) {
                assertThat(Servers.waitUntil(() -> works(degrading), RECOVERY))
                        .as("the degrading cache works once the server is up, without reopening").isTrue();
                assertThat(Servers.waitUntil(() -> works(raising), RECOVERY))
                        .as("the raising cache works once the server is up, without reopening").isTrue();
                assertThat(degrading.set("shared", "written by degrading")).isTrue();
                assertThat(raising.get("shared")).isEqualTo("written by degrading");
                assertThat(degrading.add("shared", "x")).isFalse();
                degrading.set("n", 41);
                assertThat(degrading.incr("n")).isEqualTo(42);
                assertThat(degrading.setMany(Map.of("a", 1, "b", 2))).isEmpty();
                assertThat(raising.getMany(List.of("a", "b"))).isEqualTo(Map.of("a", 1L, "b", 2L));
            }
        }
    }

    @Test
    void aServerThatAnswersAndRefusesStillFailsTheOpen() {
        try (RedisProcess redis = RedisProcess.launch("--requirepass", "r1ght-pw")) {
            assertThatThrownBy(() -> Caches.open("redis://:s3cret-pw@" + redis.address() + "/0?on_error=degrade"))
                    .as("a wrong password is not a server that is down").isInstanceOf(CacheException.class)
                    .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect")
                    .message().doesNotContain("s3cret-pw");
        }
    }

    private static boolean works(Cache cache) {
        try {
            return cache.set("probe", "p") && "p".equals(cache.get("probe"));
        } catch (CacheException e) {
            return false;
        }
    }
}
