package dev.cachet.internal.file;

import dev.cachet.spi.StoreException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link FileStore} of this JVM on one directory shares: the stripe locks (the
 * in-process locks, and the single channel on the lock file that holds the file locks), and
 * the directory's entry-count estimate with its last recount time and the cull lock (see
 * {@link DirectoryCleaner}: the bound on the entry count is the directory's, as in Django, not
 * one store's). {@link #acquire} finds or opens it, keyed by the lock file's identity (device
 * and inode where the platform has them), so two spellings of one directory share it; each
 * acquire is paired with one {@link #release}, and the last release closes the lock channel.
 * Thread-safe.
 *
 * <h2>Locking</h2>
 * Every mutation of a key (every put mode, touch, incr, delete, and the removal of a stale
 * file) holds that key's stripe lock ({@link #locked}), one of {@value #STRIPES} chosen by the
 * first byte of the key's hash ({@link EntryFile#stripe}): an in-process {@link ReentrantLock},
 * then an exclusive {@link FileLock} on byte {@code stripe} of {@code <dir>/.cachet-lock},
 * which excludes other processes. Reads take no lock. SET and delete take the lock too,
 * although a rename or an unlink alone is atomic: otherwise an incr, touch or replace that read
 * the old value could rename its result over a concurrent set (losing the set, or bringing back
 * the value it replaced), an add over an expired entry could overwrite a value set a moment
 * before, and an incr that read before a delete would write the key back after it; and delete
 * must see whether the entry it removes was readable. The lock costs one {@code fcntl} per
 * write, small beside creating and renaming a file. Clear holds every stripe ({@link #lockAll},
 * one range lock across processes), so no incr survives a clear it overlapped. Culling evicts
 * live entries without their stripe (a cache may evict anything at any moment), but removes
 * expired ones only under it, after checking again. No thread ever holds two stripes, so
 * stripes cannot deadlock. The in-process locks, and the one channel that holds the file
 * locks, are shared by every {@code FileStore} of this JVM on the same directory (file locks
 * belong to the whole process: two channels on one file would throw on overlap, and closing
 * either would drop the other's locks). The lock file itself is never deleted. Cross-process
 * exclusion relies on POSIX record locks, so the directory should be on a local file system.
 * An interrupt that arrives while a thread waits for a file lock fails that call with a
 * {@link StoreException} (the interrupt status is kept); since the JDK then closes the shared
 * channel, other processes may briefly not be excluded from stripes this JVM held at that
 * moment; the channel is reopened on next use.
 */
final class SharedDirectory {
    static final String LOCK_FILE = ".cachet-lock";
    static final int STRIPES = 256;
    private static final long RECOUNT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int DEADLOCK_RETRIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SharedDirectory.class);
    private static final Map<Object, SharedDirectory> OPEN = new HashMap<>();

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final Object id;
    private final Path file;
    private FileChannel channel;
    private int users;
    private boolean released;

    private final AtomicLong entryEstimate = new AtomicLong();
    private final AtomicLong lastCountNanos = new AtomicLong(System.nanoTime());
    /** Held while one store of this JVM culls the directory. */
    final ReentrantLock cullLock = new ReentrantLock();

    private SharedDirectory(Object id, Path file, FileChannel channel) {
        this.id = id;
        this.file = file;
        this.channel = channel;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * The shared state of {@code dir} (an existing, real directory), creating its lock file if
     * missing; one more user until {@link #release}.
     *
     * @throws IllegalArgumentException when the lock file cannot be created
     * @throws StoreException when it cannot be opened
     */
    static SharedDirectory acquire(Path dir) {
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
            SharedDirectory s = OPEN.get(id);
            if (s == null) {
                s = new SharedDirectory(id, file, openChannel(file));
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

    /** One user fewer; the last one closes the lock channel, and this instance is not used again. */
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

    // ---- stripes ----

    /** An I/O action run under a lock. */
    @FunctionalInterface
    interface LockedAction<T> {
        /** The action; an {@link IOException} it throws becomes a {@link StoreException}. */
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding stripe {@code stripe}, here and in other processes.
     *
     * @throws StoreException naming {@code op} and {@code path} when the action throws an
     *     {@link IOException}, or when the lock cannot be taken
     * @throws IllegalStateException when every store of the directory is closed
     */
    <T> T locked(int stripe, Path path, String op, LockedAction<T> action) {
        ReentrantLock local = stripes[stripe];
        local.lock();
        try {
            FileLock fileLock = lockFile(stripe, 1);
            try {
                return action.run();
            } catch (IOException e) {
                throw new StoreException("file cache: cannot " + op + " " + path + ": " + e, e);
            } finally {
                unlockFile(fileLock);
            }
        } finally {
            local.unlock();
        }
    }

    /** Runs {@code action} holding every stripe, here and (one range lock) in other processes. */
    void lockAll(Runnable action) {
        int held = 0;
        try {
            for (; held < STRIPES; held++) {
                stripes[held].lock();
            }
            FileLock fileLock = lockFile(0, STRIPES);
            try {
                action.run();
            } finally {
                unlockFile(fileLock);
            }
        } finally {
            while (held > 0) {
                stripes[--held].unlock();
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
    private FileLock lockFile(long position, long size) {
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
                        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000, 2_000_000));
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

    private static boolean isDeadlockFalseAlarm(IOException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("deadlock");
    }

    private void unlockFile(FileLock lock) {
        try {
            lock.release();
        } catch (ClosedChannelException e) {
            // the channel closed (interrupt or last close): the lock went with it
        } catch (IOException e) {
            LOG.warn("file cache: could not release a lock on {}: {}", file, e.toString(), e);
        }
    }

    // ---- the entry-count estimate ----

    /** The estimated number of entry files in the directory. */
    long estimate() {
        return entryEstimate.get();
    }

    /** Sets the estimate (a count that is not a fresh listing's, so the recount time stays). */
    void estimate(long count) {
        entryEstimate.set(count);
    }

    /** Sets the estimate from a listing made just now, and so restarts the recount interval. */
    void counted(long count) {
        lastCountNanos.set(System.nanoTime());
        entryEstimate.set(count);
    }

    /**
     * True when the last count is about a second old or more and the caller claimed the recount
     * (the interval restarts now; one caller among concurrent ones gets true), so the caller
     * lists the directory and passes the count to {@link #estimate(long)}.
     */
    boolean claimRecount() {
        long now = System.nanoTime();
        long last = lastCountNanos.get();
        return now - last >= RECOUNT_NANOS && lastCountNanos.compareAndSet(last, now);
    }

    /** Counts an entry file a store of this JVM created (where there was none). */
    void added() {
        entryEstimate.incrementAndGet();
    }

    /**
     * Deletes an entry file, keeping the count estimate.
     *
     * @return true when this call removed it
     * @throws IOException when it exists but cannot be deleted
     */
    boolean deleteEntry(Path entryFile) throws IOException {
        // java.io.File's delete is one unlink, where Files.deleteIfExists is an lstat and an
        // unlink; when it fails, Files.delete tells a missing file from one it cannot remove
        if (!entryFile.toFile().delete()) {
            try {
                Files.delete(entryFile);
            } catch (NoSuchFileException e) {
                return false;
            }
        }
        entryEstimate.decrementAndGet();
        return true;
    }
}
