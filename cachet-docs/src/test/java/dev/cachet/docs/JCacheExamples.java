package dev.cachet.docs;

import java.io.Serializable;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;

/**
 * The ```java blocks of README.md's "JCache (JSR-107)" section, verbatim (see
 * {@link ReadmeExamples} for the rule); {@link JCacheExamplesTest} runs the one that needs no
 * server.
 */
final class JCacheExamples {

    /** Runs on local memory; returns the stock left, which the README's comment promises. */
    static int plainJCache() {
        CachingProvider provider = Caching.getCachingProvider();   // cachet's, found by the service loader
        CacheManager manager = provider.getCacheManager();          // cachet:memory:
        MutableConfiguration<String, Integer> config = new MutableConfiguration<String, Integer>()
                .setTypes(String.class, Integer.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MINUTES, 10)))
                .setStatisticsEnabled(true);
        Cache<String, Integer> stock = manager.createCache("stock", config);
        stock.put("apples", 12);
        stock.invoke("apples", (entry, args) -> {                  // atomic per key in this process
            entry.setValue(entry.getValue() - 1);
            return null;
        });
        int left = stock.get("apples");                             // 11
        dev.cachet.Cache cachet = stock.unwrap(dev.cachet.Cache.class);   // the cachet cache below
        manager.destroyCache("stock");
        return left;
    }

    /** Compiled, not run: it needs Redis at 127.0.0.1:6379. */
    static void onRedis() {
        CachingProvider provider = Caching.getCachingProvider();
        Properties props = new Properties();
        props.setProperty("cachet.codec_allow", "com.example.model.**");   // your classes, for the codec
        CacheManager shared = provider.getCacheManager(
                URI.create("redis://127.0.0.1:6379/0"), provider.getDefaultClassLoader(), props);
        Cache<String, Order> orders = shared.createCache("orders",
                new MutableConfiguration<String, Order>().setTypes(String.class, Order.class));
    }

    /** A placeholder for the README's application class. */
    record Order(String id) implements Serializable {
    }

    private JCacheExamples() {
    }
}
