package dev.cachet.servlet.internal;

import dev.cachet.Cache;
import dev.cachet.Timeout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Pages in a cachet {@link Cache}, any backend: per URL a small head entry (a generation and the
 * {@code Vary} names learned from the last stored response), and per variant one value, the
 * {@link StoredResponse}'s bytes (large ones chunked by the cache, behind its manifest). A read
 * checks that the variant names the same URL, {@code Vary} names and request values, so an
 * entry is served only to the request it answers. Invalidation deletes the head: its
 * variants become unreachable (a new head gets a new generation) and age out.
 */
public final class PageStore {
    /** The head entries' minimum life: they are small, and a lost head orphans its variants. */
    private static final long HEAD_MIN_MILLIS = 3_600_000L;

    private final Cache cache;
    private final String prefix;

    /** Pages in {@code cache} under keys starting {@code prefix}. */
    public PageStore(Cache cache, String prefix) {
        this.cache = cache;
        this.prefix = prefix;
    }

    /** A URL's head: its generation and {@code Vary} names. */
    public record Head(String generation, List<String> varyNames) {
        String encode() {
            return generation + "\n" + String.join("\n", varyNames);
        }

        static Head decode(String s) {
            if (s == null) {
                return null;
            }
            String[] parts = s.split("\n", -1);
            List<String> names = new ArrayList<>(Arrays.asList(parts).subList(1, parts.length));
            names.removeIf(String::isEmpty);
            return new Head(parts[0], List.copyOf(names));
        }
    }

    /** The head of {@code url}, or null. */
    public Head head(String url) {
        Object v = cache.get(PageKeys.headKey(prefix, url));
        return v instanceof String s ? Head.decode(s) : null;
    }

    /** The request's values of the head's {@code Vary} names, normalized. */
    public static List<String> varyValues(List<String> names, HttpFields request) {
        List<String> values = new ArrayList<>(names.size());
        for (String n : names) {
            values.add(HttpCachePolicy.normalizedValue(request, n));
        }
        return values;
    }

    /** The key of the variant of {@code url} under {@code head} for {@code request}. */
    public String variantKey(String url, Head head, HttpFields request) {
        return PageKeys.variantKey(prefix, url, head.generation(), head.varyNames(), varyValues(head.varyNames(), request));
    }

    /** The stored response for {@code request} to {@code url}, or null. */
    public StoredResponse lookup(String url, Head head, HttpFields request) {
        List<String> values = varyValues(head.varyNames(), request);
        Object v = cache.get(PageKeys.variantKey(prefix, url, head.generation(), head.varyNames(), values));
        StoredResponse r = v instanceof byte[] b ? StoredResponse.decode(b) : null;
        if (r == null || !r.url().equals(url) || !r.varyNames().equals(head.varyNames()) || !r.varyValues().equals(values)) {
            return null;
        }
        return r;
    }

    /** Stores {@code response} (its URL, {@code Vary} names and values) for {@code retentionMillis}. */
    public void store(StoredResponse response, long retentionMillis) {
        if (retentionMillis <= 0) {
            return;
        }
        String url = response.url();
        Head head = head(url);
        if (head == null || !head.varyNames().equals(response.varyNames())) {
            head = new Head(UUID.randomUUID().toString(), response.varyNames());
        }
        cache.set(PageKeys.headKey(prefix, url), head.encode(), Timeout.ofMillis(Math.max(HEAD_MIN_MILLIS, retentionMillis)));
        cache.set(PageKeys.variantKey(prefix, url, head.generation(), response.varyNames(), response.varyValues()),
                response.encode(), Timeout.ofMillis(retentionMillis));
    }

    /**
     * Takes the render lease of flight key {@code key} for {@code millis}, across every process
     * sharing the cache (an atomic {@code add}): its token, or null when another holds it.
     */
    public String lease(String key, long millis) {
        String token = UUID.randomUUID().toString();
        return cache.add(PageKeys.leaseKey(prefix, key), token, Timeout.ofMillis(Math.max(1, millis))) ? token : null;
    }

    /** True while someone holds the render lease of {@code key}. */
    public boolean leased(String key) {
        return cache.hasKey(PageKeys.leaseKey(prefix, key));
    }

    /**
     * Gives the lease {@code token} of {@code key} back, if it is still the one stored (a lease
     * that outlived its time may be another's by now; the check and the delete are two calls, so
     * in that narrow race the other render merely loses its lease early).
     */
    public void release(String key, String token) {
        String lease = PageKeys.leaseKey(prefix, key);
        if (token.equals(cache.get(lease))) {
            cache.delete(lease);
        }
    }

    /** Makes every stored response of {@code url} unreachable. */
    public void invalidate(String url) {
        cache.delete(PageKeys.headKey(prefix, url));
    }
}
