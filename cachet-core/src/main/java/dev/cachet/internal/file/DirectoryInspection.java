package dev.cachet.internal.file;

import dev.cachet.spi.KeyScope;
import dev.cachet.spi.StoreException;
import dev.cachet.spi.StoreStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link FileStore}'s directory holds, read file by file without a lock (a file's name is
 * its key's hash, so a path only ever holds that key's entry): the figures of {@code cachet
 * stats} and the keys of {@code cachet keys}. A file that vanishes or is being replaced while
 * it is read is skipped.
 */
final class DirectoryInspection {
    private DirectoryInspection() {
    }

    /**
     * The readable entries {@code scope} owns and their value bytes, with the directory's own
     * figures (every entry file, of any cache, and their size on disk) as details.
     */
    static StoreStats stats(Path dir, List<Path> files, KeyScope scope, long now) {
        long entries = 0;
        long bytes = 0;
        long allFiles = 0;
        long allBytes = 0;
        for (Path p : files) {
            EntryFile.Header h = header(p);
            if (h == null) {
                continue;
            }
            allFiles++;
            allBytes += h.fileBytes();
            if (h.expiresAt() > now && scope.owns(h.key())) {
                entries++;
                bytes += h.valueLength();
            }
        }
        return new StoreStats(entries, bytes, List.of(new StoreStats.Detail("directory", dir.toString()),
                new StoreStats.Detail("directory files", Long.toString(allFiles)),
                new StoreStats.Detail("directory bytes", Long.toString(allBytes))));
    }

    /** Up to {@code limit} keys of readable entries {@code scope} owns. */
    static List<String> keys(List<Path> files, KeyScope scope, long now, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, not " + limit);
        }
        List<String> keys = new ArrayList<>();
        for (Path p : files) {
            if (keys.size() >= limit) {
                break;
            }
            EntryFile.Header h = header(p);
            if (h != null && h.expiresAt() > now && scope.owns(h.key())) {
                keys.add(h.key());
            }
        }
        return keys;
    }

    private static EntryFile.Header header(Path p) {
        try {
            return EntryFile.ofListed(p).readHeader();
        } catch (IOException e) {
            throw new StoreException("file cache: cannot read " + p + ": " + e, e);
        }
    }
}
