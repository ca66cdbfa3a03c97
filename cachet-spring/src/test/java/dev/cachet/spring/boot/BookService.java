package dev.cachet.spring.boot;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/** An application's service whose methods Spring caches: counts how often each really runs. */
public class BookService {
    private final AtomicInteger finds = new AtomicInteger();
    private final AtomicInteger counts = new AtomicInteger();
    private final AtomicInteger slowLoads = new AtomicInteger();
    private volatile CountDownLatch slowGate = new CountDownLatch(0);

    // read through methods: the bean the test holds is Spring's proxy, whose fields are its own

    public int finds() {
        return finds.get();
    }

    public int counts() {
        return counts.get();
    }

    public int slowLoads() {
        return slowLoads.get();
    }

    /** The slow method's load waits until {@code gate} opens (bounded). */
    public void slowGate(CountDownLatch gate) {
        this.slowGate = gate;
    }

    @Cacheable("books")
    public String find(String isbn) {
        finds.incrementAndGet();
        return "book " + isbn;
    }

    @Cacheable(cacheNames = "books", key = "'count:' + #p0")
    public int count(int shelf) {
        counts.incrementAndGet();
        return shelf * 10;
    }

    @CachePut(cacheNames = "books", key = "#p0")
    public String update(String isbn, String title) {
        return title;
    }

    @CacheEvict(cacheNames = "books", key = "#p0")
    public void remove(String isbn) {
    }

    @CacheEvict(cacheNames = "books", allEntries = true)
    public void removeAll() {
    }

    @Cacheable(cacheNames = "slow", sync = true)
    public String slow(String key) throws InterruptedException {
        slowGate.await(10, TimeUnit.SECONDS);
        return "loaded " + key + " #" + slowLoads.incrementAndGet();
    }
}
