package dev.cachet.internal.file;

import dev.cachet.spi.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One entry file of a {@link FileStore} directory, and the on-disk entry format: the file's
 * name from its key, the stripe that guards it, reading it with all its checks, and writing
 * it through a temp file.
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
 * effort, by the store); a file of another format version is a miss but is left to its writer.
 * Expiry is checked on every read against the injected {@link Clock}.
 *
 * <h2>The deadline hint</h2>
 * A writer also sets the file's last-access time to the entry's deadline (capped at the year
 * 2200, where {@code Long.MAX_VALUE}, never, lands too) plus {@value #HINT_NANOS} ns, a
 * sub-millisecond part that marks the time as a hint: a time the file system set itself (a
 * read under {@code relatime} or {@code strictatime}, a copy) carries it only by a one in a
 * million chance. {@link #liveness} trusts the hint only to say "live": when it is marked and
 * after now, the entry is live without opening the file (one {@code lstat} instead of an
 * open, a read and a close, which is what makes a delete as cheap as Django's). Anything else
 * (no mark, a deadline reached, a file system that keeps coarser times, which truncate and so
 * drop the mark) reads the header, as every other operation does. A file system can only
 * store a time at or below the one set, so a marked time after now means a deadline after now;
 * the hint can mislead only about a file changed behind the cache's back (its bytes damaged
 * but its times kept). The modification time is left as written: culling orders by it. Files
 * of writers without the hint are read as before.
 *
 * <h2>Atomicity</h2>
 * A cache file is never modified in place: every write (set, add, replace, touch, incr) goes to
 * a fresh temp file {@code .cachet-tmp-<random>} in the same directory, which is then renamed
 * over the entry ({@code ATOMIC_MOVE}). A reader opens either the old or the new file, never a
 * half-written one. A crash leaves at most a temp file, which clear and culling remove once it
 * is older than {@value DirectoryCleaner#STALE_TEMP_MILLIS} ms (see {@link DirectoryCleaner}).
 *
 * <p>An instance names one file: made from a key ({@link #ofKey}) it also checks, on read,
 * that the file holds that key; made from a listed file name ({@link #ofListed}, for culling,
 * which knows only names) it does not. Immutable; the file operations are safe from any thread,
 * but writes must hold the file's stripe (see {@link SharedDirectory}).
 */
final class EntryFile {
    static final String SUFFIX = ".cachet";
    static final String TEMP_PREFIX = ".cachet-tmp-";
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'C', 'A', 'C', 'H', 'E', 'T'};
    /** magic, version, expiresAt, keyLength, valueLength. */
    static final int HEADER = MAGIC.length + 1 + 8 + 2 + 4;
    /** The sub-millisecond part of a last-access time that marks it as a deadline hint. */
    static final int HINT_NANOS = 271_828;
    /**
     * The latest deadline hinted as itself (2200-01-01T00:00:00Z); later ones, never included,
     * are hinted as this (the JDK sets file times as nanoseconds in a long, which end in 2262).
     */
    static final long HINT_MAX_MILLIS = 7_258_118_400_000L;
    private static final int HASH_HEX = 64;
    private static final int IO_CHUNK = 64 * 1024;
    private static final HexFormat HEX = HexFormat.of();
    private static final Logger LOG = LoggerFactory.getLogger(EntryFile.class);

    /** The file. */
    final Path path;
    /** Its stripe, {@code 0 .. }{@value SharedDirectory#STRIPES}{@code - 1}: the first byte of the key's hash. */
    final int stripe;
    /** The key's UTF-8, or null when known only by the file name. */
    private final byte[] key;

    private EntryFile(Path path, int stripe, byte[] key) {
        this.path = path;
        this.stripe = stripe;
        this.key = key;
    }

    /**
     * The file of {@code key} in {@code dir}.
     *
     * @throws IllegalArgumentException when the key's UTF-8 is longer than the format holds
     */
    static EntryFile ofKey(Path dir, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > 0xffff) {
            throw new IllegalArgumentException("file cache " + dir + ": key of " + k.length + " UTF-8 bytes is too long");
        }
        byte[] hash = Sha256.digest(k);
        return new EntryFile(dir.resolve(HEX.formatHex(hash) + SUFFIX), hash[0] & 0xff, k);
    }

    /** A listed file whose name {@link #isEntryName is an entry's}; its key is unknown, so reads do not compare it. */
    static EntryFile ofListed(Path entryFile) {
        return new EntryFile(entryFile, Integer.parseInt(entryFile.getFileName().toString().substring(0, 2), 16), null);
    }

    /** True when {@code fileName} is an entry file's name: 64 lower-case hex digits and {@code .cachet}. */
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

    /** True when {@code fileName} is a temp file's name (a write in progress, or left by a crash). */
    static boolean isTempName(String fileName) {
        return fileName.startsWith(TEMP_PREFIX);
    }

    // ---- reading ----

    /** What a read found in a file. */
    enum State {
        /** No file. */
        MISSING,
        /** Not a whole entry of this format, or another key's. */
        CORRUPT,
        /** Another format version: a miss, left to its writer. */
        FOREIGN,
        /** An entry whose deadline has passed. */
        EXPIRED,
        /** A readable entry. */
        LIVE
    }

    /** What a file holds: its state, and for a readable entry its deadline (and value, if read). Immutable. */
    static final class Contents {
        static final Contents MISSING = new Contents(State.MISSING, 0, null);
        static final Contents CORRUPT = new Contents(State.CORRUPT, 0, null);
        static final Contents FOREIGN = new Contents(State.FOREIGN, 0, null);

        final State state;
        final long expiresAt;
        final byte[] value;

        Contents(State state, long expiresAt, byte[] value) {
            this.state = state;
            this.expiresAt = expiresAt;
            this.value = value;
        }

        /** Expired or corrupt: nobody can read it, so it may be removed. */
        boolean isStale() {
            return state == State.EXPIRED || state == State.CORRUPT;
        }
    }

    /**
     * Reads the file with every check of the format (the key only when this instance knows
     * it), as of {@code now}; the value only when {@code withValue} and the entry is live.
     *
     * @throws IOException when the file exists but cannot be read
     */
    Contents read(boolean withValue, long now) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Contents.MISSING;
        }
        try (ch) {
            long size = ch.size();
            if (size < HEADER) {
                return Contents.CORRUPT;
            }
            int want = (int) Math.min(size, HEADER + (key == null ? 0 : key.length));
            ByteBuffer h = ByteBuffer.allocate(want);
            if (!readFully(ch, h, 0)) {
                return Contents.CORRUPT;
            }
            if (!hasMagic(h)) {
                return Contents.CORRUPT;
            }
            if ((h.get(MAGIC.length) & 0xff) != FORMAT_VERSION) {
                return Contents.FOREIGN;
            }
            long expiresAt = h.getLong(MAGIC.length + 1);
            int keyLength = h.getShort(MAGIC.length + 9) & 0xffff;
            int valueLength = h.getInt(MAGIC.length + 11);
            if (valueLength < 0 || size != (long) HEADER + keyLength + valueLength) {
                return Contents.CORRUPT;
            }
            if (key != null) {
                if (keyLength != key.length) {
                    return Contents.CORRUPT;
                }
                for (int i = 0; i < keyLength; i++) {
                    if (h.get(HEADER + i) != key[i]) {
                        return Contents.CORRUPT;
                    }
                }
            }
            if (expiresAt <= now) {
                return new Contents(State.EXPIRED, expiresAt, null);
            }
            if (!withValue) {
                return new Contents(State.LIVE, expiresAt, null);
            }
            byte[] value = new byte[valueLength];
            if (!readFully(ch, ByteBuffer.wrap(value), HEADER + keyLength)) {
                return Contents.CORRUPT;
            }
            return new Contents(State.LIVE, expiresAt, value);
        }
    }

    /**
     * Whether the file holds a live entry as of {@code now}: {@link State#LIVE} from its
     * deadline hint alone when that is marked and after now (see the class comment; the size
     * must also hold at least a header and the key), {@link State#MISSING} when there is no
     * file, else the state {@link #read} finds. One {@code lstat} for a live entry written with
     * the hint.
     *
     * @throws IOException when the file exists but cannot be read
     */
    State liveness(long now) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return State.MISSING;
        }
        if (a.isRegularFile() && a.size() >= HEADER + (key == null ? 0 : key.length) && hintSaysLive(a.lastAccessTime(), now)) {
            return State.LIVE;
        }
        return read(false, now).state;
    }

    /** True when {@code accessTime} is a deadline hint ({@link #HINT_NANOS}) after {@code now}. */
    static boolean hintSaysLive(FileTime accessTime, long now) {
        Instant t = accessTime.toInstant();
        return t.getNano() % 1_000_000 == HINT_NANOS && t.toEpochMilli() > now;
    }

    /** The last-access time that hints {@code expiresAt}. */
    static FileTime hintOf(long expiresAt) {
        return FileTime.from(Instant.ofEpochMilli(Math.min(expiresAt, HINT_MAX_MILLIS)).plusNanos(HINT_NANOS));
    }

    /**
     * The key the file holds, or null when it holds none (gone, corrupt, foreign); the deadline
     * and the length checks are not applied.
     *
     * @throws IOException when the file exists but cannot be read
     */
    String readKey() throws IOException {
        Header h = readHeader();
        return h == null ? null : h.key();
    }

    /**
     * What a listed file's header says: its key, deadline and value length.
     *
     * @param key the key
     * @param expiresAt the deadline, epoch millis ({@link Long#MAX_VALUE} for never)
     * @param valueLength the value's length in bytes
     * @param fileBytes the file's size
     */
    record Header(String key, long expiresAt, int valueLength, long fileBytes) {
    }

    /**
     * The file's header, or null when it holds no entry of this format (gone, corrupt, foreign);
     * the deadline and the length checks are not applied.
     *
     * @throws IOException when the file exists but cannot be read
     */
    Header readHeader() throws IOException {
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
            byte[] k = new byte[h.getShort(MAGIC.length + 9) & 0xffff];
            if (!readFully(ch, ByteBuffer.wrap(k), HEADER)) {
                return null;
            }
            return new Header(new String(k, StandardCharsets.UTF_8), h.getLong(MAGIC.length + 1),
                    h.getInt(MAGIC.length + 11), ch.size());
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

    // ---- writing (callers hold the file's stripe) ----

    /**
     * Writes the entry {@code value} until {@code expiresAt} to a fresh temp file beside the
     * entry and renames it over the entry; the temp file is removed when that fails. Needs a
     * key ({@link #ofKey}).
     *
     * @throws IOException when the temp file cannot be created, written or renamed
     */
    void write(byte[] value, long expiresAt) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(HEADER + key.length);
        head.put(MAGIC).put((byte) FORMAT_VERSION).putLong(expiresAt).putShort((short) key.length)
                .putInt(value.length).put(key).flip();
        Path tmp = null;
        FileChannel ch = null;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                Path candidate = path.resolveSibling(TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong()));
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
            hintDeadline(tmp, expiresAt);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Sets the deadline hint on {@code file} (see the class comment), its modification time
     * kept. Best effort: without it a delete reads the header.
     */
    private static void hintDeadline(Path file, long expiresAt) {
        try {
            Files.getFileAttributeView(file, BasicFileAttributeView.class).setTimes(null, hintOf(expiresAt), null);
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not set the deadline hint of {}", file, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.debug("could not delete {}", p, e);
        }
    }

    // ---- chunked I/O ----

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
}
