package dev.cachet.cli.internal;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a directory holds on disk: its regular files (at any depth) and the sum of their
 * sizes. Files that vanish while it is walked are skipped.
 *
 * @param exists whether the directory exists
 * @param files the number of regular files
 * @param bytes the sum of their sizes in bytes
 */
public record DiskUsage(boolean exists, long files, long bytes) {
    /** Walks {@code dir}. */
    public static DiskUsage of(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new DiskUsage(false, 0, 0);
        }
        long[] totals = new long[2];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    totals[0]++;
                    totals[1] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return new DiskUsage(true, totals[0], totals[1]);
    }
}
