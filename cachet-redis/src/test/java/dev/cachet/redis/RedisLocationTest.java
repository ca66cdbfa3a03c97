package dev.cachet.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.redis.internal.RedisLocation;
import dev.cachet.redis.internal.RedisLocation.HostAndPort;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Location forms and options, parsed and refused without any server. */
class RedisLocationTest {
    private static RedisLocation parse(String location) {
        CacheConfig c = CacheConfig.of(location);
        return RedisLocation.parse("c", c.scheme(), c.target());
    }

    @Test
    void standaloneForms() {
        RedisLocation l = parse("redis://127.0.0.1:6380/3");
        assertThat(l.cluster()).isFalse();
        assertThat(l.tls()).isFalse();
        assertThat(l.seeds()).containsExactly(new HostAndPort("127.0.0.1", 6380));
        assertThat(l.database()).isEqualTo(3);
        assertThat(l.user()).isNull();
        assertThat(l.password()).isNull();

        RedisLocation d = parse("redis://cache.internal");
        assertThat(d.seeds()).containsExactly(new HostAndPort("cache.internal", 6379));
        assertThat(d.database()).isZero();
        assertThat(d.describe()).isEqualTo("redis://cache.internal:6379/0");

        assertThat(parse("rediss://h:6390/0").tls()).isTrue();
        assertThat(parse("redis://[::1]:7000/2").seeds()).containsExactly(new HostAndPort("::1", 7000));
        assertThat(parse("redis://[::1]/2").describe()).isEqualTo("redis://[::1]:6379/2");
    }

    @Test
    void credentials() {
        RedisLocation p = parse("redis://:pa%3Ass%40w+rd@h/1");
        assertThat(p.user()).isNull();
        assertThat(p.password()).isEqualTo("pa:ss@w+rd");
        RedisLocation u = parse("redis://alice:secret@h:6379/0");
        assertThat(u.user()).isEqualTo("alice");
        assertThat(u.password()).isEqualTo("secret");
        assertThat(parse("redis://secret@h").password()).isEqualTo("secret");
        assertThat(u.describe()).doesNotContain("secret");
        assertThat(RedisLocation.redact("redis://alice:secret@h:6379/0")).isEqualTo("redis://***@h:6379/0");
        assertThat(RedisLocation.redact("redis://secret@h")).isEqualTo("redis://***@h");
    }

    @Test
    void clusterForms() {
        RedisLocation c = parse("redis-cluster://h1:7000,h2:7001, h3");
        assertThat(c.cluster()).isTrue();
        assertThat(c.seeds()).containsExactly(new HostAndPort("h1", 7000), new HostAndPort("h2", 7001),
                new HostAndPort("h3", 6379));
        assertThat(c.describe()).isEqualTo("redis-cluster://h1:7000,h2:7001,h3:6379");
        RedisLocation t = parse("rediss-cluster://u:p@h1:7000");
        assertThat(t.tls()).isTrue();
        assertThat(t.seeds()).hasSize(1);
        assertThat(t.password()).isEqualTo("p");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis:host:6379 | expected redis://",
        "redis://h1:7000,h2:7001 | redis-cluster://h1:7000,h2:7001",
        "redis://h:notaport | port 'notaport'",
        "redis://h:70000 | from 1 to 65535",
        "redis://h/x | database 'x' must be a number",
        "redis://h/-1 | database '-1'",
        "redis-cluster://h:7000/1 | database 0 only",
        "redis://:6379 | host is missing",
        "redis://::1:6379 | in brackets",
        "redis://[::1:6379 | does not close it",
        "redis-cluster://h1,,h2 | host is missing",
    })
    void badLocationsAreRefusedNamingTheProblem(String location, String problem) {
        assertThatThrownBy(() -> parse(location)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cache 'c'").hasMessageContaining(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://:hunter2@h:bad",
        "redis://:hun/ter2@h:bad", // an unencoded '/': the user information still ends at the last '@'
        "redis://:hun%zzter2@h:6379", // a '%' that is no escape
        "redis://:hun?ter2@h:6379", // an unencoded '?': the core takes what follows for options
        "redis://user:hun@ter2@h:bad",
    })
    void aPasswordNeverAppearsInARefusal(String location) {
        assertThatThrownBy(() -> parse(location)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hun").doesNotContain("ter2");
    }

    @Test
    void anUnencodedSlashOrAtInAPasswordIsReadWhole() {
        RedisLocation l = parse("redis://user:p/a@ss@h:6379/3");
        assertThat(l.user()).isEqualTo("user");
        assertThat(l.password()).isEqualTo("p/a@ss");
        assertThat(l.seeds()).containsExactly(new HostAndPort("h", 6379));
        assertThat(l.database()).isEqualTo(3);
        assertThat(l.describe()).doesNotContain("p/a");
        assertThat(l.toString()).doesNotContain("p/a");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://127.0.0.1:1/0?command_timeout=0 | option command_timeout='0' must be positive",
        "redis://127.0.0.1:1/0?connect_timeout=soon | option connect_timeout='soon'",
        "redis://127.0.0.1:1/0?command_timeout=forever | option command_timeout='forever'",
        "redis://127.0.0.1:1/0?flush_on_clear=maybe | option flush_on_clear='maybe' must be true or false",
        "redis://127.0.0.1:1/0?topology_refresh=10s | topology_refresh applies to redis-cluster:// locations only",
        "redis://127.0.0.1:1/0?verify_peer=false | verify_peer applies to TLS",
        "redis://127.0.0.1:1/0?max_item_bytes=1g | more than one Redis string can hold",
        "redis://127.0.0.1:1/0?client_name=a b | client_name='a b'",
        "redis://127.0.0.1:1/0?table=t | unknown option [table]",
        "redis://127.0.0.1:1/0?transport=telegraph | option transport='telegraph' must be one of [blocking, pipelined]",
        "rediss://127.0.0.1:1/0?transport=blocking | transport=blocking applies to redis:// locations only",
        "redis-cluster://127.0.0.1:1?transport=blocking | transport=blocking applies to redis:// locations only",
        "redis://127.0.0.1:1/0?max_connections=0 | option max_connections='0'",
    })
    void badOptionsAreRefusedBeforeConnecting(String location, String problem) {
        assertThatThrownBy(() -> Caches.open(location)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void maxEntriesIsRefusedAsAnOptionRedisWouldIgnoreListingTheOptionsItUses() {
        for (String option : List.of("max_entries=1000", "cull_frequency=2")) {
            assertThatThrownBy(() -> Caches.open("redis://127.0.0.1:1/0?" + option)).as(option)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("option [" + option.substring(0, option.indexOf('=')) + "] is not used by redis")
                    .hasMessageContaining("command_timeout").hasMessageContaining("flush_on_clear");
        }
    }

    @Test
    void everySchemeHasAProvider() {
        assertThat(new RedisBackendProvider().schemes()).containsExactlyInAnyOrderElementsOf(RedisLocation.SCHEMES);
        assertThat(List.copyOf(RedisLocation.SCHEMES)).contains("redis", "rediss", "redis-cluster", "rediss-cluster");
    }
}
