package dev.cachet.servlet.internal;

import dev.cachet.servlet.CacheMode;
import java.util.Set;

/**
 * What the {@link HttpCachePolicy} needs besides the request and response.
 *
 * @param mode Django's or RFC 9111's rules
 * @param defaultLifetimeMillis Django mode: the lifetime of a response without {@code max-age}
 * @param djangoStatuses Django mode: the statuses stored ({@code 200} by default)
 * @param staleRetentionMillis how long past its freshness a response is kept to be revalidated
 *     or served when the origin is unreachable (RFC mode)
 */
public record PolicySettings(CacheMode mode, long defaultLifetimeMillis, Set<Integer> djangoStatuses,
        long staleRetentionMillis) {
    boolean rfc() {
        return mode == CacheMode.RFC;
    }
}
