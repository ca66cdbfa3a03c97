package dev.cachet.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.jdbc.CacheTable;
import dev.cachet.jdbc.Dialect;
import dev.cachet.testkit.Servers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw JDBC baseline on every dialect: its operations do what the workload expects, and the
 * whole workload runs on it interleaved with the cache over the same table. SQLite and H2 run on
 * temporary files; PostgreSQL and MariaDB on the servers {@link Servers} finds (skipped when
 * absent, failed when servers are required), in a table of their own.
 */
class RawJdbcBenchTargetTest {
    /** The table of the server tests, so they never touch the default table of a real benchmark. */
    private static final String TABLE = "cli_rawbench";

    @TempDir
    Path dir;

    private static List<String> expectedRows(List<BenchSize> sizes) {
        List<String> out = new ArrayList<>();
        for (BenchSize size : sizes) {
            for (BenchOp op : BenchOp.values()) {
                if (op.perSize()) {
                    out.add(size.label() + " " + op.label());
                }
            }
        }
        out.add("- incr");
        return out;
    }

    /** SQLite runs the whole workload; the others its small phase (the large one writes 200 MB). */
    @Test
    void sqlite() throws Exception {
        check("jdbc:sqlite:" + dir.resolve("raw.db"), Dialect.SQLITE, List.of(BenchSize.values()));
    }

    @Test
    void h2() throws Exception {
        check("jdbc:h2:" + dir.resolve("raw").toAbsolutePath(), Dialect.H2, List.of(BenchSize.SMALL));
    }

    @Test
    void postgresql() throws Exception {
        Servers.Server s = Servers.requirePostgres();
        check("jdbc:postgresql://" + s.address() + "/" + s.database() + "?user=" + s.user(), Dialect.POSTGRESQL,
                List.of(BenchSize.SMALL));
    }

    @Test
    void mariadb() throws Exception {
        Servers.Server s = Servers.requireMariaDb();
        check("jdbc:mariadb://" + s.address() + "/" + s.database() + "?user=" + s.user(), Dialect.MARIADB,
                List.of(BenchSize.SMALL));
    }

    private void check(String url, Dialect dialect, List<BenchSize> sizes) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            drop(c);
            CacheTable.create(c, TABLE, false);
        }
        try {
            try (RawJdbcBenchTarget raw = RawJdbcBenchTarget.open(url, TABLE)) {
                assertThat(raw.dialect()).isEqualTo(dialect);
                assertThat(raw.label()).isEqualTo("raw " + url);
                operations(raw, url);
            }
            runsTheWorkloadInterleavedWithTheCache(url, sizes);
        } finally {
            try (Connection c = DriverManager.getConnection(url)) {
                drop(c);
            }
        }
    }

    private static void drop(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    /** Each operation, and the rows it leaves: {@code :r:} keys, plain bytes, expiry an hour on. */
    private static void operations(RawJdbcBenchTarget raw, String url) throws Exception {
        String small = BenchWorkload.smallValue();
        List<String> large = BenchWorkload.largeValue();
        raw.clear();
        assertThat(raw.get("s")).isNull();
        assertThat(raw.hasKey("s")).isFalse();
        long before = System.currentTimeMillis();
        assertThat(raw.set("s", small)).isTrue();
        assertThat(raw.set("l", large)).isTrue();
        assertThat(raw.get("s")).isEqualTo(small);
        assertThat(raw.get("l")).isEqualTo(large);
        assertThat(raw.hasKey("s")).isTrue();
        assertThat(raw.set("s", "other")).isTrue();
        assertThat(raw.get("s")).isEqualTo("other");

        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("a", small);
        batch.put("b", large);
        batch.put("c", "third");
        assertThat(raw.setMany(batch)).isTrue();
        assertThat(raw.getMany(List.of("a", "b", "c", "missing"))).isEqualTo(batch);
        assertThat(raw.getMany(List.of("c", "missing"))).containsExactly(Map.entry("c", "third"));

        assertThat(raw.add("new", small)).isTrue();
        assertThat(raw.add("new", "again")).isFalse();
        assertThat(raw.get("new")).isEqualTo(small);
        assertThat(raw.delete("new")).isTrue();
        assertThat(raw.delete("new")).isFalse();
        assertThat(raw.add("new", "again")).isTrue();

        assertThat(raw.set("counter", 0L)).isTrue();
        assertThat(raw.get("counter")).isEqualTo(0L);
        assertThat(raw.incr("counter", 1)).isEqualTo(1);
        assertThat(raw.incr("counter", 41)).isEqualTo(42);
        assertThat(raw.get("counter")).isEqualTo(42L);

        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT " + (raw.dialect() == Dialect.H2 ? "\"VALUE\"" : "value")
                        + ", expires FROM " + TABLE + " WHERE cache_key = ?")) {
            ps.setString(1, RawJdbcBenchTarget.KEY_PREFIX + "a");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(small.getBytes(StandardCharsets.UTF_8));
                assertThat(rs.getLong(2)).isBetween(before + 3_600_000, System.currentTimeMillis() + 3_600_000);
            }
            ps.setString(1, RawJdbcBenchTarget.KEY_PREFIX + "counter");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(new String(rs.getBytes(1), StandardCharsets.US_ASCII)).isEqualTo("42");
            }
        }
        raw.clear();
        assertThat(raw.get("a")).isNull();
        assertThat(raw.getMany(List.of("a", "b"))).isEmpty();
    }

    private static void runsTheWorkloadInterleavedWithTheCache(String url, List<BenchSize> sizes) {
        List<String> expectedRows = expectedRows(sizes);
        CacheConfig config = CacheConfig.builder(url).name("bench").options(CacheBenchTarget.WORKLOAD_OPTIONS)
                .option("table", TABLE).build();
        BenchSettings settings = new BenchSettings(0.05, 0.01, EnumSet.allOf(BenchOp.class), sizes,
                BenchSettings.DEFAULT_MAX_CALLS);
        try (CacheBenchTarget ours = new CacheBenchTarget(url, Caches.open(config));
                RawJdbcBenchTarget raw = RawJdbcBenchTarget.open(url, TABLE)) {
            BenchReport report = new BenchRunner(settings, BenchListener.NONE).run(List.of(ours, raw));
            assertThat(report.failures()).as("failures").isEmpty();
            for (String target : List.of(ours.label(), raw.label())) {
                List<String> rows = report.results().stream().filter(r -> r.target().equals(target))
                        .map(r -> r.sizeLabel() + " " + r.op().label()).toList();
                assertThat(rows).as(target).containsExactlyElementsOf(expectedRows);
            }
            BenchComparison cmp = BenchComparison.of(report, List.of(new BenchComparison.Pair(ours.label(), raw.label())));
            assertThat(cmp.ratios()).hasSize(expectedRows.size()).allSatisfy(r -> {
                assertThat(r.raw().n()).isGreaterThanOrEqualTo(10);
                assertThat(r.meanRatio()).isPositive().isFinite();
                assertThat(r.p50Ratio()).isPositive().isFinite();
            });
            assertThat(cmp.setManyInSets()).hasSize(sizes.size()).allSatisfy(s -> {
                assertThat(s.ours()).isPositive().isFinite();
                assertThat(s.raw()).isPositive().isFinite();
            });
        }
    }
}
