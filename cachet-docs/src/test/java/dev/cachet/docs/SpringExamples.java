package dev.cachet.docs;

import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.docs.SpringExamples.Book;
import dev.cachet.docs.SpringExamples.BookRepository;
import dev.cachet.metrics.CachetCacheMetrics;
import dev.cachet.metrics.MeteredCache;
import dev.cachet.spring.CachetCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Service;

/**
 * The ```java blocks of README.md's "Spring, Spring Boot and Micrometer" section, verbatim,
 * compiled by the build (see {@link ReadmeExamplesTest}): the application classes follow this
 * one at the top level, as the README shows them; {@code Book} and
 * {@code BookRepository} are the README's placeholders, nested here.
 */
final class SpringExamples {
    static MeterRegistry registry = new SimpleMeterRegistry();

    private SpringExamples() {
    }

    static MeteredCache micrometerWithoutSpring() {
        MeteredCache books = new MeteredCache(Caches.open("memory:?max_entries=10000"), "memory");
        new CachetCacheMetrics(books, "books", Tags.of("app", "shop")).bindTo(registry);
        books.set("isbn:1", "Dune");          // counted: cache.puts, cache.latency{operation=put}
        return books;
    }

    // ---- placeholders ----

    record Book(String isbn, String title) implements Serializable { }

    static class BookRepository {
        Book load(String isbn) {
            return new Book(isbn, "title");
        }

        Book save(Book book) {
            return book;
        }

        void delete(String isbn) {
        }
    }
}

@SpringBootApplication
@EnableCaching
class ShopApplication {
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}

@Service
class BookService {
    private final BookRepository repository;

    BookService(BookRepository repository) { this.repository = repository; }

    @Cacheable(cacheNames = "books", sync = true)        // key: the isbn; a miss runs the method once
    public Book find(String isbn) { return repository.load(isbn); }   // per isbn, in the whole cluster

    @CachePut(cacheNames = "books", key = "#book.isbn()")
    public Book save(Book book) { return repository.save(book); }

    @CacheEvict("books")
    public void remove(String isbn) { repository.delete(isbn); }
}

@Configuration
@EnableCaching
class ShopCacheConfiguration {
    @Bean(destroyMethod = "close")
    Caches caches() {
        return Caches.builder().cache("books", "memory:", Map.of("max_entries", 10_000)).build();
    }

    @Bean
    CacheManager cacheManager(Caches caches) {
        return CachetCacheManager.of(caches, name -> Freshness.freshFor(Duration.ofMinutes(5)), true);
    }
}
