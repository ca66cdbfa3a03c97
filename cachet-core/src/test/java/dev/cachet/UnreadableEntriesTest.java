package dev.cachet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.internal.CoreCache;
import dev.cachet.internal.FailureLog;
import dev.cachet.spi.ValueCodec;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A read never deletes an entry whose bytes are sound: a class this reader lacks or refuses,
 * or another codec's entry, is a miss that leaves the entry for readers that can decode it;
 * only corrupt bytes are deleted.
 */
class UnreadableEntriesTest {
    /** A value class of the application's. */
    record Order(String id, int quantity, String notes) implements Serializable {
    }

    private static final String ALLOW = Order.class.getName();

    private static Cache open(CachesOpenStoreTest.MapStore store, String allow, String policy) {
        CacheConfig.Builder b = CacheConfig.builder("custom:").name(allow == null ? "old" : "new")
                .option("compression", "none").option("on_error", policy);
        if (allow != null) {
            b.option("codec_allow", allow);
        }
        return Caches.open(b.build(), store);
    }

    private static FailureLog log(Cache c) {
        return ((CoreCache) c).failureLog();
    }

    @Test
    void aClassOutsideThisReadersAllowListIsAMissAndTheEntryStays() {
        CachesOpenStoreTest.MapStore store = new CachesOpenStoreTest.MapStore(Integer.MAX_VALUE);
        Order order = new Order("A-17", 3, "gift wrap");
        for (String policy : new String[] {"raise", "degrade"}) {
            try (Cache writer = open(store, ALLOW, "raise"); Cache reader = open(store, null, policy)) {
                assertThat(writer.set("order", order)).isTrue();
                byte[] stored = store.map.get(":1:order").clone();
                assertThat(reader.get("order")).as(policy).isNull();
                assertThat(reader.lookup("order").isMiss()).isTrue();
                assertThat(reader.getMany(java.util.List.of("order"))).isEmpty();
                assertThat(store.map.get(":1:order")).as("the entry stays, byte for byte").isEqualTo(stored);
                assertThat(writer.get("order")).as("a reader with the class reads it").isEqualTo(order);
                UnreadableValue u = log(reader).lastUnreadable();
                assertThat(u.shownKey()).isEqualTo("order");
                assertThat(u.className()).isEqualTo(Order.class.getName());
                assertThat(u.codec()).isEqualTo("compact");
                assertThat(u.size()).isEqualTo(stored.length - 3);
                assertThat(log(reader).decodeFailures()).isZero();
                assertThat(log(reader).unreadableEntries()).isEqualTo(3);
            }
        }
    }

    @Test
    void aChunkedValueOfARefusedClassStaysWithItsPieces() {
        CachesOpenStoreTest.MapStore store = new CachesOpenStoreTest.MapStore(1024);
        Order big = new Order("B-1", 1, "x".repeat(10_000));
        try (Cache writer = open(store, ALLOW, "raise"); Cache reader = open(store, null, "raise")) {
            writer.set("big", big);
            int entries = store.map.size();
            assertThat(entries).as("a manifest and its pieces").isGreaterThan(10);
            assertThat(reader.get("big")).isNull();
            assertThat(store.map).hasSize(entries);
            assertThat(writer.get("big")).isEqualTo(big);
            assertThat(log(reader).lastUnreadable().className()).isEqualTo(Order.class.getName());
        }
    }

    @Test
    void aClassMissingFromTheClassPathIsAMissAndTheEntryStays() throws Exception {
        CachesOpenStoreTest.MapStore store = new CachesOpenStoreTest.MapStore(Integer.MAX_VALUE);
        try (Cache reader = open(store, "dev.cachet.**", "raise")) {
            reader.set("seed", "x"); // the envelope's shape: 0xC1, codec, flags
            byte[] stream = serialize(new Order("C-3", 1, "n"));
            // the same stream naming a class of the same length that no class loader has
            byte[] from = Order.class.getName().getBytes(StandardCharsets.UTF_8);
            byte[] to = from.clone();
            to[to.length - 1] = 'Q';
            byte[] renamed = replace(stream, from, to);
            byte[] entry = new byte[3 + renamed.length];
            entry[0] = (byte) 0xC1;
            entry[1] = 16;
            System.arraycopy(renamed, 0, entry, 3, renamed.length);
            store.map.put(":1:gone", entry);
            assertThat(reader.get("gone")).isNull();
            assertThat(store.map).containsKey(":1:gone");
            assertThat(log(reader).lastUnreadable().className()).endsWith("OrdeQ");
            assertThat(log(reader).decodeFailures()).isZero();
        }
    }

    @Test
    void anotherCodecsEntryIsAMissAndStays() {
        CachesOpenStoreTest.MapStore store = new CachesOpenStoreTest.MapStore(Integer.MAX_VALUE);
        ValueCodec other = new ValueCodec() {
            @Override
            public int id() {
                return 40;
            }

            @Override
            public String name() {
                return "upper";
            }

            @Override
            public byte[] encode(Object value) {
                return value.toString().toUpperCase().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Object decode(byte[] bytes, int offset, int length) {
                return new String(bytes, offset, length, StandardCharsets.UTF_8);
            }
        };
        try (Cache writer = Caches.open(CacheConfig.builder("custom:").codec(other).build(), store);
                Cache reader = open(store, null, "raise")) {
            writer.set("k", new StringBuilder("hello"));
            assertThat(reader.get("k")).isNull();
            assertThat(store.map).containsKey(":1:k");
            assertThat(writer.get("k")).isEqualTo("HELLO");
            assertThat(log(reader).lastUnreadable().codec()).isEqualTo("id 40");
        }
    }

    @Test
    void corruptEntriesAreStillDeleted() {
        CachesOpenStoreTest.MapStore store = new CachesOpenStoreTest.MapStore(Integer.MAX_VALUE);
        try (Cache cache = open(store, ALLOW, "raise")) {
            cache.set("order", new Order("D-4", 2, "n"));
            byte[] b = store.map.get(":1:order");
            store.map.put(":1:order", Arrays.copyOf(b, b.length / 2)); // truncated stream
            assertThat(cache.get("order")).isNull();
            assertThat(store.map).doesNotContainKey(":1:order");
            store.map.put(":1:junk", new byte[] {(byte) 0xC1}); // a bad envelope
            assertThat(cache.get("junk")).isNull();
            assertThat(store.map).doesNotContainKey(":1:junk");
            assertThat(log(cache).decodeFailures()).isEqualTo(2);
            assertThat(log(cache).unreadableEntries()).isZero();
        }
    }

    @Test
    void aCorruptChunkIsStillDeleted() {
        CachesOpenStoreTest.MapStore store = new CachesOpenStoreTest.MapStore(1024);
        try (Cache cache = open(store, ALLOW, "raise")) {
            cache.set("big", new Order("E-5", 1, "y".repeat(8_000)));
            String piece = store.map.keySet().stream().filter(k -> !k.equals(":1:big")).findFirst().orElseThrow();
            byte[] p = store.map.get(piece).clone();
            p[p.length - 1] ^= 1;
            store.map.put(piece, p);
            assertThat(cache.get("big")).isNull();
            assertThat(store.map).doesNotContainKey(":1:big");
            assertThat(log(cache).decodeFailures()).isEqualTo(1);
        }
    }

    private static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static byte[] replace(byte[] in, byte[] from, byte[] to) {
        byte[] out = in.clone();
        outer:
        for (int i = 0; i + from.length <= out.length; i++) {
            for (int j = 0; j < from.length; j++) {
                if (out[i + j] != from[j]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, out, i, to.length);
        }
        return out;
    }
}
