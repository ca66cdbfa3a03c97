package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cachet createcachetable}: Django's command for one jdbc: location (here SQLite files). */
class CreateCacheTableCommandTest {
    private final Cli cli = Cli.real();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void dryRunPrintsTheSqlWithoutConnecting() {
        Path db = dir.resolve("dry.db");
        Cli.Run r = cli.run("createcachetable", "--cache", "jdbc:sqlite:" + db, "--table", "app_cache", "--dry-run");
        assertThat(r.code()).as(r.stderr()).isZero();
        assertThat(r.out()).contains("CREATE TABLE IF NOT EXISTS app_cache (", "cache_key VARCHAR(255)",
                "CREATE INDEX IF NOT EXISTS app_cache_expires ON app_cache (expires);");
        assertThat(db).doesNotExist();
        Cli.Run pg = cli.run("createcachetable", "--cache", "jdbc:postgresql://db.invalid/x", "--unlogged", "--dry-run");
        assertThat(pg.code()).as(pg.stderr()).isZero();
        assertThat(pg.out()).startsWith("CREATE UNLOGGED TABLE IF NOT EXISTS cachet_cache (");
    }

    @Test
    void createsTheTableOnceAndTheCacheThenWorks() {
        String location = "jdbc:sqlite:" + dir.resolve("cache.db");
        Cli.Run first = cli.run("createcachetable", "--cache", location);
        assertThat(first.code()).as(first.stderr()).isZero();
        assertThat(first.out()).isEqualToIgnoringNewLines("Cache table 'cachet_cache' created.");
        Cli.Run again = cli.run("createcachetable", "--cache", location);
        assertThat(again.code()).isZero();
        assertThat(again.out()).isEqualToIgnoringNewLines("Cache table 'cachet_cache' already exists.");
        assertThat(cli.run("set", "--cache", location, "greeting", "hello").code()).isZero();
        Cli.Run get = cli.run("get", "--cache", location, "greeting");
        assertThat(get.code()).isZero();
        assertThat(get.out()).isEqualToIgnoringNewLines("hello");
        Cli.Run other = cli.run("createcachetable", "--cache", location, "-o", "table=other_cache");
        assertThat(other.out()).isEqualToIgnoringNewLines("Cache table 'other_cache' created.");
    }

    @Test
    void everyShellCommandTakesCacheOptionsWithDashO() {
        String location = "jdbc:sqlite:" + dir.resolve("opts.db");
        assertThat(cli.run("createcachetable", "--cache", location, "-o", "table=app_cache").code()).isZero();
        Cli.Run set = cli.run("set", "--cache", location, "-o", "table=app_cache", "--option", "key_prefix=app", "k", "v");
        assertThat(set.code()).as(set.stderr()).isZero();
        Cli.Run get = cli.run("get", "--cache", location, "-o", "table=app_cache", "-o", "key_prefix=app", "k");
        assertThat(get.code()).as(get.stderr()).isZero();
        assertThat(get.out()).isEqualToIgnoringNewLines("v");
        Cli.Run otherPrefix = cli.run("get", "--cache", location, "-o", "table=app_cache", "k");
        assertThat(otherPrefix.code()).as("another key prefix: a miss").isEqualTo(1);
        Cli.Run defaultTable = cli.run("get", "--cache", location, "k");
        assertThat(defaultTable.code()).isEqualTo(2);
        assertThat(defaultTable.stderr()).contains("cachet_cache does not exist");
        Cli.Run bad = cli.run("get", "--cache", location, "-o", "tabel=app_cache", "k");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.stderr()).contains("tabel");
        Cli.Run bench = cli.run("bench", "--cache", location, "-o", "table=app_cache", "-o", "timeout=5", "--seconds", "0.1");
        assertThat(bench.code()).isEqualTo(2);
        assertThat(bench.stderr()).contains("timeout=5", "workload");
    }

    @Test
    void withoutTheTableACacheSaysToRunThisCommand() {
        Cli.Run r = cli.run("get", "--cache", "jdbc:sqlite:" + dir.resolve("none.db"), "k");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("does not exist", "cachet createcachetable --cache");
    }

    @Test
    void badLocationsAndOptionsAreUsageErrors() {
        Cli.Run file = cli.run("createcachetable", "--cache", "file:" + dir);
        assertThat(file.code()).isEqualTo(2);
        assertThat(file.stderr()).contains("not a jdbc: location");
        Cli.Run unlogged = cli.run("createcachetable", "--cache", "jdbc:sqlite:" + dir.resolve("u.db"), "--unlogged");
        assertThat(unlogged.code()).isEqualTo(2);
        assertThat(unlogged.stderr()).contains("PostgreSQL only");
        Cli.Run name = cli.run("createcachetable", "--cache", "jdbc:sqlite:" + dir.resolve("n.db"), "--table", "bad name");
        assertThat(name.code()).isEqualTo(2);
        assertThat(name.stderr()).contains("'bad name'");
    }

    @Test
    void helpListsTheCommand() {
        assertThat(cli.run("--help").out()).contains("createcachetable");
        assertThat(cli.run("createcachetable", "--help").out()).contains("Usage: cachet createcachetable", "--dry-run");
    }
}
