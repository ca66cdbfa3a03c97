package dev.cachet.benchmarks;

import dev.cachet.Cache;
import dev.cachet.Caches;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The file backend's {@code delete} against its floor: one {@code unlink} of a file of the same
 * size in a directory of the same file system, from Java. cachet's delete also takes the key's
 * cross-process lock, checks that the entry was live and keeps its count; this tells what that
 * adds to the system call that any file cache's delete makes (Django's {@code FileBasedCache}
 * makes that one call).
 *
 * <p>Each round writes {@code --keys} entries through the cache and as many plain files, then
 * deletes them one by one, alternating cachet and the raw unlink call by call, each timed alone;
 * prints each round's p50 of both and their ratio, then the medians over rounds.
 *
 * <pre>java -cp cachet-benchmarks/target/benchmarks.jar dev.cachet.benchmarks.FileDeleteFloor [--rounds 7] [--keys 3000] [--dir /tmp]</pre>
 */
public final class FileDeleteFloor {
    public static void main(String[] args) throws IOException {
        int rounds = 7;
        int keys = 3000;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--keys" -> keys = Integer.parseInt(args[++i]);
                case "--dir" -> parent = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--rounds N, --keys N, --dir PATH)");
            }
        }
        Path cacheDir = Files.createTempDirectory(parent, "cachet-delete-");
        Path rawDir = Files.createTempDirectory(parent, "raw-delete-");
        String value = Workload.smallValue();
        List<Double> cachetP50 = new ArrayList<>();
        List<Double> rawP50 = new ArrayList<>();
        try (Cache cache = Caches.open("file:" + cacheDir + "?timeout=3600&max_entries=1000000")) {
            cache.set("probe", value);
            byte[] entry = entryBytes(cacheDir);
            cache.clear();
            File raw = rawDir.toFile();
            System.out.printf("%-6s %14s %14s %8s%n", "round", "cachet_p50_us", "unlink_p50_us", "ratio");
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < keys; i++) {
                    cache.set("k" + i, value);
                    Files.write(rawDir.resolve("f" + i), entry);
                }
                long[] c = new long[keys];
                long[] u = new long[keys];
                for (int i = 0; i < keys; i++) {
                    long t0 = System.nanoTime();
                    boolean gone = cache.delete("k" + i);
                    long t1 = System.nanoTime();
                    boolean unlinked = new File(raw, "f" + i).delete();
                    long t2 = System.nanoTime();
                    if (!gone || !unlinked) {
                        throw new IllegalStateException("a delete found nothing to remove (cachet " + gone + ", unlink " + unlinked + ")");
                    }
                    c[i] = t1 - t0;
                    u[i] = t2 - t1;
                }
                double cp = p50(c);
                double up = p50(u);
                cachetP50.add(cp);
                rawP50.add(up);
                if (r > 0) { // the first round warms up the JIT
                    System.out.printf("%-6d %14.1f %14.1f %7.2fx%n", r, cp, up, cp / up);
                }
            }
            double cm = median(cachetP50.subList(1, rounds));
            double um = median(rawP50.subList(1, rounds));
            System.out.printf("%-6s %14.1f %14.1f %7.2fx%n", "median", cm, um, cm / um);
        } finally {
            deleteTree(cacheDir);
            deleteTree(rawDir);
        }
    }

    /** The one entry file the cache wrote: what the raw side writes too, so both delete files of one size. */
    private static byte[] entryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> entries = files.filter(p -> p.getFileName().toString().endsWith(".cachet")).toList();
            if (entries.size() != 1) {
                throw new IllegalStateException("expected one entry file in " + dir + ", found " + entries);
            }
            return Files.readAllBytes(entries.get(0));
        }
    }

    private static double p50(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1000.0;
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private FileDeleteFloor() {
    }
}
