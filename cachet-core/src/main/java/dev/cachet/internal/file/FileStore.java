package dev.cachet.internal.file;

import dev.cachet.internal.file.EntryFile.Contents;
import dev.cachet.internal.file.EntryFile.State;
import dev.cachet.spi.BulkFailures;
import dev.cachet.spi.DecimalValues;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.PartialFailureException;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import dev.cachet.spi.StoreCapabilities;
import dev.cachet.spi.StoreException;
import dev.cachet.spi.StoreStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The file backend (Django's FileBasedCache, done right): one file per key in one directory,
 * safe to share between threads and between processes on one machine. This class holds the
 * {@link Store} operations; the rules live with the class that keeps them:
 * <ul>
 *   <li>{@link EntryFile}: the files (names, format, the checks of a read) and atomicity
 *       (every write goes through a temp file renamed over the entry);</li>
 *   <li>{@link SharedDirectory}: locking (stripe locks within and across processes), and what
 *       every store of this JVM on one directory shares, the entry-count estimate among it;</li>
 *   <li>{@link DirectoryCleaner}: culling ({@code MAX_ENTRIES} / {@code CULL_FREQUENCY},
 *       bounding the directory as Django's does), clearing and stale temp files.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * An unusable directory (cannot be created, not a directory, not writable) fails the
 * constructor with an {@link IllegalArgumentException} naming it. I/O failures throw
 * {@link StoreException} naming the operation and the path. The bulk calls go on past a key
 * that fails and then throw a {@link PartialFailureException} with what they did (a plain
 * failure when no key succeeded), as {@link BulkFailures} rules. Deleting
 * the directory under a running store is not supported: writes then fail. Thread-safe.
 */
public final class FileStore implements Store {
    private final Path dir;
    private final StoreCapabilities capabilities;
    private final Clock clock;
    private final SharedDirectory shared;
    private final DirectoryCleaner cleaner;
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
        this.capabilities = new StoreCapabilities(maxItemBytes, true, false, false, false);
        this.dir = usableDirectory(dir);
        this.shared = SharedDirectory.acquire(this.dir);
        this.cleaner = new DirectoryCleaner(this.dir, shared, clock, maxEntries, cullFrequency);
        try {
            cleaner.recount();
        } catch (RuntimeException e) {
            shared.release();
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
        return EntryFile.ofKey(dir, key).path;
    }

    @Override
    public StoreCapabilities capabilities() {
        return capabilities;
    }

    // ---- reads ----

    @Override
    public byte[] get(String key) {
        EntryFile f = entryFile(key);
        Contents e = read(f, true, "read");
        if (e.state == State.LIVE) {
            return e.value;
        }
        if (e.isStale()) {
            cleaner.removeStale(f);
        }
        return null;
    }

    @Override
    public boolean has(String key) {
        EntryFile f = entryFile(key);
        Contents e = read(f, false, "read");
        if (e.isStale()) {
            cleaner.removeStale(f);
        }
        return e.state == State.LIVE;
    }

    @Override
    public Map<String, byte[]> getMany(Collection<String> keys) {
        Map<String, byte[]> out = new LinkedHashMap<>(keys.size() * 2);
        BulkFailures failures = new BulkFailures();
        for (String k : keys) {
            try {
                byte[] v = get(k);
                if (v != null) {
                    out.put(k, v);
                }
            } catch (StoreException e) {
                failures.add(List.of(k), e);
            }
        }
        failures.throwIfAny(failures.keys().size() >= keys.size(), f -> PartialFailureException.ofGetMany(out, f.keys(),
                "file cache " + dir + ": get_many: " + f.first().getMessage(), f.first()));
        return out;
    }

    // ---- writes ----

    @Override
    public boolean put(String key, byte[] value, long expiresAt, PutMode mode) {
        Objects.requireNonNull(value, "value must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        EntryFile f = entryFile(key);
        if (mode != PutMode.REPLACE) {
            cleaner.cullIfFull();
        }
        return shared.locked(f.stripe, f.path, "write", () -> {
            boolean existed;
            if (mode == PutMode.SET) {
                existed = Files.exists(f.path, LinkOption.NOFOLLOW_LINKS);
            } else {
                Contents e = f.read(false, clock.millis());
                boolean live = e.state == State.LIVE;
                if (mode == PutMode.ADD ? live : !live) {
                    removeLockedIfStale(f, e);
                    return false;
                }
                existed = e.state != State.MISSING;
            }
            write(f, value, expiresAt, existed);
            return true;
        });
    }

    @Override
    public Set<String> putMany(Map<String, byte[]> entries, long expiresAt) {
        BulkFailures failures = new BulkFailures();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            try {
                put(e.getKey(), e.getValue(), expiresAt, PutMode.SET);
            } catch (StoreException ex) {
                failures.add(List.of(e.getKey()), ex);
            }
        }
        failures.throwIfAny(failures.keys().size() >= entries.size(), f -> PartialFailureException.ofPutMany(f.keys(),
                "file cache " + dir + ": set_many: " + f.first().getMessage(), f.first()));
        return Set.of();
    }

    @Override
    public boolean touch(String key, long expiresAt) {
        EntryFile f = entryFile(key);
        return shared.locked(f.stripe, f.path, "touch", () -> {
            Contents e = f.read(true, clock.millis());
            if (e.state != State.LIVE) {
                removeLockedIfStale(f, e);
                return false;
            }
            write(f, e.value, expiresAt, true);
            return true;
        });
    }

    @Override
    public Long incr(String key, long delta) {
        EntryFile f = entryFile(key);
        return shared.locked(f.stripe, f.path, "incr", () -> {
            Contents e = f.read(true, clock.millis());
            if (e.state != State.LIVE) {
                removeLockedIfStale(f, e);
                return null;
            }
            long next = Math.addExact(DecimalValues.parse(e.value), delta);
            write(f, DecimalValues.bytes(next), e.expiresAt, true);
            return next;
        });
    }

    /**
     * Under the key's stripe lock, as every write of the key: no incr, touch or replace that
     * read the entry before can write it back after, and the entry judged is the one removed.
     * A live entry written with the deadline hint costs one {@code lstat} and one
     * {@code unlink} besides the lock (see {@link EntryFile#liveness}); an expired, corrupt or
     * foreign file is removed too, and answers false.
     */
    @Override
    public boolean delete(String key) {
        EntryFile f = entryFile(key);
        return shared.locked(f.stripe, f.path, "delete", () -> {
            State s = f.liveness(clock.millis());
            return s != State.MISSING && shared.deleteEntry(f.path) && s == State.LIVE;
        });
    }

    /**
     * Read, compare and delete all under the key's stripe lock (in this process and across
     * processes), the lock every write of the key takes, so no write lands between them. An
     * expired or corrupt file is not readable: false (and it is removed as a stale one).
     */
    @Override
    public boolean deleteIfEquals(String key, byte[] expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        EntryFile f = entryFile(key);
        return shared.locked(f.stripe, f.path, "delete (if equals)", () -> {
            Contents e = f.read(true, clock.millis());
            if (e.state != State.LIVE) {
                removeLockedIfStale(f, e);
                return false;
            }
            return Arrays.equals(e.value, expected) && shared.deleteEntry(f.path);
        });
    }

    @Override
    public int deleteMany(Collection<String> keys) {
        int removed = 0;
        BulkFailures failures = new BulkFailures();
        for (String k : keys) {
            try {
                if (delete(k)) {
                    removed++;
                }
            } catch (StoreException e) {
                failures.add(List.of(k), e);
            }
        }
        int count = removed;
        failures.throwIfAny(failures.keys().size() >= keys.size(), f -> PartialFailureException.ofDeleteMany(count,
                f.keys(), "file cache " + dir + ": delete_many: " + f.first().getMessage(), f.first()));
        return removed;
    }

    @Override
    public void clear(KeyScope scope) {
        ensureOpen();
        cleaner.clear(scope);
    }

    @Override
    public long expiresAt(String key) {
        Contents e = read(entryFile(key), false, "read");
        return e.state == State.LIVE ? e.expiresAt : NO_ENTRY;
    }

    @Override
    public StoreStats stats(KeyScope scope) {
        ensureOpen();
        return DirectoryInspection.stats(dir, cleaner.entryFiles(), scope, clock.millis());
    }

    @Override
    public Optional<List<String>> keys(KeyScope scope, int limit) {
        ensureOpen();
        return Optional.of(DirectoryInspection.keys(cleaner.entryFiles(), scope, clock.millis(), limit));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        shared.release();
    }

    @Override
    public String toString() {
        return "FileStore[" + dir + "]";
    }

    // ---- helpers ----

    private EntryFile entryFile(String key) {
        Objects.requireNonNull(key, "key must not be null");
        ensureOpen();
        return EntryFile.ofKey(dir, key);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("file cache " + dir + " is closed");
        }
    }

    private Contents read(EntryFile f, boolean withValue, String op) {
        try {
            return f.read(withValue, clock.millis());
        } catch (IOException e) {
            throw new StoreException("file cache: cannot " + op + " " + f.path + ": " + e, e);
        }
    }

    /** Writes {@code f} (its stripe held), counting it in the directory's estimate when it is new. */
    private void write(EntryFile f, byte[] value, long expiresAt, boolean existed) throws IOException {
        f.write(value, expiresAt);
        if (!existed) {
            shared.added();
        }
    }

    /** Removes {@code f} (its stripe held) when what was read from it is expired or corrupt. */
    private void removeLockedIfStale(EntryFile f, Contents e) throws IOException {
        if (e.isStale()) {
            shared.deleteEntry(f.path);
        }
    }
}
