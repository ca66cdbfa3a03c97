package dev.cachet.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.spi.KeyScope;
import org.junit.jupiter.api.Test;

/**
 * The SCAN MATCH glob of a scope: Redis' glob specials in a prefix are escaped, so the glob
 * matches the prefix literally (unescaped, {@code a[b]:*} would match {@code ab:1:k} and miss
 * the cache's own {@code a[b]:1:k}, which clear would then leave behind).
 */
class ClearPatternTest {
    @Test
    void globSpecialsInThePrefixAreEscaped() {
        assertThat(RedisStore.pattern(KeyScope.ofPrefix("site"))).isEqualTo("site:*");
        assertThat(RedisStore.pattern(KeyScope.ofPrefix("a[b]*?\\c"))).isEqualTo("a\\[b\\]\\*\\?\\\\c:*");
        assertThat(RedisStore.pattern(KeyScope.ofPrefix(""))).isEqualTo("[:~]*");
    }
}
