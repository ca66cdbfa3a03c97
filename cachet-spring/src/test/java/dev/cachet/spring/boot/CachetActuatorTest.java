package dev.cachet.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A whole Boot web application with the actuator (every auto-configuration on the class path,
 * as {@code @SpringBootApplication} has it), serving on a loopback port: after two calls of a
 * {@code @Cacheable} method, {@code /actuator/caches} lists the cachet caches and
 * {@code /actuator/metrics} shows their meters with the counts, over real HTTP. The JSON is
 * read as text, so the test runs the same on Boot 3 (Jackson 2) and Boot 4 (Jackson 3).
 */
class CachetActuatorTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableCaching
    static class WebApp {
        @Bean
        BookService bookService() {
            return new BookService();
        }
    }

    @Test
    void actuatorShowsTheCachesAndTheirMeters() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebApp.class).properties(
                "server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
                "management.endpoints.web.exposure.include=caches,metrics",
                "cachet.caches.books.location=memory:", "cachet.caches.books.max-entries=1000",
                "cachet.caches.slow.location=memory:").run()) {
            BookService books = context.getBean(BookService.class);
            books.find("1");
            books.find("1");
            String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            String caches = get(http, base + "/actuator/caches");
            assertThat(caches).contains("\"cacheManager\"").contains("\"books\"").contains("\"slow\"")
                    .contains("dev.cachet.metrics.MeteredCache");

            String names = get(http, base + "/actuator/metrics");
            assertThat(names).contains("\"cache.gets\"", "\"cache.puts\"", "\"cache.evictions\"", "\"cache.loads\"",
                    "\"cache.stale.served\"", "\"cache.lease.waits\"", "\"cache.errors\"", "\"cache.latency\"");

            assertThat(get(http, base + "/actuator/metrics/cache.gets?tag=cache:books&tag=result:hit"))
                    .containsPattern("\"value\"\\s*:\\s*1\\.0");
            assertThat(get(http, base + "/actuator/metrics/cache.gets?tag=cache:books&tag=result:miss"))
                    .containsPattern("\"value\"\\s*:\\s*1\\.0");
            assertThat(get(http, base + "/actuator/metrics/cache.puts?tag=cache:books"))
                    .containsPattern("\"value\"\\s*:\\s*1\\.0");
            assertThat(get(http, base + "/actuator/metrics/cache.latency?tag=cache:books&tag=operation:get"))
                    .containsPattern("\"statistic\"\\s*:\\s*\"COUNT\"\\s*,\\s*\"value\"\\s*:\\s*2\\.0");
        }
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " answered " + r.body()).isEqualTo(200);
        return r.body();
    }
}
