package dev.cachet.internal.entry;

import dev.cachet.internal.FailureLog;
import dev.cachet.internal.KeyPolicy;
import dev.cachet.internal.memory.MemoryStores;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.Lookup;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Chunking of values above the item limit, on the by-value local-memory store. */
class ChunkingTest {
    private static final int LIMIT = 1024;
    private final Store store = MemoryStores.byValue(Clock.systemUTC(), 1_000_000, 0, LIMIT);
    private final KeyPolicy keys = new KeyPolicy("t", "", null, false);
    private final FailureLog log = new FailureLog("t");
    private final EncodedEntryStore entries =
            new EncodedEntryStore(store, new EntryFormat(new JavaSerializationCodec(List.of()), false, 0, 1), keys, log);

    @AfterEach
    void close() {
        entries.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Set<String> pieceKeys() {
        Set<String> all = new HashSet<>(store.getMany(allKeys()).keySet());
        all.remove("big");
        return all;
    }

    private List<String> allKeys() {
        // the store has no key listing; ask Caffeine through a getMany over what the test wrote
        return new ArrayList<>(storeMapKeys());
    }

    private Set<String> storeMapKeys() {
        try {
            var f = store.getClass().getDeclaredField("map");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<String, ?> m = (Map<String, ?>) f.get(store);
            return new HashSet<>(m.keySet());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void largeValueIsSplitBelowTheLimitAndRoundTrips() {
        byte[] value = random(10 * LIMIT + 17, 1);
        assertThat(entries.put("big", value, Store.NEVER, PutMode.SET)).isTrue();
        assertThat(store.get("big")).hasSize(EntryFormat.HEADER + EntryFormat.MANIFEST_PAYLOAD);
        Set<String> pieces = pieceKeys();
        assertThat(pieces).hasSize(11);
        for (String k : pieces) {
            assertThat(store.get(k).length).isLessThanOrEqualTo(LIMIT);
        }
        assertThat((byte[]) entries.get("big").value()).isEqualTo(value);
        assertThat((byte[]) entries.getMany(List.of("big", "none")).get("big")).isEqualTo(value);
    }

    @Test
    void missingPieceIsAMissNotAnError() {
        entries.put("big", random(5 * LIMIT, 2), Store.NEVER, PutMode.SET);
        String victim = pieceKeys().iterator().next();
        store.delete(victim);
        assertThat(entries.get("big")).isEqualTo(Lookup.miss());
        assertThat(store.get("big")).as("dangling manifest removed").isNull();
    }

    @Test
    void corruptedPieceIsAMissAndIsLogged() {
        entries.put("big", random(5 * LIMIT, 3), Store.NEVER, PutMode.SET);
        String victim = pieceKeys().iterator().next();
        byte[] p = store.get(victim).clone();
        p[p.length - 1] ^= 1;
        store.put(victim, p, Store.NEVER, PutMode.SET);
        long before = log.decodeFailures();
        assertThat(entries.get("big").isMiss()).isTrue();
        assertThat(log.decodeFailures()).isEqualTo(before + 1);
    }

    @Test
    void pieceFromAnotherWriteIsRejected() {
        entries.put("big", random(3 * LIMIT, 4), Store.NEVER, PutMode.SET);
        String victim = pieceKeys().iterator().next();
        byte[] p = store.get(victim).clone();
        ByteBuffer.wrap(p).putLong(EntryFormat.HEADER, 12345L); // another write's token
        store.put(victim, p, Store.NEVER, PutMode.SET);
        assertThat(entries.get("big").isMiss()).isTrue();
    }

    @Test
    void overwriteRemovesOldPiecesAndAddNeverTouchesTheWinner() {
        byte[] first = random(4 * LIMIT, 5);
        byte[] second = random(3 * LIMIT, 6);
        entries.put("big", first, Store.NEVER, PutMode.SET);
        Set<String> old = pieceKeys();
        entries.put("big", second, Store.NEVER, PutMode.SET);
        Set<String> now = pieceKeys();
        assertThat(now).doesNotContainAnyElementsOf(old).hasSize(4);
        assertThat(entries.put("big", random(4 * LIMIT, 7), Store.NEVER, PutMode.ADD)).isFalse();
        assertThat((byte[]) entries.get("big").value()).isEqualTo(second);
        assertThat(pieceKeys()).isEqualTo(now);
    }

    @Test
    void chunkedIncrIsNotAnInteger() {
        entries.put("big", random(2 * LIMIT, 8), Store.NEVER, PutMode.SET);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> entries.incr("big", 1))
                .isInstanceOf(dev.cachet.NotAnIntegerException.class);
    }

    @Test
    void concurrentWritersAndReadersNeverSeeAMixedValue() throws Exception {
        byte[][] values = {random(6 * LIMIT, 10), random(6 * LIMIT, 11), random(9 * LIMIT, 12)};
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean stop = new AtomicBoolean();
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int id = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        entries.put("big", values[(i + id) % values.length], Store.NEVER, PutMode.SET);
                    }
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (!stop.get()) {
                        Lookup<Object> l = entries.get("big");
                        if (l.isHit()) {
                            byte[] b = (byte[]) l.value();
                            int match = -1;
                            for (int i = 0; i < values.length; i++) {
                                if (Arrays.equals(b, values[i])) {
                                    match = i;
                                }
                            }
                            assertThat(match).as("a read returned a value nobody wrote").isNotNegative();
                            seen.add(match);
                        }
                    }
                }));
            }
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            stop.set(true);
            for (Future<?> f : readers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).isNotEmpty();
        assertThat(log.decodeFailures()).as("token mismatches are races, never corruption").isZero();
    }
}
