package dev.cachet.demo.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The changes made to the generated data ({@code add-feed USER FEED}, {@code update-feeds}), one
 * per line in {@code changes.log} of the data folder, replayed at start-up: the data is a
 * function of the seed and these lines, so pages cached in a previous run (SQLite keeps them)
 * still match it. The first line records the seed and scale; a folder made with others is
 * refused rather than mixed.
 */
public final class ChangeLog {
    private final Path file;

    private ChangeLog(Path file) {
        this.file = file;
    }

    /**
     * Opens the log in {@code folder} (created if missing) and replays it onto {@code data}.
     *
     * @throws IllegalArgumentException when the folder was made with another seed or scale, or a line cannot be read
     */
    public static ChangeLog open(Path folder, Dataset data) {
        Path file = folder.resolve("changes.log");
        String size = data.scale().equals(Dataset.Scale.DEFAULT) ? "default"
                : data.scale().equals(Dataset.Scale.TINY) ? "small" : data.scale().toString();
        String header = "cachet-demo seed=" + data.seed() + " size=" + size;
        try {
            Files.createDirectories(folder);
            if (!Files.exists(file)) {
                Files.writeString(file, header + "\n", StandardCharsets.UTF_8);
                return new ChangeLog(file);
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(header)) {
                throw new IllegalArgumentException("data folder " + folder + " was made with other data ("
                        + (lines.isEmpty() ? "empty log" : lines.get(0)) + "); use another --data folder, the same seed and size, or delete it");
            }
            for (int i = 1; i < lines.size(); i++) {
                replay(data, lines.get(i), file, i + 1);
            }
            return new ChangeLog(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the demo's data folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void replay(Dataset data, String line, Path file, int number) {
        String[] f = line.trim().split(" ");
        try {
            if (f.length == 3 && f[0].equals("add-feed")) {
                data.addFeed(f[1], Integer.parseInt(f[2]));
                return;
            }
            if (f.length == 1 && f[0].equals("update-feeds")) {
                data.updateFeeds();
                return;
            }
            if (line.isBlank()) {
                return;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException(file + " line " + number + ": not a change: '" + line + "'");
    }

    /** Records that {@code user} added feed {@code feed}. */
    public void feedAdded(String user, int feed) {
        append("add-feed " + user + " " + feed);
    }

    /** Records a feed update. */
    public void feedsUpdated() {
        append("update-feeds");
    }

    private synchronized void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
