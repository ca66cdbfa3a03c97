package dev.cachet.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.cachet.AsyncCache;
import dev.cachet.Cache;
import dev.cachet.CacheStats;
import dev.cachet.Caches;
import dev.cachet.Namespace;
import dev.cachet.Timeout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * README.md's Java examples cannot drift from the API: every ```java block of the README must
 * appear verbatim, line for line, in {@link ReadmeExamples} (which the build compiles), shifted
 * by any one indentation; the examples that need no server also run here on local memory, and
 * what the README's comments promise ({@code // 1}, {@code {a=1, b=2}}...) is checked.
 */
class ReadmeExamplesTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.getParent().resolve("README.md");
    private static final Path DOCS = MODULE.resolve("src/test/java/dev/cachet/docs");
    private static final Path EXAMPLES = DOCS.resolve("ReadmeExamples.java");

    /** One ```java block of the README: its first line's number and its lines, without their common indentation. */
    record Block(int line, List<String> lines) { }

    @Test
    void everyJavaBlockOfTheReadmeIsCompiledHere() throws IOException {
        List<Block> blocks = javaBlocks(Files.readAllLines(README));
        List<List<String>> sources = exampleSources();
        assertThat(blocks).as("```java blocks in README.md").hasSizeGreaterThanOrEqualTo(11);
        List<String> missing = new ArrayList<>();
        for (Block b : blocks) {
            if (sources.stream().allMatch(source -> find(b.lines(), source) < 0)) {
                int same = sources.stream().mapToInt(source -> longestMatch(b.lines(), source)).max().orElse(0);
                missing.add("README.md:" + (b.line() + same) + ", in the block of line " + b.line() + ": "
                        + b.lines().get(same).strip());
            }
        }
        assertThat(missing).as("README blocks with no verbatim copy in any *Examples.java of " + MODULE.relativize(DOCS)
                + " (edit both alike)").isEmpty();
    }

    @Test
    void aChangedLineOrIndentationIsNotFound() throws IOException {
        List<String> source = Files.readAllLines(EXAMPLES);
        Block first = javaBlocks(Files.readAllLines(README)).get(0);
        assertThat(find(first.lines(), source)).isNotNegative();
        List<String> changed = new ArrayList<>(first.lines());
        changed.set(0, changed.get(0).replace("memory:", "memory:?x=1"));
        assertThat(find(changed, source)).isNegative();
        List<String> block = List.of("if (l.isHit()) { use(l.value()); }", "    boolean added = true;");
        assertThat(find(block, List.of("  if (l.isHit()) { use(l.value()); }", "  boolean added = true;")))
                .as("relative indentation counts").isNegative();
        assertThat(find(block, List.of("  if (l.isHit()) { use(l.value()); }", "      boolean added = true;")))
                .isZero();
        assertThat(javaBlocks(List.of("text", "```java", "  a();", "    b();", "```", "```xml", "<x/>", "```")))
                .containsExactly(new Block(3, List.of("a();", "  b();")));
    }

    @Test
    void theApiExampleDoesWhatItsCommentsSay() {
        ReadmeExamples.theApi();
        List<Object> r = ReadmeExamples.results;
        // o, s, d, added, r, deleted, found, typed, n, there, hits, v, p
        assertThat(r.subList(0, 3)).containsExactly("hello", "hello", "none");
        assertThat(ReadmeExamples.used).isEqualTo("hello");
        assertThat(r.get(3)).isEqualTo(true);
        assertThat(r.get(4)).isEqualTo(new ReadmeExamples.Report(42));
        assertThat(r.get(5)).isEqualTo(true);
        assertThat(r.get(6)).isEqualTo(Map.of("a", 1L, "b", 2L));
        assertThat(r.get(7)).isEqualTo(Map.of("a", 1L, "b", 2L));
        assertThat(r.subList(8, 13)).containsExactly(2, false, 1L, 2, ReadmeExamples.profile);
    }

    @Test
    void theOtherMemoryExamplesRun() throws Exception {
        try (Cache cache = ReadmeExamples.openOne()) {
            LongAdder reads = new LongAdder();
            Cache counted = ReadmeExamples.decorator(cache, reads);
            counted.set("k", "v");
            assertThat(counted.get("k")).isEqualTo("v");
            assertThat(reads.sum()).isEqualTo(1);

            AsyncCache async = ReadmeExamples.asyncFace(cache);
            // shares the example's load of "slow" (single flight) or reads what it stored
            assertThat(async.getOrSet("slow", String.class, () -> "other", Timeout.DEFAULT)
                    .toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("computed");

            CacheStats stats = ReadmeExamples.freshData(cache, List.of("links:user:7:page:1"), "post");
            assertThat(stats.loads()).isGreaterThanOrEqualTo(2);
            assertThat(ReadmeExamples.results.get(0)).isEqualTo(new ReadmeExamples.Page("links:user:42:page:1"));
            assertThat(ReadmeExamples.results.get(1))
                    .isEqualTo(Map.of("links:user:7:page:1", new ReadmeExamples.Page("links:user:7:page:1")));
            assertThat(cache.hasKey("post:9")).as("invalidated by its tag").isFalse();

            Namespace drafts = ReadmeExamples.namespaces(cache, new ReadmeExamples.Page("p"));
            assertThat(drafts.path()).isEqualTo("user:42/drafts");
            assertThat(cache.namespace("user:42").get("links:page:1")).as("invalidated").isNull();
            assertThat(cache.hotNamespaces(10)).containsExactly("user:42");
        }
    }

    @Test
    void expireServesThePreviousPageWhileItIsRecomputed() {
        try (Cache cache = Caches.open("memory:")) {
            long staleBefore = cache.stats().staleServed();
            Object[] seen = ReadmeExamples.expireInsteadOfInvalidate(cache);
            assertThat(seen[1]).as("the previous page").isEqualTo(seen[0]);
            assertThat(cache.stats().staleServed() - staleBefore).as("served stale").isEqualTo(1);
            assertThat(seen[2]).as("a plain read misses").isNull();
        }
    }

    /** The README's ```java blocks. */
    static List<Block> javaBlocks(List<String> readme) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).strip().equals("```java")) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < readme.size() && !readme.get(end).strip().equals("```")) {
                end++;
            }
            blocks.add(new Block(start + 1, dedent(readme.subList(start, end))));
            i = end;
        }
        return blocks;
    }

    private static List<String> dedent(List<String> lines) {
        int common = lines.stream().filter(l -> !l.isBlank()).mapToInt(ReadmeExamplesTest::indent).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(common).stripTrailing()).toList();
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    /**
     * The lines of every {@code *Examples.java} in this package: {@link ReadmeExamples} for the core API, and
     * one file per module a README section shows (so each section's examples live beside their own imports).
     */
    private static List<List<String>> exampleSources() throws IOException {
        List<List<String>> sources = new ArrayList<>();
        try (var files = Files.list(DOCS)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("Examples.java")).sorted().toList()) {
                sources.add(Files.readAllLines(f));
            }
        }
        assertThat(sources).as("*Examples.java files in " + DOCS).isNotEmpty();
        return sources;
    }

    /** The index of the first line of {@code block} that its longest partial copy in {@code source} lacks. */
    private static int longestMatch(List<String> block, List<String> source) {
        int k = 0;
        while (k < block.size() && find(block.subList(0, k + 1), source) >= 0) {
            k++;
        }
        return Math.min(k, block.size() - 1);
    }

    /**
     * Where {@code block} starts in {@code source} with every line shifted by one same
     * indentation (blank lines match blank lines), or -1.
     */
    static int find(List<String> block, List<String> source) {
        for (int i = 0; i + block.size() <= source.size(); i++) {
            String first = source.get(i);
            String shift = first.substring(0, indent(first));
            boolean all = true;
            for (int j = 0; j < block.size() && all; j++) {
                String want = block.get(j);
                String have = source.get(i + j).stripTrailing();
                all = want.isEmpty() ? have.isEmpty() : have.equals(shift + want);
            }
            if (all) {
                return i;
            }
        }
        return -1;
    }
}
