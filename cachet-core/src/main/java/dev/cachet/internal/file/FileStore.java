package dev.cachet.internal.file;

import dev.cachet.spi.Culling;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Sha256;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import dev.cachet.spi.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file backend (Django's FileBasedCache, done right): one file per key in one directory,
 * safe to share between threads and between processes on one machine.
 *
 * <h2>Files</h2>
 * An entry lives in {@code <dir>/<sha256-hex of the key's UTF-8>.cachet} (one flat directory,
 * as Django's). Its bytes, big-endian:
 * <pre>
 *   "CACHET"      6 bytes magic
 *   version       1 byte, 1
 *   expiresAt     8 bytes, epoch millis of the cache's clock; Long.MAX_VALUE = never
 *   keyLength     2 bytes, unsigned
 *   valueLength   4 bytes
 *   key           keyLength bytes (UTF-8), so a read checks it found its own key
 *   value         valueLength bytes
 * </pre>
 * A read returns the value only when magic, version, lengths (the file size must be exactly
 * header + key + value), key and deadline all check out; anything else reads as absent and
 * never throws. An expired, truncated or otherwise corrupt file is removed when seen (best
 * effort); a file of another format version is a miss but is left to its writer. Expiry is
 * checked on every read against the injected {@link Clock}.
 *
 * <h2>Atomicity</h2>
 * A cache file is never modified in place: every write (set, add, replace, touch, incr) goes to
 * a fresh temp file {@code .cachet-tmp-<random>} in the same directory, which is then renamed
 * over the entry ({@code ATOMIC_MOVE}). A reader opens either the old or the new file, never a
 * half-written one. A crash leaves at most a temp file; {@link #clear()} and culling remove temp
 * files older than {@value #STALE_TEMP_MILLIS} ms (by their mtime on the wall clock, since file
 * times are real time), younger ones may belong to a write in progress.
 *
 * <h2>Locking</h2>
 * Every mutation of a key (every put mode, touch, incr, delete, and the removal of a stale
 * file) holds that key's stripe lock, one of {@value #STRIPES} chosen by the first byte of the
 * key's hash: an in-process {@link ReentrantLock}, then an exclusive {@link FileLock} on byte
 * {@code stripe} of {@code <dir>/.cachet-lock}, which excludes other processes. Reads take no
 * lock. SET and delete take the lock too, although a rename or an unlink alone is atomic:
 * otherwise an incr, touch or replace that read the old value could rename its result over a
 * concurrent set (losing the set, or bringing back the value it replaced), an add over an
 * expired entry could overwrite a value set a moment before, and an incr that read before a
 * delete would write the key back after it; and delete must see whether the entry it removes
 * was readable. The lock costs one {@code fcntl} per write, small beside creating and renaming
 * a file. {@link #clear()} holds every stripe (one range lock across processes), so no incr
 * survives a clear it overlapped. Culling evicts live entries without their stripe (a cache may
 * evict anything at any moment), but removes expired ones only under it, after checking again. No thread ever holds two stripes, so
 * stripes cannot deadlock. The in-process locks, and the one channel that holds the file
 * locks, are shared by every {@code FileStore} of this JVM on the same directory (file locks
 * belong to the whole process: two channels on one file would throw on overlap, and closing
 * either would drop the other's locks). The lock file itself is never deleted. Cross-process
 * exclusion relies on POSIX record locks, so the directory should be on a local file system.
 * An interrupt that arrives while a thread waits for a file lock fails that call with a
 * {@link StoreException} (the interrupt status is kept); since the JDK then closes the shared
 * channel, other processes may briefly not be excluded from stripes this JVM held at that
 * moment; the channel is reopened on next use.
 *
 * <h2>Culling</h2>
 * Django's {@code MAX_ENTRIES} / {@code CULL_FREQUENCY}: before a set or add, when the
 * directory holds {@code maxEntries} entries or more, expired and corrupt files are removed
 * first; if at least {@code maxEntries} remain, {@code cullFrequency} 0 clears the directory,
 * else the oldest entries by modification time (the least recently written: set, touch and
 * incr rewrite the file) are deleted, {@code count / cullFrequency} of them, and always enough
 * to get below {@code maxEntries}, and never fewer than one (Django's random sample can delete
 * none when the frequency exceeds the count, and then never gets below the limit). Oldest-first
 * rather than Django's random sample: it keeps what was just written, and is deterministic.
 * Listing the directory on every write would be slow, so the store keeps an estimate of its
 * entry count: counted at startup, adjusted by this store's creates and deletes, and recounted
 * by listing at most about once a second on a write (so other processes' writes are seen),
 * and always before culling when the estimate says the limit is reached. Between recounts,
 * other processes' writes can take the directory past the limit; two processes may cull at
 * once (deleting more than one cull would); each is harmless for a cache.
 *
 * <h2>Failures</h2>
 * An unusable directory (cannot be created, not a directory, not writable) fails the
 * constructor with an {@link IllegalArgumentException} naming it. I/O failures throw
 * {@link StoreException} naming the operation and the path; {@link #putMany} stores what it
 * can and returns the keys it could not (it throws only when no key could be stored). Deleting
 * the directory under a running store is not supported: writes then fail. Thread-safe.
 */
public final class FileStore implements Store {
    static final String SUFFIX = ".cachet";
    static final String TEMP_PREFIX = ".cachet-tmp-";
    static final String LOCK_FILE = ".cachet-lock";
    static final int STRIPES = 256;
    static final int FORMAT_VERSION = 1;
    static final long STALE_TEMP_MILLIS = 60_000;
    private static final byte[] MAGIC = {'C', 'A', 'C', 'H', 'E', 'T'};
    /** magic, version, expiresAt, keyLength, valueLength. */
    static final int HEADER = MAGIC.length + 1 + 8 + 2 + 4;
    private static final int HASH_HEX = 64;
    private static final int IO_CHUNK = 64 * 1024;
    private static final long RECOUNT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final HexFormat HEX = HexFormat.of();
    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);

    private final Path dir;
    private final long maxEntries;
    private final int cullFrequency;
    private final Clock clock;
    private final long maxItemBytes;
    private final SharedLocks locks;
    private final AtomicLong entryEstimate = new AtomicLong();
    private final AtomicLong lastCountNanos = new AtomicLong();
    private final ReentrantLock cullLock = new ReentrantLock();
    private volatile boolean closed;

    /**
     * A store on directory {@code dir} (created if missing), culling past {@code maxEntries} by
     * {@code cullFrequency}, with values up to {@code maxItemBytes}.
     *
     * @throws IllegalArgumentException when the directory cannot be used, naming it
     */
    public FileStore(Path dir, long maxEntries, int cullFrequency, Clock clock, long maxItemBytes) {
        Objects.requireNonNull(dir, "dir must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("file cache " + dir + ": max_entries must be at least 1, not " + maxEntries);
        }
        if (cullFrequency < 0) {
            throw new IllegalArgumentException("file cache " + dir + ": cull_frequency must be 0 or more, not " + cullFrequency);
        }
        if (maxItemBytes < 1) {
            throw new IllegalArgumentException("file cache " + dir + ": max_item_bytes must be positive, not " + maxItemBytes);
        }
        this.maxEntries = maxEntries;
        this.cullFrequency = cullFrequency;
        this.maxItemBytes = maxItemBytes;
        this.dir = usableDirectory(dir);
        this.locks = SharedLocks.acquire(this.dir);
        try {
            entryEstimate.set(listDirectory().entries.size());
            lastCountNanos.set(System.nanoTime());
        } catch (RuntimeException e) {
            locks.release();
            throw e;
        }
    }

    private static Path usableDirectory(Path given) {
        Path abs = given.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IllegalArgumentException("file cache directory " + abs + " exists but is not a directory");
        }
        try {
            Files.createDirectories(abs);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot create file cache directory " + abs + ": " + e, e);
        }
        if (!Files.isDirectory(abs)) {
            throw new IllegalArgumentException("file cache directory " + abs + " is not a directory");
        }
        if (!Files.isWritable(abs) || !Files.isExecutable(abs)) {
            throw new IllegalArgumentException("file cache directory " + abs + " is not writable by this process");
        }
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve file cache directory " + abs + ": " + e, e);
        }
    }

    /** The file holding {@code key}'s entry. */
    Path pathOf(String key) {
        return name(key).path;
    }

    @Override
    public StoreCapabilities capabilities() {
        return new StoreCapabilities(maxItemBytes, true, false, false, false);
    }

    // ---- reads ----

    @Override
    public byte[] get(String key) {
        Name n = checkedName(key);
        Entry e = read(n, true, "read");
        if (e.state == State.LIVE) {
            return e.value;
        }
        if (e.isStale()) {
            removeStale(n.path, n.stripe, n.key);
        }
        return null;
    }

    @Override
    public boolean has(String key) {
        Name n = checkedName(key);
        Entry e = read(n, false, "read");
        if (e.isStale()) {
            removeStale(n.path, n.stripe, n.key);
        }
        return e.state == State.LIVE;
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        Map<String, byte[]> out = new LinkedHashMap<>(keys.size() * 2);
        for (String k : keys) {
            byte[] v = get(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    // ---- writes ----

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        Name n = checkedName(key);
        if (mode != PutMode.REPLACE) {
            cullIfFull();
        }
        return locked(n, "write", () -> {
            boolean existed;
            if (mode == PutMode.SET) {
                existed = Files.exists(n.path, LinkOption.NOFOLLOW_LINKS);
            } else {
                Entry e = read(n.path, n.key, false, clock.millis());
                boolean live = e.state == State.LIVE;
                if (mode == PutMode.ADD ? live : !live) {
                    removeLockedIfStale(n.path, e);
                    return false;
                }
                existed = e.state != State.MISSING;
            }
            write(n, value, expiresAt, existed);
            return true;
        });
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        Set<String> failed = null;
        StoreException first = null;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            try {
                put(e.getKey(), e.getValue(), expiresAt, PutMode.SET);
            } catch (StoreException ex) {
                if (failed == null) {
                    failed = new LinkedHashSet<>();
                    first = ex;
                }
                failed.add(e.getKey());
            }
        }
        if (failed == null) {
            return Set.of();
        }
        if (failed.size() == entries.size()) {
            throw first;
        }
        throw PartialFailureException.ofPutMany(failed, "file cache " + dir + ": set_many", first);
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        Name n = checkedName(key);
        return locked(n, "touch", () -> {
            Entry e = read(n.path, n.key, true, clock.millis());
            if (e.state != State.LIVE) {
                removeLockedIfStale(n.path, e);
                return false;
            }
            write(n, e.value, expiresAt, true);
            return true;
        });
    }

    @Override
    public Long incr(String key, long delta) {
        Name n = checkedName(key);
        return locked(n, "incr", () -> {
            Entry e = read(n.path, n.key, true, clock.millis());
            if (e.state != State.LIVE) {
                removeLockedIfStale(n.path, e);
                return null;
            }
            long next = Math.addExact(DecimalValues.parse(e.value), delta);
            write(n, DecimalValues.bytes(next), e.expiresAt, true);
            return next;
        });
    }

    @Override
    public boolean delete(String key) {
        Name n = checkedName(key);
        return locked(n, "delete", () -> {
            Entry e = read(n.path, n.key, false, clock.millis());
            return e.state != State.MISSING && deleteEntryFile(n.path) && e.state == State.LIVE;
        });
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        int removed = 0;
        for (String k : keys) {
            if (delete(k)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public void clear(KeyScope scope) {
        ensureOpen();
        lockAll(scope.isEverything() ? this::deleteEverything : () -> deleteOwned(scope));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        locks.release();
    }

    @Override
    public String toString() {
        return "FileStore[" + dir + "]";
    }

    // ---- names ----

    /** A key's bytes, its file and its stripe. */
    private static final class Name {
        final byte[] key;
        final Path path;
        final int stripe;

        Name(byte[] key, Path path, int stripe) {
            this.key = key;
            this.path = path;
            this.stripe = stripe;
        }
    }

    private Name checkedName(String key) {
        Objects.requireNonNull(key, "key must not be null");
        ensureOpen();
        return name(key);
    }

    private Name name(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > 0xffff) {
            throw new IllegalArgumentException("file cache " + dir + ": key of " + k.length + " UTF-8 bytes is too long");
        }
        byte[] hash = Sha256.digest(k);
        return new Name(k, dir.resolve(HEX.formatHex(hash) + SUFFIX), hash[0] & 0xff);
    }

    static boolean isEntryName(String fileName) {
        if (fileName.length() != HASH_HEX + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
            return false;
        }
        for (int i = 0; i < HASH_HEX; i++) {
            char c = fileName.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The stripe of an entry file, from the first byte of the hash its name holds. */
    private static int stripeOf(Path entryFile) {
        return Integer.parseInt(entryFile.getFileName().toString().substring(0, 2), 16);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("file cache " + dir + " is closed");
        }
    }

    // ---- reading files ----

    private enum State { MISSING, CORRUPT, FOREIGN, EXPIRED, LIVE }

    /** What a file holds: its state, and for a readable entry its deadline (and value, if read). */
    private static final class Entry {
        static final Entry MISSING = new Entry(State.MISSING, 0, null);
        static final Entry CORRUPT = new Entry(State.CORRUPT, 0, null);
        static final Entry FOREIGN = new Entry(State.FOREIGN, 0, null);

        final State state;
        final long expiresAt;
        final byte[] value;

        Entry(State state, long expiresAt, byte[] value) {
            this.state = state;
            this.expiresAt = expiresAt;
            this.value = value;
        }

        /** Expired or corrupt: nobody can read it, so it may be removed. */
        boolean isStale() {
            return state == State.EXPIRED || state == State.CORRUPT;
        }
    }

    private Entry read(Name n, boolean withValue, String op) {
        try {
            return read(n.path, n.key, withValue, clock.millis());
        } catch (IOException e) {
            throw new StoreException("file cache: cannot " + op + " " + n.path + ": " + e, e);
        }
    }

    /**
     * Reads {@code path}; with {@code expectedKey} null (culling, which knows only file names)
     * the key is not compared, the rest is checked as usual.
     */
    private static Entry read(Path path, byte[] expectedKey, boolean withValue, long now) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Entry.MISSING;
        }
        try (ch) {
            long size = ch.size();
            if (size < HEADER) {
                return Entry.CORRUPT;
            }
            int want = (int) Math.min(size, HEADER + (expectedKey == null ? 0 : expectedKey.length));
            ByteBuffer h = ByteBuffer.allocate(want);
            if (!readFully(ch, h, 0)) {
                return Entry.CORRUPT;
            }
            if (!hasMagic(h)) {
                return Entry.CORRUPT;
            }
            if ((h.get(MAGIC.length) & 0xff) != FORMAT_VERSION) {
                return Entry.FOREIGN;
            }
            long expiresAt = h.getLong(MAGIC.length + 1);
            int keyLength = h.getShort(MAGIC.length + 9) & 0xffff;
            int valueLength = h.getInt(MAGIC.length + 11);
            if (valueLength < 0 || size != (long) HEADER + keyLength + valueLength) {
                return Entry.CORRUPT;
            }
            if (expectedKey != null) {
                if (keyLength != expectedKey.length) {
                    return Entry.CORRUPT;
                }
                for (int i = 0; i < keyLength; i++) {
                    if (h.get(HEADER + i) != expectedKey[i]) {
                        return Entry.CORRUPT;
                    }
                }
            }
            if (expiresAt <= now) {
                return new Entry(State.EXPIRED, expiresAt, null);
            }
            if (!withValue) {
                return new Entry(State.LIVE, expiresAt, null);
            }
            byte[] value = new byte[valueLength];
            if (!readFully(ch, ByteBuffer.wrap(value), HEADER + keyLength)) {
                return Entry.CORRUPT;
            }
            return new Entry(State.LIVE, expiresAt, value);
        }
    }

    /**
     * Reads {@code b} full from {@code position}; false at end of file. At most {@link #IO_CHUNK}
     * bytes per call: the JDK copies a heap buffer through a temporary direct buffer of the
     * request's size and caches it per thread, so one large value would pin that much memory.
     */
    private static boolean readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        int limit = b.limit();
        long pos = position;
        try {
            while (b.position() < limit) {
                b.limit(Math.min(limit, b.position() + IO_CHUNK));
                int n = ch.read(b, pos);
                if (n < 0) {
                    return false;
                }
                pos += n;
            }
            return true;
        } finally {
            b.limit(limit);
        }
    }

    /** Writes all of {@code b}, at most {@link #IO_CHUNK} bytes per call (see {@link #readFully}). */
    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        int limit = b.limit();
        try {
            while (b.position() < limit) {
                b.limit(Math.min(limit, b.position() + IO_CHUNK));
                ch.write(b);
            }
        } finally {
            b.limit(limit);
        }
    }

    // ---- writing files (callers hold the key's stripe) ----

    private void write(Name n, byte[] value, long expiresAt, boolean existed) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEADER + n.key.length);
        head.put(MAGIC).put((byte) FORMAT_VERSION).putLong(expiresAt).putShort((short) n.key.length)
                .putInt(value.length).put(n.key).flip();
        Path tmp = null;
        FileChannel ch = null;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                Path candidate = dir.resolve(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                try {
                    ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    tmp = candidate;
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) {
                        throw e;
                    }
                }
            }
            try (FileChannel out = ch) {
                writeFully(out, head);
                writeFully(out, ByteBuffer.wrap(value));
            }
            Files.move(tmp, n.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
        if (!existed) {
            entryEstimate.incrementAndGet();
        }
    }

    /** Deletes an entry file (keeping the count estimate); true when this call removed it. */
    private boolean deleteEntryFile(Path path) throws IOException {
        if (Files.deleteIfExists(path)) {
            entryEstimate.decrementAndGet();
            return true;
        }
        return false;
    }

    private void removeLockedIfStale(Path path, Entry e) throws IOException {
        if (e.isStale()) {
            deleteEntryFile(path);
        }
    }

    /**
     * Removes {@code path} if it is still expired or corrupt once its stripe is held (a writer
     * may have replaced it since it was read). Best effort: failures are logged, not thrown.
     *
     * @return true when this call removed it
     */
    private boolean removeStale(Path path, int stripe, byte[] key) {
        try {
            return locked(stripe, path, "remove stale entry", () -> {
                Entry again = read(path, key, false, clock.millis());
                return again.isStale() && deleteEntryFile(path);
            });
        } catch (StoreException | IllegalStateException e) {
            LOG.debug("file cache {}: could not remove stale entry {}", dir, path, e);
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("could not delete {}", p, e);
        }
    }

    // ---- locking ----

    /** An I/O action run under a lock. */
    @FunctionalInterface
    private interface LockedAction<T> {
        T run() throws IOException;
    }

    private <T> T locked(Name n, String op, LockedAction<T> action) {
        return locked(n.stripe, n.path, op, action);
    }

    private <T> T locked(int stripe, Path path, String op, LockedAction<T> action) {
        ReentrantLock local = locks.stripes[stripe];
        local.lock();
        try {
            FileLock fileLock = locks.lockFile(stripe, 1);
            try {
                return action.run();
            } catch (IOException e) {
                throw new StoreException("file cache: cannot " + op + " " + path + ": " + e, e);
            } finally {
                locks.unlockFile(fileLock);
            }
        } finally {
            local.unlock();
        }
    }

    /** Runs {@code action} holding every stripe, here and (one range lock) in other processes. */
    private void lockAll(Runnable action) {
        int held = 0;
        try {
            for (; held < STRIPES; held++) {
                locks.stripes[held].lock();
            }
            FileLock fileLock = locks.lockFile(0, STRIPES);
            try {
                action.run();
            } finally {
                locks.unlockFile(fileLock);
            }
        } finally {
            while (held > 0) {
                locks.stripes[--held].unlock();
            }
        }
    }

    /**
     * The stripe locks of one directory, shared by every {@code FileStore} of this JVM on it:
     * the in-process locks, and the single channel on the lock file that holds the file locks.
     * Keyed by the lock file's identity (device and inode where the platform has them), so two
     * spellings of one directory share it.
     */
    private static final class SharedLocks {
        private static final Map<Object, SharedLocks> OPEN = new HashMap<>();

        final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
        private final Object id;
        private final Path file;
        private FileChannel channel;
        private int users;
        private boolean released;

        private SharedLocks(Object id, Path file, FileChannel channel) {
            this.id = id;
            this.file = file;
            this.channel = channel;
            for (int i = 0; i < STRIPES; i++) {
                stripes[i] = new ReentrantLock();
            }
        }

        static SharedLocks acquire(Path dir) {
            Path file = dir.resolve(LOCK_FILE);
            synchronized (OPEN) {
                Object id;
                try {
                    try {
                        Files.createFile(file);
                    } catch (FileAlreadyExistsException e) {
                        // never open and close an existing lock file here: closing any channel on it
                        // would drop the file locks this process holds through the shared one
                    }
                    Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                    id = key != null ? key : file;
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot create lock file " + file + " in the file cache directory: " + e, e);
                }
                SharedLocks s = OPEN.get(id);
                if (s == null) {
                    s = new SharedLocks(id, file, openChannel(file));
                    OPEN.put(id, s);
                }
                s.users++;
                return s;
            }
        }

        private static FileChannel openChannel(Path file) {
            try {
                return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new StoreException("file cache: cannot open lock file " + file + ": " + e, e);
            }
        }

        void release() {
            FileChannel toClose = null;
            synchronized (OPEN) {
                if (--users == 0) {
                    OPEN.remove(id);
                    synchronized (this) {
                        released = true;
                        toClose = channel;
                    }
                }
            }
            if (toClose != null) {
                try {
                    toClose.close();
                } catch (IOException e) {
                    LOG.debug("could not close {}", file, e);
                }
            }
        }

        /** The open channel, reopened if an interrupt closed it. */
        private synchronized FileChannel channel() {
            if (released) {
                throw new IllegalStateException("file cache lock file " + file + " is released (the store is closed)");
            }
            if (!channel.isOpen()) {
                channel = openChannel(file);
            }
            return channel;
        }

        /** Takes an exclusive lock on {@code [position, position + size)}; the caller holds the in-process locks. */
        FileLock lockFile(long position, long size) {
            boolean interrupted = Thread.interrupted();
            try {
                for (int attempt = 0; ; attempt++) {
                    try {
                        return channel().lock(position, size, false);
                    } catch (FileLockInterruptionException | ClosedByInterruptException e) {
                        interrupted = true;
                        throw new StoreException("file cache: interrupted while waiting for a lock on " + file, e);
                    } catch (ClosedChannelException e) {
                        // another thread's interrupt closed the shared channel: reopen and retry
                        if (attempt >= 3) {
                            throw new StoreException("file cache: lock file " + file + " keeps being closed", e);
                        }
                    } catch (IOException e) {
                        // POSIX record locks belong to the process, so two processes whose threads hold and
                        // wait for different stripes look like a deadlock to the kernel (EDEADLK) although
                        // each holder will finish: back off briefly and retry
                        if (isDeadlockFalseAlarm(e) && attempt < DEADLOCK_RETRIES) {
                            java.util.concurrent.locks.LockSupport.parkNanos(
                                    ThreadLocalRandom.current().nextLong(100_000, 2_000_000));
                            continue;
                        }
                        throw new StoreException("file cache: cannot lock " + file + ": " + e, e);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static final int DEADLOCK_RETRIES = 10_000;

        private static boolean isDeadlockFalseAlarm(IOException e) {
            String m = e.getMessage();
            return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("deadlock");
        }

        void unlockFile(FileLock lock) {
            try {
                lock.release();
            } catch (ClosedChannelException e) {
                // the channel closed (interrupt or last close): the lock went with it
            } catch (IOException e) {
                LOG.warn("file cache: could not release a lock on {}: {}", file, e.toString(), e);
            }
        }
    }

    // ---- directory listing, clearing and culling ----

    /** The entry files and the temp files of the directory. */
    private static final class Listing {
        final List<Path> entries = new ArrayList<>();
        final List<Path> temps = new ArrayList<>();
    }

    private Listing listDirectory() {
        Listing l = new Listing();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (isEntryName(name)) {
                    l.entries.add(p);
                } else if (name.startsWith(TEMP_PREFIX)) {
                    l.temps.add(p);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw new StoreException("file cache: cannot list " + dir + ": " + e, e);
        }
        return l;
    }

    /** Clear's body (every stripe held): deletes every entry file and the stale temp files. */
    private void deleteEverything() {
        Listing l = listDirectory();
        IOException first = null;
        Path firstPath = null;
        for (Path p : l.entries) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                    firstPath = p;
                }
            }
        }
        removeStaleTemps(l.temps);
        entryEstimate.set(0);
        lastCountNanos.set(System.nanoTime());
        if (first != null) {
            throw new StoreException("file cache: clear cannot delete " + firstPath + ": " + first, first);
        }
    }

    /** A scoped clear's body (every stripe held): deletes the entry files whose key {@code scope} owns. */
    private void deleteOwned(KeyScope scope) {
        Listing l = listDirectory();
        for (Path p : l.entries) {
            try {
                String key = readKey(p);
                if (key != null && scope.owns(key)) {
                    deleteEntryFile(p);
                }
            } catch (IOException e) {
                throw new StoreException("file cache: clear cannot read or delete " + p + ": " + e, e);
            }
        }
        removeStaleTemps(l.temps);
    }

    /** The key an entry file of this format holds, or null when it holds none (gone, corrupt, foreign). */
    private static String readKey(Path path) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
        try (ch) {
            ByteBuffer h = ByteBuffer.allocate(HEADER);
            if (!readFully(ch, h, 0) || !hasMagic(h) || (h.get(MAGIC.length) & 0xff) != FORMAT_VERSION) {
                return null;
            }
            byte[] key = new byte[h.getShort(MAGIC.length + 9) & 0xffff];
            return readFully(ch, ByteBuffer.wrap(key), HEADER) ? new String(key, StandardCharsets.UTF_8) : null;
        }
    }

    private static boolean hasMagic(ByteBuffer h) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (h.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private void removeStaleTemps(List<Path> temps) {
        long staleBefore = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        for (Path t : temps) {
            try {
                if (Files.getLastModifiedTime(t).toMillis() < staleBefore) {
                    Files.deleteIfExists(t);
                }
            } catch (IOException e) {
                // gone already (renamed into place or removed by another process), or not ours to touch
                LOG.debug("file cache {}: could not remove temp file {}", dir, t, e);
            }
        }
    }

    /**
     * Before a set or add: recounts when the last count is about a second old, and culls when
     * the count reaches {@code maxEntries} (see the class comment).
     */
    private void cullIfFull() {
        long now = System.nanoTime();
        long last = lastCountNanos.get();
        if (now - last >= RECOUNT_NANOS && lastCountNanos.compareAndSet(last, now)) {
            entryEstimate.set(listDirectory().entries.size());
        }
        if (entryEstimate.get() < maxEntries) {
            return;
        }
        cullLock.lock();
        try {
            if (entryEstimate.get() < maxEntries) {
                return; // another thread culled meanwhile
            }
            Listing l = listDirectory();
            lastCountNanos.set(System.nanoTime());
            entryEstimate.set(l.entries.size());
            if (l.entries.size() >= maxEntries) {
                cull(l);
            }
        } finally {
            cullLock.unlock();
        }
    }

    private void cull(Listing l) {
        long now = clock.millis();
        long count = l.entries.size();
        List<Candidate> live = new ArrayList<>();
        for (Path p : l.entries) {
            try {
                FileTime mtime = Files.getLastModifiedTime(p);
                Entry e = read(p, null, false, now);
                if (e.state == State.MISSING) {
                    count--;
                } else if (e.isStale()) {
                    if (removeStale(p, stripeOf(p), null)) {
                        count--;
                    }
                } else {
                    live.add(new Candidate(p, mtime.toMillis()));
                }
            } catch (NoSuchFileException e) {
                count--;
            } catch (IOException e) {
                LOG.debug("file cache {}: cannot read {} while culling", dir, p, e);
            }
        }
        removeStaleTemps(l.temps);
        if (count < maxEntries) {
            entryEstimate.set(count);
            return;
        }
        long toDelete = Culling.toRemove(count, maxEntries, cullFrequency);
        if (toDelete >= count) {
            lockAll(this::deleteEverything);
            return;
        }
        live.sort(Comparator.comparingLong((Candidate c) -> c.mtime).thenComparing(c -> c.path));
        for (int i = 0; i < live.size() && toDelete > 0; i++) {
            try {
                // eviction may take any entry at any time, so this needs no stripe
                if (Files.deleteIfExists(live.get(i).path)) {
                    count--;
                }
                toDelete--;
            } catch (IOException e) {
                LOG.debug("file cache {}: cannot cull {}", dir, live.get(i).path, e);
            }
        }
        entryEstimate.set(count);
    }

    /** A live entry file considered for culling. */
    private static final class Candidate {
        final Path path;
        final long mtime;

        Candidate(Path path, long mtime) {
            this.path = path;
            this.mtime = mtime;
        }
    }
}
