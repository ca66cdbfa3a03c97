package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.CacheException;
import dev.cachet.Caches;
import dev.cachet.testkit.Servers;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One master of a three-master cluster killed: the bulk calls fail for its keys alone. The
 * store reports what the other masters did ({@code PartialFailureException}), and the core
 * applies the policy: with {@code degrade}, get_many returns the others' values, set_many
 * names the dead master's keys, delete_many counts the others' deletions; with {@code raise},
 * each throws. The cluster serves without full slot coverage, as a cluster whose master fails
 * without a replica to promote does until {@code cluster-node-timeout}.
 */
class RedisClusterFailureTest {
    private static final String PREFIX = "pf";

    private static Cache open(RedisTestCluster cluster, String onError) {
        return Caches.open(CacheConfig.builder("redis-cluster://" + cluster.seeds()).name(onError)
                .option("key_prefix", PREFIX).option("on_error", onError).option("command_timeout", "2s").build());
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeadMasterFailsItsKeysOfABulkCallAndTheOthersAreServed() {
        List<String> keys = IntStream.range(0, 60).mapToObj(i -> "k" + i).toList();
        Map<String, Object> values = new LinkedHashMap<>();
        keys.forEach(k -> values.put(k, "v-" + k));
        try (RedisTestCluster cluster = RedisTestCluster.start(3, "--cluster-require-full-coverage", "no");
                Cache raise = open(cluster, "raise");
                Cache degrade = open(cluster, "degrade")) {
            assertThat(raise.setMany(values)).isEmpty();
            RedisProcess victim = cluster.nodes().get(1);
            Set<String> lost = RedisKeys.<List<String>>with("redis://" + victim.address(), r -> r.keys(PREFIX + ":1:*"))
                    .stream().map(k -> k.substring((PREFIX + ":1:").length())).collect(Collectors.toSet());
            Set<String> kept = new HashSet<>(keys);
            kept.removeAll(lost);
            assertThat(lost).isNotEmpty();
            assertThat(kept).isNotEmpty();

            victim.kill();
            assertThat(Servers.waitUntil(() -> degrade.getMany(keys).keySet().equals(kept), Duration.ofSeconds(30)))
                    .as("get_many to serve the live masters' keys alone").isTrue();

            assertThatThrownBy(() -> raise.getMany(keys)).isInstanceOf(CacheException.class)
                    .hasMessageContaining("get_many").hasMessageContaining(lost.size() + " keys failed");
            assertThat(degrade.getMany(keys)).containsOnlyKeys(kept);
            assertThat(degrade.getMany(keys).values()).allSatisfy(v -> assertThat((String) v).startsWith("v-k"));

            assertThatThrownBy(() -> raise.setMany(values)).isInstanceOf(CacheException.class)
                    .hasMessageContaining("set_many").hasMessageContaining(lost.size() + " keys failed");
            assertThat(degrade.setMany(values)).as("the keys set_many could not store").containsExactlyInAnyOrderElementsOf(lost);

            assertThatThrownBy(() -> raise.deleteMany(keys)).isInstanceOf(CacheException.class)
                    .hasMessageContaining("delete_many").hasMessageContaining(lost.size() + " keys failed");
            assertThat(degrade.getMany(keys)).as("raise's delete_many removed the live masters' keys all the same").isEmpty();
            assertThat(degrade.setMany(values)).containsExactlyInAnyOrderElementsOf(lost);
            assertThat(degrade.deleteMany(keys)).as("the entries the live masters removed").isEqualTo(kept.size());
            assertThat(degrade.getMany(keys)).isEmpty();
        }
    }
}
