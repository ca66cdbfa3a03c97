package dev.cachet.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * cachet's Spring Boot properties: one entry of {@code cachet.caches} per cache, each a
 * {@code location} and options.
 *
 * <pre>
 * cachet.caches.books.location = redis://localhost:6379/0
 * cachet.caches.books.timeout = 10m
 * cachet.caches.books.fresh-for = 1m
 * cachet.caches.books.codec-allow = com.example.model.**
 * </pre>
 *
 * An option is any of the cache's location options (see cachet's option table: {@code timeout},
 * {@code key_prefix}, {@code on_error}, {@code codec_allow}, ...) or a freshness option, which
 * sets how {@code @Cacheable(sync = true)} keeps values fresh: {@code fresh_for},
 * {@code fail_safe_max} with {@code fail_safe_throttle}, {@code soft_loader_timeout},
 * {@code hard_loader_timeout}, {@code eager_refresh}, {@code xfetch}, {@code jitter},
 * {@code leases}, {@code lease_time} (durations as cachet reads them everywhere: {@code 300},
 * {@code 500ms}, {@code 5m}). Option names bind relaxed: {@code fresh-for}, {@code fresh_for},
 * {@code freshFor} and {@code FRESH_FOR} are one option.
 */
@ConfigurationProperties(prefix = "cachet")
public class CachetProperties {
    private Map<String, Map<String, String>> caches = new LinkedHashMap<>();
    private boolean allowNullValues = true;

    /** The caches by name: each a map holding {@code location} and options. */
    public Map<String, Map<String, String>> getCaches() {
        return caches;
    }

    /** Sets the caches by name. */
    public void setCaches(Map<String, Map<String, String>> caches) {
        this.caches = caches;
    }

    /** Whether Spring may store {@code null} ({@code cachet.allow-null-values}, true by default). */
    public boolean isAllowNullValues() {
        return allowNullValues;
    }

    /** Sets whether Spring may store {@code null}. */
    public void setAllowNullValues(boolean allowNullValues) {
        this.allowNullValues = allowNullValues;
    }
}
