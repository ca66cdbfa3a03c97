package dev.cachet.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The internal boundary, checked over every module's sources: {@code dev.cachet.internal} and
 * its sub-packages belong to {@code cachet-core}, {@code dev.cachet.X.internal} to
 * {@code cachet-X}; no other module, main or test, names them. (A build check rather than
 * {@code module-info.java}: cachet's modules and their users run on the class path, where a
 * module descriptor enforces nothing, and Lettuce's Netty 4.1 jars are automatic modules.)
 */
class InternalBoundaryTest {
    private static final Pattern INTERNAL = Pattern.compile("dev\\.cachet\\.(?:([a-z0-9_]+)\\.)?internal\\b");

    @Test
    void noModuleReachesIntoAnotherModulesInternals() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("cachet-core/src/main/java/dev/cachet/internal")).isDirectory();
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("cachet-")).toList()) {
                Path src = module.resolve("src");
                if (!Files.isDirectory(src)) {
                    continue;
                }
                String name = module.getFileName().toString();
                try (Stream<Path> sources = Files.walk(src)) {
                    for (Path f : sources.filter(p -> p.toString().endsWith(".java")
                            && !p.getFileName().toString().equals("InternalBoundaryTest.java")).toList()) {
                        files++;
                        violations.addAll(violations(name, root.relativize(f), read(f)));
                    }
                }
            }
        }
        assertThat(files).isGreaterThan(100);
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckSeesAForeignReference() {
        assertThat(violations("cachet-redis", Path.of("X.java"), "import dev.cachet.internal.CoreCache;"))
                .singleElement().asString().contains("cachet-core");
        assertThat(violations("cachet-cli", Path.of("X.java"), "var s = new dev.cachet.jdbc.internal.JdbcStore();"))
                .singleElement().asString().contains("cachet-jdbc");
        assertThat(violations("cachet-jdbc", Path.of("X.java"), "import dev.cachet.jdbc.internal.Sql;")).isEmpty();
        assertThat(violations("cachet-core", Path.of("X.java"), "import dev.cachet.internal.entry.EntryFormat;")).isEmpty();
    }

    /** The references in {@code text} (a source file of {@code module}) to another module's internals. */
    private static List<String> violations(String module, Path file, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = INTERNAL.matcher(text);
        while (m.find()) {
            String owner = m.group(1) == null ? "cachet-core" : "cachet-" + m.group(1);
            if (!owner.equals(module)) {
                int line = text.substring(0, m.start()).split("\n", -1).length;
                out.add(file + ":" + line + " (" + module + ") names " + m.group() + ", which belongs to " + owner);
            }
        }
        return out;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
