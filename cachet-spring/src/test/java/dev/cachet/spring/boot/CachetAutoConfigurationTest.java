package dev.cachet.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Caches;
import dev.cachet.metrics.MeteredCache;
import dev.cachet.spring.CachetCacheManager;
import dev.cachet.spring.CachetSpringCache;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real Boot application context: cachet's auto-configuration with Boot's own cache
 * auto-configuration (found by name, so this test runs on Boot 3 and on Boot 4, where it moved),
 * an {@code @EnableCaching} application and its {@code @Cacheable}, {@code @CachePut},
 * {@code @CacheEvict} and {@code sync = true} methods.
 */
class CachetAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CachetAutoConfiguration.class, CachetMetricsAutoConfiguration.class,
                    bootCacheAutoConfiguration()))
            .withUserConfiguration(App.class);

    static Class<?> bootCacheAutoConfiguration() {
        for (String name : List.of("org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration",
                "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                // the other Boot line
            }
        }
        throw new AssertionError("neither Boot 3's nor Boot 4's CacheAutoConfiguration is on the class path");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class App {
        @Bean
        BookService bookService() {
            return new BookService();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCacheManager {
        @Bean
        CacheManager myCacheManager() {
            return new ConcurrentMapCacheManager("books");
        }
    }

    @Test
    void cacheableCachePutCacheEvictOnCachet() {
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.books.max-entries=1000",
                "cachet.caches.slow.location=memory:").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(CacheManager.class)).isInstanceOf(CachetCacheManager.class);
                    BookService books = context.getBean(BookService.class);
                    dev.cachet.Cache nativeBooks = context.getBean(Caches.class).get("books");

                    assertThat(books.find("1")).isEqualTo("book 1");
                    assertThat(books.find("1")).isEqualTo("book 1");
                    assertThat(books.finds()).isEqualTo(1);
                    assertThat(nativeBooks.get("1")).isEqualTo("book 1");

                    books.update("1", "new title");
                    assertThat(books.find("1")).isEqualTo("new title");
                    assertThat(books.finds()).isEqualTo(1);

                    books.remove("1");
                    assertThat(nativeBooks.hasKey("1")).isFalse();
                    assertThat(books.find("1")).isEqualTo("book 1");
                    assertThat(books.finds()).isEqualTo(2);

                    assertThat(books.count(3)).isEqualTo(30);
                    assertThat(books.count(3)).isEqualTo(30); // an int from the cache, not a Long
                    assertThat(books.counts()).isEqualTo(1);

                    books.removeAll();
                    assertThat(nativeBooks.hasKey("1")).isFalse();
                    assertThat(books.find("1")).isEqualTo("book 1");
                    assertThat(books.finds()).isEqualTo(3);
                });
    }

    @Test
    void syncCacheableLoadsOnceForTenThreads() {
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.slow.location=memory:")
                .run(context -> {
                    BookService books = context.getBean(BookService.class);
                    CountDownLatch started = new CountDownLatch(10);
                    books.slowGate(started); // the load ends only once every caller has started
                    List<String> results = new CopyOnWriteArrayList<>();
                    CountDownLatch done = new CountDownLatch(10);
                    for (int i = 0; i < 10; i++) {
                        new Thread(() -> {
                            try {
                                started.countDown();
                                results.add(books.slow("k"));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } finally {
                                done.countDown();
                            }
                        }).start();
                    }
                    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(books.slowLoads()).isEqualTo(1);
                    assertThat(results).hasSize(10).containsOnly("loaded k #1");
                });
    }

    @Test
    void optionsAndFreshnessBindRelaxed() {
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.books.TIMEOUT=10m",
                "cachet.caches.books.fresh-for=1m", "cachet.caches.books.failSafeMax=1h",
                "cachet.caches.books.fail_safe_throttle=30s", "cachet.caches.books.eager-refresh=0.8",
                "cachet.caches.books.leases=false", "cachet.caches.slow.location=memory:").run(context -> {
                    CachetSpringCache books = (CachetSpringCache) context.getBean(CacheManager.class).getCache("books");
                    assertThat(books.freshness().freshFor()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(books.freshness().failSafeMax()).isEqualTo(Duration.ofHours(1));
                    assertThat(books.freshness().failSafeThrottle()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(books.freshness().eagerRefresh()).isEqualTo(0.8);
                    assertThat(books.freshness().leases()).isFalse();
                    assertThat(context.getBean(Caches.class).get("books").async()).isNotNull();
                });
    }

    @Test
    void environmentVariablesBindToo() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                new org.springframework.core.env.SystemEnvironmentPropertySource("test-systemEnvironment", java.util.Map.of(
                        "CACHET_CACHES_BOOKS_LOCATION", "memory:", "CACHET_CACHES_BOOKS_FRESH_FOR", "2m",
                        "CACHET_CACHES_BOOKS_MAX_ENTRIES", "50"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CachetSpringCache books = (CachetSpringCache) context.getBean(CacheManager.class).getCache("books");
                    assertThat(books.freshness().freshFor()).isEqualTo(Duration.ofMinutes(2));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnCaches {
        @Bean(destroyMethod = "close")
        Caches caches() {
            return Caches.builder().cache("books", "memory:").cache("slow", "memory:").build();
        }
    }

    @Test
    void theApplicationsOwnCachesGetTheManagerAndFreshnessAlone() {
        runner.withUserConfiguration(OwnCaches.class).withPropertyValues("cachet.caches.books.fresh-for=3m")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(Caches.class);
                    CacheManager manager = context.getBean(CacheManager.class);
                    assertThat(manager.getCacheNames()).containsExactly("books", "slow");
                    assertThat(((CachetSpringCache) manager.getCache("books")).freshness().freshFor())
                            .isEqualTo(Duration.ofMinutes(3));
                    assertThat(((CachetSpringCache) manager.getCache("slow")).freshness().freshFor()).isNull();
                    assertThat(((MeteredCache) manager.getCache("slow").getNativeCache()).backend()).isEqualTo("unknown");
                    BookService books = context.getBean(BookService.class);
                    books.find("1");
                    books.find("1");
                    assertThat(books.finds()).isEqualTo(1);
                });
    }

    @Test
    void badOptionsFailTheStartNamingThem() {
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.books.timeout=ten")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("books").hasMessageContaining("timeout").hasMessageContaining("ten"));
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.books.fresh-for=soon")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("books").hasMessageContaining("fresh_for").hasMessageContaining("soon"));
        runner.withPropertyValues("cachet.caches.books.timeout=10m")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("cachet.caches.books.location"));
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.books.fail-safe-max=1h")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("fail_safe_throttle"));
    }

    @Test
    void stepsAsideForTheApplicationsCacheManager() {
        runner.withUserConfiguration(OwnCacheManager.class).withPropertyValues("cachet.caches.books.location=memory:")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(CacheManager.class).isInstanceOf(ConcurrentMapCacheManager.class);
                    assertThat(context).doesNotHaveBean(CachetCacheManager.class);
                });
    }

    @Test
    void stepsAsideForSpringCacheType() {
        runner.withPropertyValues("spring.cache.type=simple", "cachet.caches.books.location=memory:").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(CacheManager.class).isInstanceOf(ConcurrentMapCacheManager.class);
            assertThat(context).doesNotHaveBean(Caches.class);
        });
    }

    @Test
    void withoutCachetCachesBootKeepsItsDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CachetCacheManager.class);
            // Boot's own choice: simple on Boot 3 here, Caffeine on Boot 4 (its cache module brings
            // spring-context-support, and cachet-core brings Caffeine)
            assertThat(context).hasSingleBean(CacheManager.class);
        });
    }

    @Test
    void cachesAreMeteredWhenCachetMetricsIsPresent() {
        runner.withPropertyValues("cachet.caches.books.location=memory:", "cachet.caches.slow.location=memory:")
                .run(context -> {
                    assertThat(context.getBean(CacheManager.class).getCache("books").getNativeCache())
                            .isInstanceOf(MeteredCache.class);
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry));
                    BookService books = context.getBean(BookService.class);
                    books.find("1");
                    books.find("1");
                    assertThat(registry.get("cache.gets").tag("cache", "books").tag("result", "hit").functionCounter().count())
                            .isEqualTo(1);
                    assertThat(registry.get("cache.gets").tag("cache", "books").tag("result", "miss").functionCounter().count())
                            .isEqualTo(1);
                    assertThat(registry.get("cache.puts").tag("cache", "books").tag("cache.manager", "cacheManager")
                            .functionCounter().count()).isEqualTo(1);
                });
    }
}
