package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cachet.CacheConfig;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The written invariants of the {@link Store} SPI, checked on a real store: the contract every
 * backend's byte store honours below the core (the {@code Cache} contract, {@link
 * CacheContractTest}, checks the semantics above it). Values are opaque bytes and keys any safe
 * Unicode; expiry is checked at read (from its deadline on, an entry is expired: a deadline at
 * or before now is past), {@code ADD} is atomic, {@code incr} keeps the deadline and refuses
 * what it cannot represent, a value is stored whole or not at all, {@code clear} removes
 * exactly its {@link KeyScope}, and a bulk call that fails for some keys says which
 * ({@link PartialFailureException}).
 *
 * <h2>Writing a backend's test</h2>
 * Extend it and give {@link #location()}; stores are opened with {@link Stores#open}. Hooks:
 * {@link #clock()} (return {@link #testClock} when the store honours
 * {@link CacheConfig#clock()}: expiry tests then move it; otherwise they wait out real
 * deadlines of {@link #shortTtl()}), {@link #openStore} (e.g. to hand every cache of a test the
 * same store, where stores of one location do not share storage), and {@link #unwritableKey}
 * (a key whose write the backend can be made to fail, for the partial-failure test).
 *
 * <p>Every test writes under its own key prefix, except {@link #clearRemovesExactlyItsScope},
 * which ends by clearing {@link KeyScope#everything()}: the whole store at the location.
 *
 * <h2>How the suite is laid out</h2>
 * The hooks and the per-test fixture are in {@link StoreContractFixture}; the tests of
 * {@link Store#deleteIfEquals} (the release of a lease) are in {@link CompareAndDeleteContract},
 * the others here. They form one inheritance chain, fixture, then feature, then this class, so
 * that a backend's test class inherits every test as its own (as {@link CacheContractTest}'s
 * chain does). A new feature with several tests is a new link in the chain.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class StoreContractTest extends CompareAndDeleteContract {
    // ---- basics ----

    @Test
    void putModesAndReads() {
        assertThat(store.put(k("a"), b("1"), farDeadline(), PutMode.SET)).isTrue();
        assertThat(s(store.get(k("a")))).isEqualTo("1");
        assertThat(store.has(k("a"))).isTrue();
        assertThat(store.put(k("a"), b("2"), farDeadline(), PutMode.ADD)).isFalse();
        assertThat(s(store.get(k("a")))).isEqualTo("1");
        assertThat(store.put(k("b"), b("2"), farDeadline(), PutMode.REPLACE)).isFalse();
        assertThat(store.get(k("b"))).isNull();
        assertThat(store.put(k("a"), b("3"), farDeadline(), PutMode.REPLACE)).isTrue();
        assertThat(s(store.get(k("a")))).isEqualTo("3");
        assertThat(store.put(k("b"), b("4"), farDeadline(), PutMode.ADD)).isTrue();
        assertThat(store.delete(k("a"))).isTrue();
        assertThat(store.delete(k("a"))).isFalse();
        assertThat(store.get(k("a"))).isNull();
        assertThat(store.has(k("a"))).isFalse();
        // a write that changes nothing still finds the entry (MariaDB reports no row changed)
        long d = farDeadline();
        assertThat(store.put(k("same"), b("v"), d, PutMode.SET)).isTrue();
        assertThat(store.put(k("same"), b("v"), d, PutMode.REPLACE)).as("the same bytes and deadline again").isTrue();
        assertThat(store.touch(k("same"), d)).as("the same deadline again").isTrue();
        assertThat(s(store.get(k("same")))).isEqualTo("v");
    }

    /**
     * Any bytes, not only text. Never empty: the core never writes an empty value, and memcached
     * reads an empty item as a lease's placeholder, a miss.
     */
    @Test
    void valuesAreOpaqueBytesAndKeysMayHoldAnyUnicode() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        byte[] large = new byte[(int) Math.min(store.capabilities().maxItemBytes(), 1024 * 1024 + 3)];
        new Random(42).nextBytes(large);
        String unicode = k("ключ-\u00e9-\uD83D\uDE00");
        long d = farDeadline();
        assertThat(store.put(k("all-bytes"), all, d, PutMode.SET)).isTrue();
        assertThat(store.put(k("large"), large, d, PutMode.SET)).isTrue();
        assertThat(store.put(unicode, b("unicode key"), d, PutMode.SET)).isTrue();

        assertThat(store.get(k("all-bytes"))).isEqualTo(all);
        assertThat(store.get(k("large"))).isEqualTo(large);
        assertThat(s(store.get(unicode))).isEqualTo("unicode key");
        Map<String, byte[]> many = store.getMany(List.of(k("all-bytes"), unicode));
        assertThat(many).containsOnlyKeys(k("all-bytes"), unicode);
        assertThat(many.get(k("all-bytes"))).isEqualTo(all);
        assertThat(store.touchAndLength(k("large"), d)).isEqualTo(large.length);

        assertThat(store.put(k("all-bytes"), b("overwritten"), d, PutMode.SET)).isTrue();
        assertThat(s(store.get(k("all-bytes")))).isEqualTo("overwritten");
    }

    @Test
    void bulkCallsReadWriteAndCount() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            entries.put(k("m" + i), b("v" + i));
        }
        assertThat(store.putMany(entries, farDeadline())).isEmpty();
        List<String> asked = new ArrayList<>(entries.keySet());
        asked.add(k("absent"));
        Map<String, byte[]> found = store.getMany(asked);
        assertThat(found).hasSize(20).doesNotContainKey(k("absent"));
        assertThat(s(found.get(k("m7")))).isEqualTo("v7");
        assertThat(store.deleteMany(List.of(k("m1"), k("m2"), k("absent")))).isEqualTo(2);
        assertThat(store.getMany(List.of(k("m1"), k("m3")))).containsOnlyKeys(k("m3"));
        // calls on no keys
        assertThat(store.getMany(List.of())).isEmpty();
        assertThat(store.putMany(Map.of(), farDeadline())).isEmpty();
        assertThat(store.deleteMany(List.of())).isZero();
    }

    @Test
    void capabilitiesAreConstantAndSane() {
        assertThat(store.capabilities()).isEqualTo(store.capabilities());
        assertThat(store.capabilities().maxItemBytes()).isGreaterThanOrEqualTo(1024);
        assertThat(store.leases().isPresent()).isEqualTo(store.capabilities().leases());
    }

    // ---- expiry at read ----

    @Test
    void anEntryPastItsDeadlineIsAbsentToEveryOperation() throws Exception {
        // an entry per operation, so that each meets one no other operation has read (a read may remove it)
        List<String> keys = new ArrayList<>();
        for (String op : List.of("get", "has", "many1", "many2", "touch", "tal", "incr", "replace", "delete", "deleteMany",
                "add")) {
            keys.add(k(op));
        }
        long deadline = shortDeadline();
        for (String key : keys) {
            store.put(key, b("7"), deadline, PutMode.SET);
        }
        assertThat(store.getMany(keys)).hasSize(keys.size());
        passDeadline(deadline);
        assertThat(store.get(k("get"))).isNull();
        assertThat(store.has(k("has"))).isFalse();
        assertThat(store.getMany(List.of(k("many1"), k("many2")))).isEmpty();
        assertThat(store.touch(k("touch"), farDeadline())).isFalse();
        assertThat(store.touchAndLength(k("tal"), farDeadline())).isEqualTo(-1);
        assertThat(store.incr(k("incr"), 1)).isNull();
        assertThat(store.put(k("replace"), b("9"), farDeadline(), PutMode.REPLACE)).isFalse();
        assertThat(store.delete(k("delete"))).isFalse();
        assertThat(store.deleteMany(List.of(k("deleteMany"), k("absent")))).as("expired entries are not counted").isZero();
        assertThat(store.put(k("add"), b("new"), farDeadline(), PutMode.ADD)).isTrue();
        assertThat(s(store.get(k("add")))).isEqualTo("new");
        assertThat(store.getMany(List.of(k("touch"), k("tal"), k("incr"), k("replace"))))
                .as("what an operation refused stays expired").isEmpty();
    }

    @Test
    void touchMovesTheDeadline() throws Exception {
        long deadline = shortDeadline();
        long far = farDeadline();
        store.put(k("t"), b("x"), deadline, PutMode.SET);
        store.put(k("l"), b("xyz"), deadline, PutMode.SET);
        assertThat(store.touch(k("t"), far)).isTrue();
        assertThat(store.touchAndLength(k("l"), far)).isEqualTo(3);
        assertThat(store.touchAndLength(k("l"), far)).as("the same deadline again").isEqualTo(3);
        assertThat(store.touch(k("missing"), far)).isFalse();
        assertThat(store.touchAndLength(k("missing"), far)).isEqualTo(-1);
        assertThat(store.has(k("missing"))).isFalse();
        passDeadline(deadline);
        assertThat(s(store.get(k("t")))).isEqualTo("x");
        assertThat(s(store.get(k("l")))).isEqualTo("xyz");
        long sooner = shortDeadline();
        assertThat(store.touchAndLength(k("t"), sooner)).isEqualTo(1);
        passDeadline(sooner);
        assertThat(store.get(k("t"))).isNull();
    }

    @Test
    void anEntryWithoutADeadlineNeverExpires() throws Exception {
        store.put(k("forever"), b("f"), Store.NEVER, PutMode.SET);
        long deadline = shortDeadline();
        store.put(k("touched"), b("t"), deadline, PutMode.SET);
        assertThat(store.touch(k("touched"), Store.NEVER)).isTrue();
        assertThat(store.touch(k("touched"), Store.NEVER)).as("already without a deadline").isTrue();
        passDeadline(deadline);
        assertThat(s(store.get(k("touched")))).isEqualTo("t");
        if (clock() != null) {
            clock().advance(Duration.ofDays(365 * 100));
        }
        assertThat(s(store.get(k("forever")))).isEqualTo("f");
        assertThat(s(store.get(k("touched")))).isEqualTo("t");
    }

    // ---- incr ----

    @Test
    void incrIsDecimalAndKeepsTheDeadline() throws Exception {
        long deadline = shortDeadline();
        store.put(k("n"), b("41"), deadline, PutMode.SET);
        assertThat(store.incr(k("n"), 1)).isEqualTo(42L);
        assertThat(store.incr(k("n"), -50)).isEqualTo(-8L);
        assertThat(s(store.get(k("n")))).isEqualTo("-8");
        assertThat(store.incr(k("missing"), 1)).isNull();
        store.put(k("text"), b("forty"), farDeadline(), PutMode.SET);
        assertThatThrownBy(() -> store.incr(k("text"), 1)).isInstanceOf(NotAnIntegerException.class);
        assertThat(s(store.get(k("text")))).isEqualTo("forty");
        passDeadline(deadline);
        assertThat(store.get(k("n"))).isNull();
        assertThat(store.incr(k("n"), 1)).isNull();
    }

    @Test
    void incrThatWouldOverflowThrowsAndLeavesTheValue() {
        String max = Long.toString(Long.MAX_VALUE);
        String min = Long.toString(Long.MIN_VALUE);
        store.put(k("max"), b(max), farDeadline(), PutMode.SET);
        assertThatThrownBy(() -> store.incr(k("max"), 1)).isInstanceOf(ArithmeticException.class);
        assertThat(s(store.get(k("max")))).isEqualTo(max);
        store.put(k("min"), b(min), farDeadline(), PutMode.SET);
        assertThatThrownBy(() -> store.incr(k("min"), -1)).isInstanceOf(ArithmeticException.class);
        assertThat(s(store.get(k("min")))).isEqualTo(min);
        assertThat(store.incr(k("min"), 0)).isEqualTo(Long.MIN_VALUE);
    }

    // ---- atomicity ----

    @Test
    void amongConcurrentAddsOfOneKeyExactlyOneWins() throws Exception {
        int threads = 8;
        int rounds = 50;
        // every other key holds an entry past its deadline, which the adds race to take over
        long deadline = shortDeadline();
        for (int r = 1; r < rounds; r += 2) {
            store.put(k("add" + r), b("stale"), deadline, PutMode.SET);
        }
        passDeadline(deadline);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int r = 0; r < rounds; r++) {
                String key = k("add" + r);
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    byte[] mine = b("writer" + t);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.put(key, mine, farDeadline(), PutMode.ADD);
                    }));
                }
                int wins = 0;
                int winner = -1;
                for (int t = 0; t < threads; t++) {
                    if (results.get(t).get()) {
                        wins++;
                        winner = t;
                    }
                }
                assertThat(wins).as("adds of %s that won", key).isEqualTo(1);
                assertThat(s(store.get(key))).as("the value of %s", key).isEqualTo("writer" + winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentIncrsAreNeverLost() throws Exception {
        store.put(k("counter"), b("0"), farDeadline(), PutMode.SET);
        int threads = 8;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        assertThat(store.incr(k("counter"), 1)).isNotNull();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s(store.get(k("counter")))).isEqualTo(Integer.toString(threads * each));
    }

    @Test
    void aValueIsReadWholeOrNotAtAll() throws Exception {
        int size = (int) Math.min(store.capabilities().maxItemBytes(), 256 * 1024);
        byte[] a = new byte[size];
        byte[] bb = new byte[size - 1000];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(bb, (byte) 'b');
        String key = k("whole");
        store.put(key, a, farDeadline(), PutMode.SET);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 150; i++) {
                    store.put(key, i % 2 == 0 ? bb : a, farDeadline(), PutMode.SET);
                }
                writing.set(false);
            });
            Callable<Void> read = () -> {
                while (writing.get() || reads.get() < 10) {
                    byte[] v = store.get(key);
                    assertThat(v).isNotNull();
                    byte first = v[0];
                    assertThat(v.length).isEqualTo(first == 'a' ? a.length : bb.length);
                    for (byte x : v) {
                        if (x != first) {
                            throw new AssertionError("a read mixed two writes");
                        }
                    }
                    reads.incrementAndGet();
                }
                return null;
            };
            List<Future<Void>> readers = List.of(pool.submit(read), pool.submit(read));
            writer.get();
            for (Future<Void> r : readers) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads.get()).isGreaterThanOrEqualTo(10);
        assertThat(store.get(key)).as("the last write").isEqualTo(a);
    }

    // ---- clear ----

    @Test
    void clearRemovesExactlyItsScope() {
        String hash = "~" + "A".repeat(KeyScope.HASH_CHARS);
        String pa = prefix + "a";
        Store a = open(pa, o -> { });
        Store other = open(prefix + "b", o -> { });
        Store longer = open(pa + ":x", o -> { });
        Store custom = open("", o -> o.keyFunction((key, p, v) -> "custom/" + key));
        long d = farDeadline();
        a.put(pa + ":1:k", b("a1"), d, PutMode.SET);
        a.put(pa + ":2:k", b("a2"), d, PutMode.SET);
        a.put(pa + ":-3:k", b("a-3"), d, PutMode.SET);
        a.put(pa + ":" + hash, b("ah"), d, PutMode.SET);
        other.put(prefix + "b:1:k", b("b1"), d, PutMode.SET);
        longer.put(pa + ":x:1:k", b("ax"), d, PutMode.SET);
        custom.put("custom/" + prefix, b("c"), d, PutMode.SET);

        a.clear(KeyScope.ofPrefix(pa));
        assertThat(a.getMany(List.of(pa + ":1:k", pa + ":2:k", pa + ":-3:k", pa + ":" + hash))).isEmpty();
        assertThat(s(other.get(prefix + "b:1:k"))).isEqualTo("b1");
        assertThat(s(longer.get(pa + ":x:1:k"))).isEqualTo("ax");
        assertThat(s(custom.get("custom/" + prefix))).isEqualTo("c");

        custom.clear(KeyScope.everything());
        assertThat(other.get(prefix + "b:1:k")).isNull();
        assertThat(longer.get(pa + ":x:1:k")).isNull();
        assertThat(custom.get("custom/" + prefix)).isNull();
        assertThat(a.put(pa + ":1:k", b("again"), d, PutMode.ADD)).isTrue();
    }

    @Test
    void anyStoreOnTheLocationClearsAnotherPrefixsScope() {
        Store mine = open(prefix + "m", o -> { });
        Store theirs = open(prefix + "t", o -> { });
        long d = farDeadline();
        mine.put(prefix + "m:1:k", b("mine"), d, PutMode.SET);
        theirs.put(prefix + "t:1:k", b("theirs"), d, PutMode.SET);
        mine.clear(KeyScope.ofPrefix(prefix + "t"));
        assertThat(theirs.get(prefix + "t:1:k")).isNull();
        assertThat(s(mine.get(prefix + "m:1:k"))).isEqualTo("mine");
    }

    // ---- partial failures ----

    @Test
    void aBulkWriteThatFailsForSomeKeysSaysWhichAndStoresTheRest() throws Exception {
        String bad = unwritableKey(store, prefix);
        assumeTrue(bad != null, "this backend cannot be made to fail one key alone");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(k("good1"), b("1"));
        entries.put(bad, b("2"));
        entries.put(k("good2"), b("3"));
        Throwable t = catchThrowable(() -> store.putMany(entries, farDeadline()));
        assertThat(t).isInstanceOf(PartialFailureException.class);
        assertThat(((PartialFailureException) t).failedKeys()).isEqualTo(Set.of(bad));
        assertThat(store.getMany(List.of(k("good1"), k("good2")))).hasSize(2);
    }
}
