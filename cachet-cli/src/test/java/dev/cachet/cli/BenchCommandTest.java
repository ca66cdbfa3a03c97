package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    private static final List<String> PER_SIZE_OPS = List.of("set", "get", "has_key", "set_many", "get_many", "add", "delete");

    private final Cli cli = Cli.real();

    @TempDir
    Path tmp;

    @AfterEach
    void close() {
        cli.close();
    }

    /** A table row, by its columns. */
    record Row(String cache, String size, String op, long n, double callsPerSecond, double mean, double p50, double p99) {
    }

    static List<Row> table(String stdout) {
        List<String> lines = stdout.lines().toList();
        assertThat(lines.get(0).split("\\s+")).containsExactly("cache", "size", "op", "N", "calls/s", "mean_us", "p50_us", "p99_us");
        List<Row> rows = new ArrayList<>();
        int width = lines.get(0).length();
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.length()).as("aligned: " + line).isEqualTo(width);
            String[] c = line.trim().split("\\s+");
            if (c.length == 9 && c[0].equals("raw")) {
                // a baseline's label, "raw <location>"
                String[] joined = new String[8];
                joined[0] = c[0] + " " + c[1];
                System.arraycopy(c, 2, joined, 1, 7);
                c = joined;
            }
            assertThat(c).as(line).hasSize(8);
            rows.add(new Row(c[0], c[1], c[2], Long.parseLong(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5]),
                    Double.parseDouble(c[6]), Double.parseDouble(c[7])));
        }
        return rows;
    }

    @Test
    void benchOfMemoryReportsEveryOpOfEverySizeWithSaneFiguresAndParsableJson() throws Exception {
        Path json = tmp.resolve("bench.json");
        Cli.Run r = cli.run("bench", "--cache", "memory:", "--seconds", "0.05", "--json", json.toString());

        assertThat(r.code()).as(r.stderr()).isZero();
        assertThat(r.stderr()).as("no progress when stderr is not a terminal").isEmpty();
        List<Row> rows = table(r.out());
        Map<String, Row> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.put(row.size() + " " + row.op(), row));
        List<String> expected = new ArrayList<>();
        for (String size : List.of("small", "large")) {
            PER_SIZE_OPS.forEach(op -> expected.add(size + " " + op));
        }
        expected.add("- incr");
        assertThat(byKey.keySet()).containsExactlyElementsOf(expected);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.cache()).isEqualTo("memory:");
            assertThat(row.n()).isGreaterThanOrEqualTo(10);
            assertThat(row.callsPerSecond()).isPositive();
            assertThat(row.mean()).isPositive();
            assertThat(row.p50()).isPositive().isLessThanOrEqualTo(row.p99());
            // one op of a memory cache takes microseconds, not seconds
            assertThat(row.p50()).isLessThan(1_000_000);
        });
        // add and delete run in the same blocks, so they count alike
        assertThat(byKey.get("small add").n()).isEqualTo(byKey.get("small delete").n());

        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        assertThat(doc).containsEntry("tool", "cachet bench").containsEntry("passed", true).containsKey("date");
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) doc.get("machine");
        assertThat((Double) machine.get("cores")).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(machine).containsEntry("java_version", System.getProperty("java.version"));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) doc.get("settings");
        assertThat(settings).containsEntry("seconds", 0.05);
        assertThat(settings.get("cache_options")).isEqualTo(Map.of("timeout", "3600", "key_prefix", "", "version", "1",
                "max_entries", "1000000", "cull_frequency", "3"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
        assertThat(results).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> res = results.get(i);
            Row row = rows.get(i);
            assertThat(res.get("cache")).isEqualTo("memory:");
            assertThat(res.get("size")).isEqualTo(row.size().equals("-") ? null : row.size());
            assertThat(res.get("op")).isEqualTo(row.op());
            assertThat(((Double) res.get("n")).longValue()).isEqualTo(row.n());
            assertThat((Double) res.get("p50_us")).isLessThanOrEqualTo((Double) res.get("p90_us"));
            assertThat((Double) res.get("p90_us")).isLessThanOrEqualTo((Double) res.get("p99_us"));
            assertThat((Double) res.get("p99_us")).isLessThanOrEqualTo((Double) res.get("max_us"));
        }
        assertThat((List<?>) doc.get("failures")).isEmpty();
    }

    @Test
    void opsAndSizesChooseTheRows() {
        Cli.Run r = cli.run("bench", "--cache", "memory:", "--cache", "memory:?store_by_value=true", "--seconds", "0.02",
                "--ops", "get,delete,incr", "--sizes", "small");
        assertThat(r.code()).as(r.stderr()).isZero();
        assertThat(table(r.out())).extracting(row -> row.cache() + " " + row.size() + " " + row.op()).containsExactly(
                "memory: small get", "memory: small delete", "memory: - incr",
                "memory:?store_by_value=true small get", "memory:?store_by_value=true small delete",
                "memory:?store_by_value=true - incr");
    }

    @Test
    void progressGoesToStderrAndLeavesStdoutClean() {
        Cli.Run r = cli.run("bench", "--cache", "memory:", "--seconds", "0.01", "--ops", "get", "--sizes", "small",
                "--progress", "always");
        assertThat(r.code()).isZero();
        assertThat(r.stderr()).contains("\rbench [1/", "memory: small get");
        assertThat(r.out()).doesNotContain("\r").startsWith("cache ");
    }

    @Test
    void withoutCacheItRunsTheDefaultsAndDeletesTheTemporaryDirectory() throws Exception {
        Path json = tmp.resolve("defaults.json");
        Cli.Run r = cli.run("bench", "--seconds", "0.01", "--ops", "get", "--sizes", "small", "--json", json.toString());
        assertThat(r.code()).as(r.stderr()).isZero();
        List<String> caches = table(r.out()).stream().map(Row::cache).toList();
        assertThat(caches).startsWith("memory:", "memory:?store_by_value=true");
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        List<String> fileLocations = new ArrayList<>();
        caches.stream().filter(c -> c.startsWith("file:")).forEach(fileLocations::add);
        for (Object s : (List<?>) doc.get("skipped")) {
            // a default that cannot be opened (while the file backend is written) is skipped with a note
            String location = (String) ((Map<?, ?>) s).get("cache");
            fileLocations.add(location);
            assertThat(r.stderr()).contains("skipping default cache " + location);
        }
        assertThat(fileLocations).singleElement().satisfies(l -> {
            assertThat(l).startsWith("file:");
            assertThat(Path.of(l.substring("file:".length()))).doesNotExist();
        });
    }

    @Test
    void aCacheThatLosesValuesFailsTheRunWithExitCode3() {
        // dummy: stores nothing, so the first get reads a miss
        Cli.Run r = cli.run("bench", "--cache", "dummy:", "--cache", "memory:", "--seconds", "0.01", "--sizes", "small");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.stderr()).contains("FAILED: dummy: small get: key bench:s:000000 read back a miss");
        List<Row> rows = table(r.out());
        assertThat(rows).filteredOn(row -> row.cache().equals("dummy:")).extracting(Row::op).containsExactly("set");
        assertThat(rows).filteredOn(row -> row.cache().equals("memory:")).hasSize(8);
    }

    @Test
    void aLocationThatOverridesTheWorkloadSettingsIsRefused() {
        Cli.Run r = cli.run("bench", "--cache", "memory:?timeout=60", "--seconds", "0.01");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("sets timeout=60", "the workload runs every cache with timeout", "leave it out");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badSettingsAreUsageErrors() {
        assertThat(cli.run("bench", "--seconds", "0").code()).isEqualTo(2);
        assertThat(cli.run("bench", "--ops", "get,fetch").stderr()).contains("unknown operation 'fetch'");
        assertThat(cli.run("bench", "--sizes", "huge").code()).isEqualTo(2);
        Cli.Run json = cli.run("bench", "--json", tmp.resolve("no/such/dir/x.json").toString());
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.stderr()).contains("not a file in an existing directory");
    }

    @Test
    void baselineRawRunsPlainJdbcBesideEachJdbcCacheAndPrintsTheRatios() throws Exception {
        String sqlite = "jdbc:sqlite:" + tmp.resolve("bench.db");
        String h2 = "jdbc:h2:" + tmp.resolve("benchh2").toAbsolutePath();
        for (String location : List.of(sqlite, h2)) {
            Cli.Run create = cli.run("createcachetable", "--cache", location);
            assertThat(create.code()).as(create.stderr()).isZero();
        }
        Path json = tmp.resolve("raw.json");
        Cli.Run r = cli.run("bench", "--baseline", "raw", "--cache", sqlite, "--cache", "memory:", "--cache", h2,
                "--sizes", "small", "--seconds", "0.05", "--json", json.toString());
        assertThat(r.code()).as(r.stderr()).isZero();

        String[] parts = r.out().split("\n\n");
        assertThat(parts).as(r.out()).hasSize(3);
        List<Row> rows = table(parts[0] + "\n");
        assertThat(rows.stream().map(Row::cache).distinct())
                .as("each raw baseline runs right after its cache; memory: has none")
                .containsExactly(sqlite, "raw " + sqlite, "memory:", h2, "raw " + h2);
        Map<String, Row> byKey = new LinkedHashMap<>();
        rows.forEach(row -> byKey.put(row.cache() + " " + row.size() + " " + row.op(), row));

        List<String> ratioLines = parts[1].lines().toList();
        assertThat(ratioLines.get(0)).startsWith("ratios to the raw JDBC baseline").contains("goal <= 1.30");
        assertThat(ratioLines.get(1).split("\\s+")).containsExactly("cache", "size", "op", "ours_mean_us", "raw_mean_us",
                "mean_ratio", "ours_p50_us", "raw_p50_us", "p50_ratio", "goal");
        List<String> compared = new ArrayList<>();
        for (String line : ratioLines.subList(2, ratioLines.size())) {
            assertThat(line).hasSameSizeAs(ratioLines.get(1));
            String[] c = line.trim().split("\\s+");
            assertThat(c).as(line).hasSize(10);
            compared.add(c[0] + " " + c[1] + " " + c[2]);
            Row ours = byKey.get(c[0] + " " + c[1] + " " + c[2]);
            Row raw = byKey.get("raw " + c[0] + " " + c[1] + " " + c[2]);
            assertThat(Double.parseDouble(c[3])).isEqualTo(ours.mean());
            assertThat(Double.parseDouble(c[4])).isEqualTo(raw.mean());
            assertThat(Double.parseDouble(c[6])).isEqualTo(ours.p50());
            assertThat(Double.parseDouble(c[7])).isEqualTo(raw.p50());
            double meanRatio = Double.parseDouble(c[5]);
            double p50Ratio = Double.parseDouble(c[8]);
            assertThat(meanRatio).isPositive().isCloseTo(ours.mean() / raw.mean(), org.assertj.core.data.Percentage.withPercentage(2));
            assertThat(p50Ratio).isPositive().isCloseTo(ours.p50() / raw.p50(), org.assertj.core.data.Percentage.withPercentage(2));
            assertThat(c[9]).isEqualTo(meanRatio > 1.3 || p50Ratio > 1.3 ? "over" : "ok");
        }
        List<String> expected = new ArrayList<>();
        for (String cache : List.of(sqlite, h2)) {
            PER_SIZE_OPS.forEach(op -> expected.add(cache + " small " + op));
            expected.add(cache + " - incr");
        }
        assertThat(compared).containsExactlyElementsOf(expected);

        List<String> setMany = parts[2].lines().toList();
        assertThat(setMany.get(0)).startsWith("set_many of 100 keys in single sets").contains("goal <= 3");
        assertThat(setMany.get(1).split("\\s+")).containsExactly("cache", "size", "ours_sets", "raw_sets", "goal");
        assertThat(setMany).hasSize(4);
        for (String line : setMany.subList(2, 4)) {
            String[] c = line.trim().split("\\s+");
            assertThat(c[1]).isEqualTo("small");
            double ours = Double.parseDouble(c[2]);
            assertThat(ours).isCloseTo(byKey.get(c[0] + " small set_many").mean() / byKey.get(c[0] + " small set").mean(),
                    org.assertj.core.data.Percentage.withPercentage(2));
            assertThat(Double.parseDouble(c[3])).isPositive();
            assertThat(c[4]).isEqualTo(ours > 3 ? "over" : "ok");
        }
        assertThat(setMany.subList(2, 4)).extracting(l -> l.split("\\s+")[0]).containsExactly(sqlite, h2);

        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) doc.get("settings");
        assertThat(settings).containsEntry("baseline", "raw").containsEntry("rounds", 4.0);
        assertThat(doc).containsEntry("goal_ratio", 1.3);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ratios = (List<Map<String, Object>>) doc.get("ratios");
        assertThat(ratios).hasSize(expected.size()).allSatisfy(m -> {
            assertThat(m.get("baseline")).isEqualTo("raw " + m.get("cache"));
            assertThat((Double) m.get("mean_ratio")).isPositive();
            assertThat((Double) m.get("p50_ratio")).isPositive();
            assertThat((Double) m.get("raw_mean_us")).isPositive();
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sets = (List<Map<String, Object>>) doc.get("set_many_in_sets");
        assertThat(sets).hasSize(2).allSatisfy(m -> assertThat((Double) m.get("ours")).isPositive());
    }

    @Test
    void theBaselineIsRawAndNeedsAJdbcCache() {
        Cli.Run memoryOnly = cli.run("bench", "--baseline", "raw", "--cache", "memory:", "--seconds", "0.01");
        assertThat(memoryOnly.code()).isEqualTo(2);
        assertThat(memoryOnly.stderr()).contains("--baseline raw needs at least one jdbc: --cache");
        Cli.Run other = cli.run("bench", "--baseline", "redis", "--cache", "jdbc:sqlite:" + tmp.resolve("x.db"));
        assertThat(other.code()).isEqualTo(2);
        assertThat(other.stderr()).contains("the only baseline is raw");
        assertThat(tmp.resolve("x.db")).doesNotExist();
    }

    @Test
    void withoutABaselineTheJsonSaysNone() throws Exception {
        Path json = tmp.resolve("none.json");
        Cli.Run r = cli.run("bench", "--cache", "memory:", "--ops", "get", "--sizes", "small", "--seconds", "0.01",
                "--json", json.toString());
        assertThat(r.code()).as(r.stderr()).isZero();
        assertThat(r.out()).doesNotContain("ratios");
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) doc.get("settings");
        assertThat(settings).containsKey("baseline").containsEntry("rounds", 1.0);
        assertThat(settings.get("baseline")).isNull();
        assertThat(doc).doesNotContainKey("ratios");
    }
}
