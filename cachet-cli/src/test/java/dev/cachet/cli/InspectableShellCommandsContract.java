package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ttl, keys and stats' live figures, on a backend that can list keys and tell deadlines (file,
 * SQL, Redis). The test's location must give the cache a key prefix of its own, or an empty
 * store.
 */
abstract class InspectableShellCommandsContract extends ShellCommandsContract {
    /** The location of another cache on the same store, with another key prefix. */
    protected abstract String otherPrefixLocation();

    /** The lines of {@code stats} as name to value. */
    static Map<String, String> statsLines(Cli.Run r) {
        return r.out().lines().collect(Collectors.toMap(l -> l.substring(0, l.indexOf("  ")).trim(),
                l -> l.substring(l.indexOf("  ")).trim(), (a, b) -> a));
    }

    @Test
    void ttlPrintsTheSecondsLeftOrForeverAndMisses() {
        runOn("set", "--timeout", "300", "k", "v");
        Cli.Run r = runOn("ttl", "k");
        assertThat(r.code()).isZero();
        BigDecimal left = new BigDecimal(r.out().strip());
        assertThat(left).isGreaterThan(new BigDecimal("290")).isLessThanOrEqualTo(new BigDecimal("300"));
        Cli.Run at = runOn("ttl", "--at", "k");
        assertThat(at.code()).isZero();
        assertThat(java.time.Instant.parse(at.out().strip())).isAfter(java.time.Instant.now().plusSeconds(290));
        runOn("set", "--timeout", "forever", "f", "v");
        assertThat(runOn("ttl", "f").out()).isEqualTo("forever\n");
        Cli.Run miss = runOn("ttl", "absent");
        assertThat(miss.code()).isEqualTo(1);
        assertThat(miss.stdout()).isEmpty();
        assertThat(miss.stderr()).contains("no value for key 'absent'");
    }

    @Test
    void keysListsThisCachesKeysSortedAndCountsTheHashedOnes() {
        runOn("set", "b", "1");
        runOn("set", "a", "2");
        runOn("set", "--int", "c", "3");
        runOn("set", "with space", "hashed");
        assertThat(cli.run("set", "--cache", otherPrefixLocation(), "other", "x").code()).isZero();
        Cli.Run r = runOn("keys");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("a\nb\nc\n");
        assertThat(r.stderr()).contains("1 more stored key of this cache without a name to print");
        Cli.Run limited = runOn("keys", "--limit", "1");
        assertThat(limited.code()).isZero();
        assertThat(limited.stderr()).contains("stopped after 1 stored keys (--limit)");
    }

    @Test
    void statsCountsThisCachesEntriesAndBytes() {
        runOn("set", "a", "x".repeat(10));
        runOn("set", "b", "y".repeat(10));
        assertThat(cli.run("set", "--cache", otherPrefixLocation(), "other", "x").code()).isZero();
        Cli.Run r = runOn("stats");
        assertThat(r.code()).isZero();
        Map<String, String> lines = statsLines(r);
        assertThat(lines.get("entries")).isEqualTo("2");
        long bytes = Long.parseLong(lines.get("bytes").split(" ")[0]);
        // each value is its 10 characters in the entry envelope: a header, no compression this small
        assertThat(bytes).isBetween(2L * 10, 2L * 64);
        assertThat(lines.get("counters")).startsWith("not visible here");
        runOn("clear");
        assertThat(statsLines(runOn("stats")).get("entries")).isEqualTo("0");
        assertThat(cli.run("get", "--cache", otherPrefixLocation(), "other").out()).isEqualTo("x\n");
    }
}
