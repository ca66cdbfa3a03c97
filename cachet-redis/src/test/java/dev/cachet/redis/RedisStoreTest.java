package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.InvalidKeyException;
import dev.cachet.Timeout;
import dev.cachet.spi.StoreException;
import dev.cachet.testkit.Servers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the contract suite cannot see: what the Redis backend leaves in Redis (keys, expiry),
 * what clear removes and what it leaves to others, large values, unsafe keys, logins. Runs on
 * the shared Redis in database {@value #DATABASE} (no other class uses it), each test under a
 * fresh prefix; the flush test uses database {@value #FLUSH_DATABASE} alone, and the test of a
 * clear that empties the whole database a private server.
 */
class RedisStoreTest {
    static final int DATABASE = 12;
    static final int FLUSH_DATABASE = 13;

    private final List<Cache> opened = new ArrayList<>();
    private String prefix;
    private String uri;

    @BeforeEach
    void setUp() {
        uri = "redis://" + Servers.requireRedis().address() + "/" + DATABASE;
        prefix = "st-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    @AfterEach
    void closeCaches() {
        opened.forEach(Cache::close);
    }

    @AfterAll
    static void removeWhatTheTestsLeft() {
        if (Servers.isListening(Servers.HOST, 6379, Duration.ofMillis(500))) {
            String db = "redis://" + Servers.HOST + ":6379/" + DATABASE;
            RedisKeys.unlinkMatching(db, "st-*");
            RedisKeys.unlinkMatching(db, "foreign*");
        }
    }

    private Cache open(Consumer<CacheConfig.Builder> options) {
        CacheConfig.Builder b = CacheConfig.builder(uri).name("store-test").option("key_prefix", prefix);
        options.accept(b);
        Cache c = Caches.open(b.build());
        opened.add(c);
        return c;
    }

    private Set<String> storedKeys(String pattern) {
        return RedisKeys.with(uri, r -> new TreeSet<>(r.keys(pattern)));
    }

    private long pttl(String key) {
        return RedisKeys.with(uri, r -> r.pttl(key));
    }

    @Test
    void entriesAreStoredUnderPrefixVersionKeyInTheChosenDatabase() {
        Cache cache = open(b -> { });
        cache.set("greeting", "hello");
        cache.set("n", 42);
        assertThat(storedKeys(prefix + ":*")).containsExactly(prefix + ":1:greeting", prefix + ":1:n");
        assertThat(RedisKeys.<String>with(uri, r -> r.get(prefix + ":1:n"))).as("integers stay plain decimal").isEqualTo("42");
        String db0 = "redis://" + Servers.HOST + ":6379/0";
        assertThat(RedisKeys.<Long>with(db0, r -> r.exists(prefix + ":1:greeting"))).isZero();
    }

    @Test
    void timeoutsBecomeRedisExpiry() {
        Cache cache = open(b -> { });
        cache.set("minute", "v", Duration.ofSeconds(60));
        cache.set("forever", "v", Timeout.FOREVER);
        cache.add("added", "v", Duration.ofSeconds(30));
        cache.setMany(Map.of("many", "v"), Timeout.ofSeconds(90));
        cache.set("huge", "v", Duration.ofDays(365L * 5000));
        assertThat(pttl(prefix + ":1:minute")).isBetween(55_000L, 60_000L);
        assertThat(pttl(prefix + ":1:forever")).isEqualTo(-1);
        assertThat(pttl(prefix + ":1:added")).isBetween(25_000L, 30_000L);
        assertThat(pttl(prefix + ":1:many")).isBetween(85_000L, 90_000L);
        assertThat(pttl(prefix + ":1:huge")).as("beyond 1000 years: no expiry").isEqualTo(-1);
        assertThat(pttl(prefix + ":1:missing")).isEqualTo(-2);
    }

    @Test
    void touchSetsOrRemovesTheExpiryAndReportsMissingKeys() {
        Cache cache = open(b -> { });
        cache.set("k", "v", Duration.ofSeconds(60));
        assertThat(cache.touch("k", Timeout.FOREVER)).isTrue();
        assertThat(pttl(prefix + ":1:k")).isEqualTo(-1);
        assertThat(cache.touch("k", Timeout.FOREVER)).as("already without expiry: still there").isTrue();
        assertThat(cache.touch("k", Timeout.ofSeconds(120))).isTrue();
        assertThat(pttl(prefix + ":1:k")).isBetween(115_000L, 120_000L);
        assertThat(cache.touch("missing", Timeout.FOREVER)).isFalse();
        assertThat(cache.touch("missing", Timeout.ofSeconds(5))).isFalse();
        assertThat(storedKeys(prefix + ":*")).containsExactly(prefix + ":1:k");
    }

    @Test
    void touchOfAChunkedValueMovesTheExpiryOfEveryPiece() {
        Cache cache = open(b -> b.option("max_item_bytes", 16_384));
        byte[] big = new byte[100_000];
        new java.util.Random(3).nextBytes(big);
        cache.set("big", big, Duration.ofSeconds(60));
        assertThat(storedKeys(prefix + ":*")).as("a manifest and its pieces").hasSizeGreaterThan(7);
        assertThat(cache.touch("big", Timeout.FOREVER)).isTrue();
        for (String k : storedKeys(prefix + ":*")) {
            assertThat(pttl(k)).as("expiry of %s", k).isEqualTo(-1);
        }
        assertThat(cache.touch("big", Timeout.ofSeconds(120))).isTrue();
        for (String k : storedKeys(prefix + ":*")) {
            assertThat(pttl(k)).as("expiry of %s", k).isBetween(115_000L, 120_000L);
        }
        assertThat(cache.get("big", byte[].class)).isEqualTo(big);
    }

    @Test
    void incrKeepsTheRedisExpiryAndNeverCreatesAKey() {
        Cache cache = open(b -> { });
        cache.set("n", 5, Duration.ofSeconds(60));
        assertThat(cache.incr("n", 10)).isEqualTo(15);
        assertThat(pttl(prefix + ":1:n")).isBetween(55_000L, 60_000L);
        assertThatThrownBy(() -> cache.incr("absent")).isInstanceOf(java.util.NoSuchElementException.class);
        assertThat(RedisKeys.<Long>with(uri, r -> r.exists(prefix + ":1:absent"))).isZero();
        cache.set("big", (1L << 53) + 1);
        assertThat(cache.incr("big")).as("exact beyond 2^53 (no Lua double in the way)").isEqualTo((1L << 53) + 2);
    }

    @Test
    void theIncrScriptIsReloadedAfterTheServerForgetsIt() {
        Cache cache = open(b -> { });
        cache.set("n", 1);
        assertThat(cache.incr("n")).isEqualTo(2);
        RedisKeys.with(uri, r -> r.scriptFlush());
        assertThat(cache.incr("n")).isEqualTo(3);
        assertThat(cache.touch("n", Timeout.FOREVER)).isTrue();
    }

    @Test
    void clearRemovesThisCachesKeysAndNothingElse() {
        Cache cache = open(b -> { });
        Cache nested = Caches.open(CacheConfig.builder(uri).name("nested").option("key_prefix", prefix + ":x").build());
        opened.add(nested);
        cache.set("a", 1);
        cache.withVersion(-3).set("b", "B");
        cache.set("with space", "hashed");
        cache.set("big", new byte[20_000], Timeout.FOREVER);
        nested.set("a", "nested");
        RedisKeys.with(uri, r -> {
            r.set(prefix + ":config", "foreign: not of the cache's shape");
            r.set(prefix + "x:1:a", "foreign: another prefix");
            r.set("foreign-" + prefix, "foreign");
            return null;
        });
        cache.clear();
        assertThat(cache.getMany(List.of("a", "with space", "big"))).isEmpty();
        assertThat(cache.withVersion(-3).get("b")).isNull();
        assertThat(nested.get("a")).as("a cache whose prefix extends ours keeps its entries").isEqualTo("nested");
        assertThat(storedKeys(prefix + "*")).containsExactlyInAnyOrder(prefix + ":x:1:a", prefix + ":config",
                prefix + "x:1:a");
        assertThat(storedKeys("foreign-" + prefix)).hasSize(1);
    }

    @Test
    void clearCannotTellAPrefixFollowedByAnIntegerFromAVersionAndRemovesItsKeys() {
        Cache cache = open(b -> { });
        Cache numbered = Caches.open(CacheConfig.builder(uri).name("numbered").option("key_prefix", prefix + ":2").build());
        opened.add(numbered);
        numbered.set("k", "numbered");
        assertThat(cache.withVersion(2).get("1:k")).as("the same stored key").isEqualTo("numbered");
        cache.clear();
        assertThat(numbered.get("k")).as("documented: such a nesting shares the key shape").isNull();
    }

    @Test
    void clearWithAnEmptyPrefixRemovesOnlyKeysOfTheDefaultShape() {
        String db = "redis://" + Servers.HOST + ":6379/" + FLUSH_DATABASE;
        RedisKeys.with(db, r -> r.flushdb());
        Cache cache = Caches.open(CacheConfig.builder(db).name("unprefixed").build());
        opened.add(cache);
        cache.set("a", 1);
        cache.withVersion(2).set("a", 2);
        cache.set("key with spaces", "hashed");
        RedisKeys.with(db, r -> {
            r.set("session:abc", "another application's");
            r.set(":config", "not :<version>:");
            r.set("~short", "not a hash");
            return null;
        });
        cache.clear();
        assertThat(RedisKeys.<Set<String>>with(db, r -> new TreeSet<>(r.keys("*")))).containsExactly(":config", "session:abc", "~short");
        RedisKeys.with(db, r -> r.flushdb());
    }

    @Test
    void flushOnClearEmptiesTheWholeDatabase() {
        String db = "redis://" + Servers.HOST + ":6379/" + FLUSH_DATABASE;
        Cache cache = Caches.open(CacheConfig.builder(db).name("flushing").option("flush_on_clear", true).build());
        opened.add(cache);
        cache.set("a", 1);
        RedisKeys.with(db, r -> r.set("other", "x"));
        cache.clear();
        assertThat(RedisKeys.<Long>with(db, r -> r.dbsize())).isZero();
    }

    /** The contract suite checks the caches' entries; here, keys no cache wrote go too. */
    @Test
    void clearWithACustomKeyFunctionEmptiesTheWholeDatabase() {
        try (RedisProcess redis = RedisProcess.launch()) {
            String db = "redis://" + redis.address() + "/0";
            try (Cache prefixed = Caches.open(CacheConfig.builder(db).name("prefixed").option("key_prefix", "a").build());
                    Cache custom = Caches.open(CacheConfig.builder(db).name("custom")
                            .keyFunction((key, p, version) -> "custom/" + key).build())) {
                prefixed.set("k", 1);
                custom.set("k", 2);
                RedisKeys.with(db, r -> r.set("foreign", "another application's"));
                prefixed.clear();
                assertThat(RedisKeys.<Set<String>>with(db, r -> new TreeSet<>(r.keys("*")))).containsExactly("custom/k", "foreign");
                custom.clear();
                assertThat(RedisKeys.<Long>with(db, r -> r.dbsize())).isZero();
                assertThat(prefixed.add("k", 3)).isTrue();
            }
        }
    }

    @Test
    void aTwentyMegabyteValueRoundTripsInPiecesAndWhole() {
        byte[] value = new byte[20 << 20];
        new Random(7).nextBytes(value);
        Cache chunked = open(b -> { });
        assertThat(chunked.set("blob", value, Duration.ofMinutes(5))).isTrue();
        assertThat(chunked.get("blob", byte[].class)).isEqualTo(value);
        assertThat(storedKeys(prefix + ":*")).as("a manifest and three pieces of at most 8 MiB").hasSize(4);
        chunked.clear();

        Cache whole = open(b -> b.option("max_item_bytes", "64m"));
        assertThat(whole.set("blob", value, Duration.ofMinutes(5))).isTrue();
        assertThat(whole.get("blob", byte[].class)).isEqualTo(value);
        assertThat(storedKeys(prefix + ":*")).containsExactly(prefix + ":1:blob");
        assertThat(RedisKeys.<Long>with(uri, r -> r.strlen(prefix + ":1:blob"))).isGreaterThan(20L << 20);
        whole.delete("blob");
    }

    @Test
    void unsafeKeysAreHashedIntoSafeRedisKeysOrRefusedInStrictMode() {
        Cache cache = open(b -> { });
        String longKey = "k".repeat(10_240);
        List<String> keys = List.of("with space", "line\nbreak", "tab\tand\r\n", longKey);
        for (String k : keys) {
            assertThat(cache.set(k, k.length())).isTrue();
        }
        for (String k : keys) {
            assertThat(cache.get(k)).isEqualTo((long) k.length());
        }
        Set<String> stored = storedKeys(prefix + ":*");
        assertThat(stored).hasSize(4).allSatisfy(s -> {
            assertThat(s).startsWith(prefix + ":~").doesNotContain(" ", "\n", "\t", "\r");
            assertThat(s.length()).isLessThanOrEqualTo(250);
        });
        Cache strict = open(b -> b.option("strict_keys", true));
        assertThatThrownBy(() -> strict.set("with space", 1)).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("'with space'");
    }

    @Test
    void aPasswordOrAnAclUserInTheLocationLogsIn() {
        try (RedisProcess redis = RedisProcess.launch("--requirepass", "s3cr@t", "--user", "alice", "on", ">al1ce", "~*", "&*", "+@all")) {
            try (Cache byPassword = Caches.open("redis://:s3cr%40t@" + redis.address() + "/0");
                    Cache byUser = Caches.open("redis://alice:al1ce@" + redis.address() + "/1")) {
                assertThat(byPassword.set("k", "v")).isTrue();
                assertThat(byPassword.get("k")).isEqualTo("v");
                assertThat(byUser.set("k", "w")).isTrue();
                assertThat(byUser.get("k")).isEqualTo("w");
            }
            assertThatThrownBy(() -> Caches.open("redis://:wrong-password@" + redis.address() + "/0"))
                    .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect")
                    .message().doesNotContain("wrong-password");
            assertThatThrownBy(() -> Caches.open("redis://" + redis.address() + "/0?command_timeout=1s"))
                    .as("no password at all").isInstanceOf(StoreException.class);
        }
    }
}
