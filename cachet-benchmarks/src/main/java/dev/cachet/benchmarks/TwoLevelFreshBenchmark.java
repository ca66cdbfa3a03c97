package dev.cachet.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.Freshness;
import dev.cachet.Namespace;
import dev.cachet.TwoLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The demo's hot read on a two-level cache: a page of 100 ranked links (a list of 100 maps of
 * url, title and score) in the reader's namespace ({@code user:ada}, key {@code links:page:1}),
 * with the shared level a SQLite file ({@code sqlite}) or local memory ({@code memory}), on the
 * in-process backplane (1 s bound, 1-minute local timeout). Every read is a hit (checked at
 * setup and after the run).
 *
 * <ul>
 *   <li>{@code twoLevelFreshGetOrSet}: {@code getOrSet(key, Object.class, loader, freshness)}
 *       with {@code timeout(1d).freshFor(1h)}, the fresh-data pipeline;</li>
 *   <li>{@code twoLevelGet}: a plain {@code get} of the same key;</li>
 *   <li>{@code sharedFreshGetOrSet}: the same {@code getOrSet} on the shared cache alone (one level);</li>
 *   <li>{@code caffeineGet}: raw Caffeine, {@code maximumSize(10_000).expireAfterWrite(1m)},
 *       {@code getIfPresent} of one key.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class TwoLevelFreshBenchmark {
    static final String KEY = "links:page:1";

    @Param({"sqlite", "memory"})
    public String shared;

    Path dir;
    Object page;
    Supplier<Object> loader;
    Freshness freshness;
    Cache sharedCache;
    Cache twoLevel;
    Namespace reader;
    Cache alone;
    Namespace aloneReader;
    com.github.benmanes.caffeine.cache.Cache<String, Object> caffeine;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("cachet-two-level-fresh");
        page = page();
        loader = () -> page;
        freshness = Freshness.builder().timeout(Duration.ofDays(1)).freshFor(Duration.ofHours(1)).build();
        sharedCache = open("shared");
        twoLevel = TwoLevel.over(sharedCache).backplane("memory:?channel=bench-fresh").localMaxEntries(10_000)
                .localTimeout(Duration.ofMinutes(1)).stalenessBound(Duration.ofSeconds(1)).build();
        reader = twoLevel.namespace("user:ada");
        alone = open("alone");
        aloneReader = alone.namespace("user:ada");
        caffeine = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(1)).build();
        caffeine.put(KEY, page);
        reader.getOrSet(KEY, Object.class, loader, freshness);
        aloneReader.getOrSet(KEY, Object.class, loader, freshness);
        check("setup");
    }

    private Cache open(String name) {
        if (shared.equals("sqlite")) {
            return Caches.open(CacheConfig.builder("jdbc:sqlite:" + dir.resolve(name + ".db"))
                    .option("create_table", "true").option("timeout", "86400").build());
        }
        return Caches.open("memory:?max_entries=10000&timeout=86400");
    }

    private void check(String when) {
        Supplier<Object> miss = () -> {
            throw new IllegalStateException(when + ": a load, not a hit");
        };
        if (!page.equals(reader.getOrSet(KEY, Object.class, miss, freshness)) || !page.equals(reader.get(KEY))
                || !page.equals(aloneReader.getOrSet(KEY, Object.class, miss, freshness))
                || !page.equals(caffeine.getIfPresent(KEY))) {
            throw new IllegalStateException(when + ": not a hit");
        }
    }

    /** 100 links, each a map of url, title and score. */
    static Object page() {
        List<Map<String, Object>> links = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("url", "https://example.org/feed/" + (i % 7) + "/entry/" + i);
            link.put("title", "Entry " + i + " of a feed about caching and ranking");
            link.put("score", 1.0 / (i + 1));
            links.add(link);
        }
        return links;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            check("after the run");
        } finally {
            twoLevel.close();
            alone.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    @Benchmark
    public Object twoLevelFreshGetOrSet() {
        return reader.getOrSet(KEY, Object.class, loader, freshness);
    }

    @Benchmark
    public Object twoLevelGet() {
        return reader.get(KEY);
    }

    @Benchmark
    public Object sharedFreshGetOrSet() {
        return aloneReader.getOrSet(KEY, Object.class, loader, freshness);
    }

    @Benchmark
    public Object caffeineGet() {
        return caffeine.getIfPresent(KEY);
    }
}
