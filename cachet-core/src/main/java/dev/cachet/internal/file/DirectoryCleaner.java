package dev.cachet.internal.file;

import dev.cachet.internal.file.EntryFile.Contents;
import dev.cachet.internal.file.EntryFile.State;
import dev.cachet.spi.Culling;
import dev.cachet.spi.KeyScope;
import dev.cachet.spi.StoreException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link FileStore} does to its directory as a whole: listing it, clearing it (all
 * of it, or only the entries a {@link KeyScope} owns), removing stale temp files and stale
 * entries, and culling. The entry-count estimate, its recount time and the cull lock it uses
 * are the directory's ({@link SharedDirectory}), shared by every store of this JVM on it; the
 * limit and the frequency are this store's.
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
 * The count is the directory's, whatever wrote the entries (as Django's, which lists the
 * directory): two caches with different key prefixes on one directory are bounded together.
 * Listing the directory on every write would be slow, so every store of this JVM on the
 * directory shares one estimate of its entry count: counted when a store opens, adjusted by
 * their creates and deletes, and recounted by listing at most about once a second on a write
 * (so other processes' writes are seen), and always before culling when the estimate says the
 * limit is reached. One store of this JVM culls at a time. Between recounts, other processes'
 * writes can take the directory past the limit; two processes may cull at once (deleting more
 * than one cull would); each is harmless for a cache.
 *
 * <p>Clear and culling remove temp files older than {@value #STALE_TEMP_MILLIS} ms (by their
 * mtime on the wall clock, since file times are real time); younger ones may belong to a write
 * in progress. Thread-safe.
 */
final class DirectoryCleaner {
    static final long STALE_TEMP_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryCleaner.class);

    private final Path dir;
    private final SharedDirectory shared;
    private final Clock clock;
    private final long maxEntries;
    private final int cullFrequency;

    /** Cleans {@code dir} (whose shared state is {@code shared}), culling past {@code maxEntries} by {@code cullFrequency}. */
    DirectoryCleaner(Path dir, SharedDirectory shared, Clock clock, long maxEntries, int cullFrequency) {
        this.dir = dir;
        this.shared = shared;
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.cullFrequency = cullFrequency;
    }

    /** The entry files and the temp files of the directory. */
    private static final class Listing {
        final List<Path> entries = new ArrayList<>();
        final List<Path> temps = new ArrayList<>();
    }

    /** The entry files of the directory (not the temp files). */
    List<Path> entryFiles() {
        return listDirectory().entries;
    }

    private Listing listDirectory() {
        Listing l = new Listing();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (EntryFile.isEntryName(name)) {
                    l.entries.add(p);
                } else if (EntryFile.isTempName(name)) {
                    l.temps.add(p);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            throw new StoreException("file cache: cannot list " + dir + ": " + e, e);
        }
        return l;
    }

    /**
     * Counts the directory's entry files into the shared estimate.
     *
     * @throws StoreException when the directory cannot be listed
     */
    void recount() {
        shared.counted(listDirectory().entries.size());
    }

    // ---- clearing ----

    /**
     * Deletes the entry files whose key {@code scope} owns (every entry file for
     * {@link KeyScope#everything()}) and the stale temp files, holding every stripe while it
     * deletes. A scoped clear reads the entries' keys first, without a lock (a file's name is its
     * key's hash, so a path always holds that one key's entry), and so stalls writers only for
     * the deletions. It goes on past a file it cannot read or delete and then reports the first.
     *
     * @throws StoreException when a file could not be read or deleted
     */
    void clear(KeyScope scope) {
        if (scope.isEverything()) {
            shared.lockAll(this::deleteEverything);
            return;
        }
        Listing l = listDirectory();
        List<Path> owned = new ArrayList<>();
        IOException[] first = {null};
        Path[] firstPath = {null};
        for (Path p : l.entries) {
            try {
                String key = EntryFile.ofListed(p).readKey();
                if (key != null && scope.owns(key)) {
                    owned.add(p);
                }
            } catch (IOException e) {
                if (first[0] == null) {
                    first[0] = e;
                    firstPath[0] = p;
                }
            }
        }
        shared.lockAll(() -> {
            for (Path p : owned) {
                try {
                    shared.deleteEntry(p);
                } catch (IOException e) {
                    if (first[0] == null) {
                        first[0] = e;
                        firstPath[0] = p;
                    }
                }
            }
            removeStaleTemps(l.temps);
        });
        if (first[0] != null) {
            throw new StoreException("file cache: clear cannot read or delete " + firstPath[0] + ": " + first[0], first[0]);
        }
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
        shared.counted(0);
        if (first != null) {
            throw new StoreException("file cache: clear cannot delete " + firstPath + ": " + first, first);
        }
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
     * Removes {@code file} if it is still expired or corrupt once its stripe is held (a writer
     * may have replaced it since it was read). Best effort: failures are logged, not thrown.
     *
     * @return true when this call removed it
     */
    boolean removeStale(EntryFile file) {
        try {
            return shared.locked(file.stripe, file.path, "remove stale entry", () -> {
                Contents again = file.read(false, clock.millis());
                return again.isStale() && shared.deleteEntry(file.path);
            });
        } catch (StoreException | IllegalStateException e) {
            LOG.debug("file cache {}: could not remove stale entry {}", dir, file.path, e);
            return false;
        }
    }

    // ---- culling ----

    /**
     * Before a set or add: recounts when the directory's last count is about a second old, and
     * culls when the count reaches {@code maxEntries} (see the class comment).
     *
     * @throws StoreException when the directory cannot be listed
     */
    void cullIfFull() {
        if (shared.claimRecount()) {
            shared.estimate(listDirectory().entries.size());
        }
        if (shared.estimate() < maxEntries) {
            return;
        }
        shared.cullLock.lock();
        try {
            if (shared.estimate() < maxEntries) {
                return; // another thread culled meanwhile
            }
            Listing l = listDirectory();
            shared.counted(l.entries.size());
            if (l.entries.size() >= maxEntries) {
                cull(l);
            }
        } finally {
            shared.cullLock.unlock();
        }
    }

    private void cull(Listing l) {
        long now = clock.millis();
        long count = l.entries.size();
        List<Candidate> live = new ArrayList<>();
        for (Path p : l.entries) {
            try {
                FileTime mtime = Files.getLastModifiedTime(p);
                EntryFile file = EntryFile.ofListed(p);
                Contents e = file.read(false, now);
                if (e.state == State.MISSING) {
                    count--;
                } else if (e.isStale()) {
                    if (removeStale(file)) {
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
            shared.estimate(count);
            return;
        }
        long toDelete = Culling.toRemove(count, maxEntries, cullFrequency);
        if (toDelete >= count) {
            shared.lockAll(this::deleteEverything);
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
        shared.estimate(count);
    }

    /** A live entry file considered for culling: its path and modification time. Immutable. */
    private static final class Candidate {
        final Path path;
        final long mtime;

        Candidate(Path path, long mtime) {
            this.path = path;
            this.mtime = mtime;
        }
    }
}
