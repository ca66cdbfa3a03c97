package dev.cachet.internal.file;

import dev.cachet.spi.KeyScope;
import dev.cachet.testkit.TestClock;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cachet.Cache;
import dev.cachet.Caches;
import dev.cachet.NotAnIntegerException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(java.time.Instant.ofEpochMilli(T0));
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private FileStore store() {
        return store(1_000_000, 3);
    }

    private FileStore store(long maxEntries, int cullFrequency) {
        FileStore s = new FileStore(dir, maxEntries, cullFrequency, clock, Integer.MAX_VALUE);
        toClose.add(s);
        return s;
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    private List<Path> entryFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> EntryFile.isEntryName(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> fileNames() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> tempFiles() {
        return fileNames().stream().filter(n -> n.startsWith(EntryFile.TEMP_PREFIX)).toList();
    }

    // ---- basics ----

    /**
     * Any bytes, a Unicode key and a value of 1 MiB round trip on every store (the Store
     * contract); here, an empty value, which memcached cannot hold, and one file per entry.
     */
    @Test
    void anEmptyValueIsAValueAndEachEntryIsOneFile() {
        FileStore store = store();
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        byte[] large = new byte[1024 * 1024 + 3];
        new Random(42).nextBytes(large);

        store.put("all-bytes", all, Store.NEVER, PutMode.SET);
        assertThat(store.put("empty", new byte[0], Store.NEVER, PutMode.SET)).isTrue();
        store.put("large", large, Store.NEVER, PutMode.SET);
        store.put("ключ-\u00e9-\uD83D\uDE00", b("unicode key"), Store.NEVER, PutMode.SET);
        assertThat(store.get("empty")).isEmpty();
        assertThat(store.has("empty")).isTrue();

        store.put("all-bytes", b("overwritten"), Store.NEVER, PutMode.SET);
        assertThat(entryFiles()).hasSize(4);
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void storesOneFileNamedByTheKeysSha256WithAHeader() throws Exception {
        FileStore store = store();
        store.put("k", b("value"), T0 + 5000, PutMode.SET);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b("k")));
        Path file = dir.resolve(hex + ".cachet");
        assertThat(store.pathOf("k")).isEqualTo(file.toRealPath());
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer h = ByteBuffer.wrap(bytes);
        assertThat(new String(bytes, 0, 6, UTF_8)).isEqualTo("CACHET");
        assertThat(bytes[6]).isEqualTo((byte) EntryFile.FORMAT_VERSION);
        assertThat(h.getLong(7)).isEqualTo(T0 + 5000);
        assertThat(h.getShort(15)).isEqualTo((short) 1);
        assertThat(h.getInt(17)).isEqualTo(5);
        assertThat(new String(bytes, EntryFile.HEADER, 1, UTF_8)).isEqualTo("k");
        assertThat(new String(bytes, EntryFile.HEADER + 1, 5, UTF_8)).isEqualTo("value");
        assertThat(bytes).hasSize(EntryFile.HEADER + 1 + 5);
    }

    /** Expiry at the deadline itself and entries that never expire are the Store contract's; here, the file goes. */
    @Test
    void readingAnExpiredEntryRemovesItsFile() {
        FileStore store = store();
        store.put("k", b("v"), T0 + 1000, PutMode.SET);
        clock.advance(Duration.ofMillis(1000));
        assertThat(store.has("k")).isFalse();
        assertThat(store.get("k")).isNull();
        assertThat(store.pathOf("k")).doesNotExist();
    }

    /** The put modes are the Store contract's; here, what a refused REPLACE leaves on disk. */
    @Test
    void aReplaceThatStoresNothingLeavesNoFile() {
        FileStore store = store();
        assertThat(store.put("k", b("v"), Store.NEVER, PutMode.REPLACE)).isFalse();
        assertThat(entryFiles()).isEmpty();

        store.put("k", b("v1"), T0 + 1000, PutMode.SET);
        clock.advance(Duration.ofMillis(1000));
        assertThat(store.put("k", b("v3"), Store.NEVER, PutMode.REPLACE)).isFalse();
        assertThat(store.pathOf("k")).as("the expired file").doesNotExist();
    }

    @Test
    void touchAndIncrOfAMissingKeyCreateNoFile() {
        FileStore store = store();
        assertThat(store.touch("missing", T0 + 1000)).isFalse();
        assertThat(store.pathOf("missing")).doesNotExist();
        assertThat(store.incr("missing", 1)).isNull();
        assertThat(store.pathOf("missing")).doesNotExist();
    }

    /**
     * What incr refuses is the Store contract's, but for a leading space: memcached's own
     * arithmetic takes it.
     */
    @Test
    void incrRefusesAValueWithALeadingSpace() {
        FileStore store = store();
        store.put("spaced", b(" 1"), Store.NEVER, PutMode.SET);
        assertThatThrownBy(() -> store.incr("spaced", 1)).isInstanceOf(NotAnIntegerException.class);
    }

    /**
     * What the bulk calls count is the Store contract's; here, the order of getMany's answer and
     * the expired file deleteMany meets.
     */
    @Test
    void getManyAnswersInTheOrderAskedAndDeleteManyRemovesAnExpiredFile() {
        FileStore store = store();
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            values.put("k" + i, b("v" + i));
        }
        store.putMany(values, T0 + 1000);
        store.put("short", b("s"), T0 + 10, PutMode.SET);
        store.put("long", b("l"), Store.NEVER, PutMode.SET);

        assertThat(store.getMany(List.of("k0", "k9", "missing", "short", "long")).keySet())
                .containsExactly("k0", "k9", "short", "long");
        clock.advance(Duration.ofMillis(10));
        assertThat(store.getMany(List.of("short", "long", "k1")).keySet()).containsExactly("long", "k1");

        store.put("short", b("s"), T0 + 20, PutMode.SET);
        clock.advance(Duration.ofMillis(10));
        // expired and missing keys are not counted; the expired file goes anyway
        assertThat(store.deleteMany(List.of("k0", "k1", "missing", "short", "long"))).isEqualTo(3);
        assertThat(store.pathOf("short")).doesNotExist();
    }

    @Test
    void clearRemovesOnlyCacheFiles() throws Exception {
        FileStore store = store();
        store.putMany(Map.of("a", b("1"), "b", b("2"), "c", b("3")), Store.NEVER);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Files.writeString(dir.resolve("other.cachet"), "not named like an entry");
        Files.createDirectory(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub").resolve("inner.txt"), "mine too");
        Path freshTemp = dir.resolve(EntryFile.TEMP_PREFIX + "fresh");
        Path staleTemp = dir.resolve(EntryFile.TEMP_PREFIX + "stale");
        Files.writeString(freshTemp, "a write in progress");
        Files.writeString(staleTemp, "left by a crash");
        Files.setLastModifiedTime(staleTemp, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));

        store.clear(KeyScope.everything());

        assertThat(store.get("a")).isNull();
        assertThat(entryFiles()).isEmpty();
        assertThat(fileNames()).containsExactly(SharedDirectory.LOCK_FILE, EntryFile.TEMP_PREFIX + "fresh", "notes.txt",
                "other.cachet", "sub");
        assertThat(dir.resolve("sub").resolve("inner.txt")).hasContent("mine too");

        assertThat(store.put("a", b("again"), Store.NEVER, PutMode.ADD)).isTrue();
        assertThat(s(store.get("a"))).isEqualTo("again");
    }

    /**
     * Which keys a scope owns is the Store contract's; here, on a directory two stores share, the
     * files go, and only theirs.
     */
    @Test
    void aScopedClearOnASharedDirectoryDeletesTheFilesOfTheKeysItsScopeOwns() {
        FileStore a = store(); // the cache with key prefix "a"
        FileStore others = store(); // other caches on the same directory
        String hashed = "a:~" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(b("a long key")));
        assertThat(hashed).hasSize(3 + KeyScope.HASH_CHARS);
        List<String> owned = List.of("a:1:k", "a:2:k", hashed);
        List<String> notOwned = List.of("b:1:k", "a:x:1:k", "custom/k");
        for (String k : owned) {
            a.put(k, b(k), Store.NEVER, PutMode.SET);
        }
        for (String k : notOwned) {
            others.put(k, b(k), Store.NEVER, PutMode.SET);
        }

        a.clear(KeyScope.ofPrefix("a"));

        for (String k : owned) {
            assertThat(a.pathOf(k)).as(k).doesNotExist();
        }
        assertThat(entryFiles()).hasSize(notOwned.size());

        for (String k : owned) {
            a.put(k, b(k), Store.NEVER, PutMode.SET);
        }
        others.clear(KeyScope.everything());
        assertThat(entryFiles()).isEmpty();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ---- the deadline hint ----

    private FileTime accessTime(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastAccessTime();
    }

    /**
     * A write marks the file's access time with its deadline, which delete trusts only while it
     * is marked and after now; a time the file system set itself (here one after the cache
     * clock's now on an expired entry, as a read under relatime sets it) sends delete to the
     * header.
     */
    @Test
    void deleteTrustsOnlyAMarkedDeadlineHintAfterNow() throws Exception {
        FileStore store = store();
        store.put("k", b("v"), T0 + 1000, PutMode.SET);
        FileTime hint = accessTime(store.pathOf("k"));
        assumeThat(hint.toInstant().getNano() % 1_000_000).as("a file system that keeps nanoseconds")
                .isEqualTo(EntryFile.HINT_NANOS);
        assertThat(hint.toInstant().toEpochMilli()).isEqualTo(T0 + 1000);
        assertThat(EntryFile.hintSaysLive(hint, T0 + 999)).isTrue();
        assertThat(EntryFile.hintSaysLive(hint, T0 + 1000)).as("at the deadline").isFalse();
        store.put("never", b("v"), Store.NEVER, PutMode.SET);
        assertThat(accessTime(store.pathOf("never")).toInstant())
                .isEqualTo(Instant.ofEpochMilli(EntryFile.HINT_MAX_MILLIS).plusNanos(EntryFile.HINT_NANOS));
        store.put("incremented", b("1"), T0 + 2000, PutMode.SET);
        store.incr("incremented", 1);
        assertThat(accessTime(store.pathOf("incremented")).toInstant().toEpochMilli()).as("incr keeps the deadline")
                .isEqualTo(T0 + 2000);

        store.put("expired", b("v"), T0 + 10, PutMode.SET);
        clock.advance(Duration.ofMillis(10));
        Files.setAttribute(store.pathOf("expired"), "lastAccessTime", FileTime.from(Instant.ofEpochMilli(T0 + 3_600_000)));
        assertThat(store.delete("expired")).as("expired, its access time moved by the file system").isFalse();
        assertThat(store.pathOf("expired")).doesNotExist();
        assertThat(store.delete("k")).isTrue();
        assertThat(store.delete("k")).isFalse();
        assertThat(store.delete("never")).isTrue();
    }

    // ---- corrupt and foreign files ----

    @Test
    void corruptFilesReadAsAbsentAndGo() throws Exception {
        FileStore store = store();
        Map<String, byte[]> corrupt = new LinkedHashMap<>();
        store.put("template", b("some value"), Store.NEVER, PutMode.SET);
        byte[] good = Files.readAllBytes(store.pathOf("template"));

        corrupt.put("empty", new byte[0]);
        corrupt.put("short-header", Arrays.copyOf(good, 10));
        corrupt.put("truncated", Arrays.copyOf(good, good.length - 3));
        corrupt.put("trailing", Arrays.copyOf(good, good.length + 1));
        byte[] magic = good.clone();
        magic[0] = 'X';
        corrupt.put("magic", magic);
        byte[] lies = good.clone();
        ByteBuffer.wrap(lies).putInt(17, Integer.MAX_VALUE);
        corrupt.put("length", lies);
        corrupt.put("wrong-key", good); // the file of "template" under another key's name
        for (Map.Entry<String, byte[]> e : corrupt.entrySet()) {
            Files.write(store.pathOf(e.getKey()), e.getValue());
        }

        for (String key : corrupt.keySet()) {
            assertThat(store.get(key)).as(key).isNull();
            assertThat(store.pathOf(key)).as(key).doesNotExist();
        }
        for (Map.Entry<String, byte[]> e : corrupt.entrySet()) {
            Files.write(store.pathOf(e.getKey()), e.getValue());
        }
        assertThat(store.getMany(corrupt.keySet())).isEmpty();
        for (Map.Entry<String, byte[]> e : corrupt.entrySet()) {
            Files.write(store.pathOf(e.getKey()), e.getValue());
        }
        for (String key : corrupt.keySet()) {
            assertThat(store.has(key)).as(key).isFalse();
            assertThat(store.delete(key)).as(key).isFalse();
            Files.write(store.pathOf(key), corrupt.get(key));
            assertThat(store.incr(key, 1)).as(key).isNull();
            Files.write(store.pathOf(key), corrupt.get(key));
            assertThat(store.touch(key, Store.NEVER)).as(key).isFalse();
            Files.write(store.pathOf(key), corrupt.get(key));
            assertThat(store.put(key, b("fresh"), Store.NEVER, PutMode.ADD)).as(key).isTrue();
            assertThat(s(store.get(key))).as(key).isEqualTo("fresh");
        }
        assertThat(s(store.get("template"))).isEqualTo("some value");
    }

    @Test
    void aFileOfAnotherFormatVersionIsAMissButStays() throws Exception {
        FileStore store = store();
        store.put("k", b("v"), Store.NEVER, PutMode.SET);
        Path file = store.pathOf("k");
        byte[] bytes = Files.readAllBytes(file);
        bytes[6] = 2;
        Files.write(file, bytes);
        assertThat(store.get("k")).isNull();
        assertThat(store.has("k")).isFalse();
        assertThat(file).exists();
        assertThat(store.put("k", b("mine"), Store.NEVER, PutMode.ADD)).isTrue();
        assertThat(s(store.get("k"))).isEqualTo("mine");
    }

    // ---- temp files ----

    @Test
    void tempFilesAreNeverEntries() throws Exception {
        FileStore store = store(5, 3);
        store.put("k", b("v"), Store.NEVER, PutMode.SET);
        // a finished temp file holding a valid entry for "x" is still not "x"
        store.put("x", b("temp content"), Store.NEVER, PutMode.SET);
        Path temp = dir.resolve(EntryFile.TEMP_PREFIX + "0123456789abcdef");
        Files.move(store.pathOf("x"), temp);
        assertThat(store.get("x")).isNull();
        assertThat(store.has("x")).isFalse();
        assertThat(store.deleteMany(List.of("x"))).isZero();
        Path stale = dir.resolve(EntryFile.TEMP_PREFIX + "left-by-a-crash");
        Files.writeString(stale, "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        for (int i = 0; i < 20; i++) {
            store.put("fill" + i, b("v"), Store.NEVER, PutMode.SET);
        }
        assertThat(entryFiles().size()).isLessThanOrEqualTo(5);
        // culling removed the stale temp file; the young one may be a write in progress
        assertThat(tempFiles()).containsExactly(temp.getFileName().toString());
    }

    // ---- culling ----

    @Test
    void cullingKeepsTheCountBounded() {
        FileStore store = store(10, 3);
        for (int i = 0; i < 30; i++) {
            assertThat(store.put("k" + i, b("v" + i), Store.NEVER, PutMode.SET)).isTrue();
            assertThat(entryFiles().size()).as("after write %d", i).isLessThanOrEqualTo(10);
            assertThat(s(store.get("k" + i))).isEqualTo("v" + i);
        }
        assertThat(entryFiles().size()).isGreaterThanOrEqualTo(7);
    }

    @Test
    void cullingRemovesExpiredEntriesFirst() {
        FileStore store = store(10, 3);
        for (int i = 0; i < 5; i++) {
            store.put("short" + i, b("s"), T0 + 100, PutMode.SET);
            store.put("long" + i, b("l"), Store.NEVER, PutMode.SET);
        }
        clock.advance(Duration.ofMillis(100));
        store.put("new", b("n"), Store.NEVER, PutMode.SET);
        assertThat(entryFiles()).hasSize(6);
        for (int i = 0; i < 5; i++) {
            assertThat(store.pathOf("short" + i)).doesNotExist();
            assertThat(s(store.get("long" + i))).isEqualTo("l");
        }
        assertThat(s(store.get("new"))).isEqualTo("n");
    }

    @Test
    void cullingDeletesTheLeastRecentlyWrittenThird() throws Exception {
        FileStore store = store(10, 3);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            store.put("k" + i, b("v"), Store.NEVER, PutMode.SET);
        }
        // make the write order unambiguous whatever the file system's time resolution;
        // k7 is the oldest, then k3, then k5
        int[] order = {7, 3, 5, 0, 1, 2, 4, 6, 8, 9};
        for (int rank = 0; rank < order.length; rank++) {
            Files.setLastModifiedTime(store.pathOf("k" + order[rank]), FileTime.from(base.plusSeconds(rank)));
        }
        store.put("k10", b("v"), Store.NEVER, PutMode.SET);
        assertThat(entryFiles()).hasSize(8);
        for (int i = 0; i <= 10; i++) {
            boolean culled = i == 7 || i == 3 || i == 5;
            assertThat(store.has("k" + i)).as("k" + i).isEqualTo(!culled);
        }
    }

    @Test
    void cullFrequencyZeroEmptiesTheDirectory() throws Exception {
        FileStore store = store(10, 0);
        for (int i = 0; i < 10; i++) {
            store.put("k" + i, b("v"), Store.NEVER, PutMode.SET);
        }
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThat(entryFiles()).hasSize(10);
        store.put("k10", b("v"), Store.NEVER, PutMode.SET);
        assertThat(entryFiles()).hasSize(1);
        assertThat(s(store.get("k10"))).isEqualTo("v");
        assertThat(dir.resolve("notes.txt")).exists();
    }

    @Test
    void replaceTouchAndIncrDoNotCull() {
        FileStore store = store(3, 1);
        for (int i = 0; i < 3; i++) {
            store.put("k" + i, b("v"), Store.NEVER, PutMode.SET);
        }
        assertThat(store.put("k0", b("w"), Store.NEVER, PutMode.REPLACE)).isTrue();
        assertThat(entryFiles()).hasSize(3);
        assertThat(store.incr("missing", 1)).isNull();
        assertThat(store.touch("k1", Store.NEVER)).isTrue();
        assertThat(entryFiles()).hasSize(3);
    }

    @Test
    void theBoundIsTheDirectorysAcrossStoresOfOneJvm() {
        // two caches with different key prefixes on one directory, as Django's file backend
        // counts the directory: 20 writes through one and 29 through the other leave 29 files
        FileStore first = store(30, 3);
        FileStore second = store(30, 3);
        for (int i = 0; i < 20; i++) {
            assertThat(first.put("one:1:k" + i, b("v"), Store.NEVER, PutMode.SET)).isTrue();
        }
        for (int i = 0; i < 29; i++) {
            assertThat(second.put("two:1:k" + i, b("v"), Store.NEVER, PutMode.SET)).isTrue();
        }
        assertThat(entryFiles()).hasSize(29);
        assertThat(s(second.get("two:1:k28"))).isEqualTo("v");
    }

    @Test
    @Timeout(30)
    void theCountEstimateCatchesUpWithOtherWriters() throws Exception {
        FileStore small = store(10, 3);
        // another writer on the directory, as another process would be: stores of this JVM on the
        // directory share one estimate, so the entries are written elsewhere and moved in
        Path elsewhere = dir.resolve("elsewhere");
        FileStore other = new FileStore(elsewhere, 1_000_000, 3, clock, Integer.MAX_VALUE);
        toClose.add(other);
        for (int i = 0; i < 30; i++) {
            other.put("other" + i, b("v"), Store.NEVER, PutMode.SET);
            Path file = other.pathOf("other" + i);
            Files.move(file, dir.resolve(file.getFileName()));
        }
        assertThat(entryFiles()).hasSize(30);
        // within about a second small recounts on a write, sees the directory full and culls
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int writes = 0;
        while (entryFiles().size() > 10) {
            assertThat(System.nanoTime()).as("culled within 20 s").isLessThan(deadline);
            small.put("mine", b("v" + writes++), Store.NEVER, PutMode.SET);
            Thread.sleep(20);
        }
        assertThat(s(small.get("mine"))).isEqualTo("v" + (writes - 1));
    }

    // ---- concurrency within one process ----

    @Test
    @Timeout(120)
    void clearAndStripeLocksOfTwoStoresInOneJvmDoNotCollide() throws Exception {
        FileStore a = store();
        FileStore b = store();
        a.put("counter", b("0"), Store.NEVER, PutMode.SET);
        runConcurrently(8, t -> {
            FileStore mine = t % 2 == 0 ? a : b;
            for (int i = 0; i < 250; i++) {
                mine.incr("counter", 1);
            }
            mine.clear(KeyScope.everything()); // clear holds every stripe: must not collide with the other store's locks
            mine.put("counter", b("0"), Store.NEVER, PutMode.ADD);
        });
        a.close();
        // b still works after a closed (the shared lock channel stays open for it)
        b.put("after", b("1"), Store.NEVER, PutMode.SET);
        assertThat(b.incr("after", 1)).isEqualTo(2L);
    }

    @Test
    @Timeout(120)
    void sharedLocksGiveExactCountsAcrossTwoStores() throws Exception {
        FileStore a = store();
        FileStore b = store();
        a.put("counter", b("0"), Store.NEVER, PutMode.SET);
        runConcurrently(8, t -> {
            FileStore mine = t % 2 == 0 ? a : b;
            for (int i = 0; i < 500; i++) {
                mine.incr("counter", 1);
            }
        });
        assertThat(s(a.get("counter"))).isEqualTo("4000");
    }

    private interface ThreadBody {
        void run(int thread) throws Exception;
    }

    private static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    body.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- directory, lifecycle ----

    @Test
    void createsAMissingDirectory() {
        Path nested = dir.resolve("a").resolve("b");
        FileStore store = new FileStore(nested, 10, 3, clock, 1000);
        toClose.add(store);
        assertThat(nested).isDirectory();
        store.put("k", b("v"), Store.NEVER, PutMode.SET);
        assertThat(s(store.get("k"))).isEqualTo("v");
        assertThat(store.capabilities().maxItemBytes()).isEqualTo(1000);
        assertThat(store.capabilities().blocking()).isTrue();
    }

    @Test
    void refusesAPathThatIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> new FileStore(file, 10, 3, clock, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> new FileStore(file.resolve("below"), 10, 3, clock, 1000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.resolve("below").toString());
    }

    @Test
    void refusesADirectoryItCannotWrite() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assumeThat(ro.getFileSystem().supportedFileAttributeViews()).contains("posix");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeThat(Files.isWritable(ro)).as("not running as root").isFalse();
            assertThatThrownBy(() -> new FileStore(ro, 10, 3, clock, 1000))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(ro.toString())
                    .hasMessageContaining("not writable");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void closeIsIdempotentAndEndsUse() {
        FileStore store = store();
        store.put("k", b("v"), Store.NEVER, PutMode.SET);
        store.close();
        store.close();
        assertThatThrownBy(() -> store.get("k")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.put("k", b("v"), Store.NEVER, PutMode.SET)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.clear(KeyScope.everything())).isInstanceOf(IllegalStateException.class);
        // the data stays for the next store on the directory
        assertThat(s(store().get("k"))).isEqualTo("v");
    }

    // ---- through the public API ----

    @Test
    void worksBehindThePublicApi() {
        try (Cache cache = Caches.open("file:" + dir)) {
            assertThat(cache.set("greeting", "hello")).isTrue();
            assertThat(cache.get("greeting")).isEqualTo("hello");
            assertThat(cache.set("n", 41)).isTrue();
            assertThat(cache.incr("n")).isEqualTo(42L);
            assertThat(cache.add("greeting", "again")).isFalse();
            assertThat(cache.setMany(Map.of("x", b("bytes"), "y", "why"))).isEmpty();
            Map<String, Object> got = cache.getMany(List.of("greeting", "n", "x", "y", "missing"));
            assertThat(got.keySet()).containsExactlyInAnyOrder("greeting", "n", "x", "y");
            assertThat(got.get("n")).isEqualTo(42L);
            assertThat((byte[]) got.get("x")).isEqualTo(b("bytes"));
            assertThat(got.get("y")).isEqualTo("why");
            assertThat(entryFiles()).hasSize(4);
            cache.clear();
            assertThat(cache.get("greeting")).isNull();
            assertThat(entryFiles()).isEmpty();
        }
    }

    @Test
    void chunksLargeValuesBehindThePublicApi() {
        try (Cache cache = Caches.open("file:" + dir + "?max_item_bytes=1024")) {
            byte[] big = new byte[10_000];
            new Random(7).nextBytes(big); // incompressible, so it is chunked
            assertThat(cache.set("big", big)).isTrue();
            assertThat(entryFiles().size()).isGreaterThan(10);
            assertThat(cache.get("big", byte[].class)).isEqualTo(big);
            assertThat(cache.delete("big")).isTrue();
            assertThat(cache.get("big")).isNull();
        }
    }
}
