package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command itself: help, version, usage errors, and how errors end. */
class CachetCommandTest {
    private final Cli cli = Cli.real();

    @AfterEach
    void close() {
        cli.close();
    }

    @Test
    void helpListsTheSubcommandsAndExitCodes() {
        Cli.Run r = cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("bench", "get", "set", "add", "delete", "has", "touch", "ttl", "incr", "decr", "keys",
                "clear", "stats", "Exit codes:");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : CachetCommand.subcommandNames()) {
            if (sub.equals("help")) {
                continue;
            }
            Cli.Run r = cli.run(sub, "--help");
            assertThat(r.code()).as(sub).isZero();
            assertThat(r.out()).as(sub).contains("Usage: cachet " + sub);
        }
        assertThat(cli.run("set", "--help").out()).contains("byte[]", "String", "--int");
    }

    @Test
    void versionNamesCachetAndJava() {
        Cli.Run r = cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("cachet ").contains("Java " + System.getProperty("java.version"));
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Run r = cli.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.stderr()).contains("a command is needed", "Usage: cachet");
    }

    @Test
    void aMistypedCommandGetsSuggestionsAndExitCode2() {
        Cli.Run r = cli.run("sett");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("'sett'", "Did you mean", "cachet set", "Try 'cachet --help'");
        assertThat(r.stderr()).doesNotContain("Usage:");
    }

    @Test
    void aMissingCacheIsAUsageError() {
        Cli.Run r = cli.run("get", "k");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("--cache", "CACHET_CACHE");
    }

    @Test
    void aBadLocationPrintsTheLibrarysMessageWithoutAStackTrace() {
        Cli.Run r = cli.run("get", "--cache", "nosuch:thing", "k");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.stderr()).startsWith("cachet get: ").contains("unknown location scheme 'nosuch:'")
                .doesNotContain("\tat ");
    }

    @Test
    void aBadOptionPrintsTheLibrarysMessageAndVerboseAddsTheStackTrace() {
        Cli.Run r = cli.run("stats", "--cache", "memory:?max_entries=lots");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("option max_entries='lots' must be an integer").doesNotContain("\tat ");

        Cli.Run verbose = cli.run("stats", "--verbose", "--cache", "memory:?max_entries=lots");
        assertThat(verbose.code()).isEqualTo(2);
        assertThat(verbose.stderr()).contains("must be an integer", "\tat dev.cachet.");

        Cli.Run verboseFirst = cli.run("-v", "stats", "--cache", "memory:?nope=1");
        assertThat(verboseFirst.code()).isEqualTo(2);
        assertThat(verboseFirst.stderr()).contains("unknown option [nope]", "\tat dev.cachet.");
    }

    @Test
    void aBadTimeoutOrIntegerIsAUsageError() {
        Cli.Run t = cli.run("set", "--cache", "memory:", "--timeout", "soon", "k", "v");
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.stderr()).contains("'soon' is not a timeout");
        Cli.Run i = cli.run("set", "--cache", "memory:", "--int", "k", "4x");
        assertThat(i.code()).isEqualTo(2);
        assertThat(i.stderr()).contains("VALUE '4x' is not an integer");
    }

    @Test
    void aValueThatIsNotTextIsRefused() {
        Cli.Run r = cli.run("set", "--cache", "memory:", "k", "bad\uFFFD");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.stderr()).contains("not valid text", "VALUE '-'");
    }

    @Test
    void statsOfAMemoryCacheShowsTheSettingsAndSaysItsEntriesAreNotVisible() {
        Cli.Run r = cli.run("stats", "--cache", "memory:?timeout=1.5&max_entries=5");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("location     memory:?timeout=1.5&max_entries=5", "scheme       memory",
                "timeout      1.5 s", "max_entries  5", "key_prefix   (empty)", "entries      not visible");
        assertThat(r.out()).as("memory caches do not cull").doesNotContain("cull_frequency");
    }

    @Test
    void clearsHelpSaysItRemovesThisCachesKeysNotTheWholeStore() {
        Cli.Run r = cli.run("clear", "--help");
        assertThat(r.code()).isZero();
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains("Remove this cache's entries: every key of its key_prefix",
                "Other caches sharing the backend, with other prefixes, keep theirs",
                "a custom key_function", "flush_on_clear=true");
    }

    @Test
    void aRunBuildsOnlyTheCommandItNames() {
        CommandIoCapture c = new CommandIoCapture();
        picocli.CommandLine cl = CachetCommand.newCommandLine(c.io, dev.cachet.Caches::open, dev.cachet.spi.Stores::open,
                "-v", "get", "--cache", "memory:", "k");
        assertThat(cl.getSubcommands().keySet()).containsExactly("get");
        assertThat(CachetCommand.newCommandLine(c.io, dev.cachet.Caches::open, dev.cachet.spi.Stores::open, "--help")
                .getSubcommands().keySet()).containsExactlyElementsOf(CachetCommand.subcommandNames());
        assertThat(CachetCommand.newCommandLine(c.io, dev.cachet.Caches::open, dev.cachet.spi.Stores::open, "sett")
                .getSubcommands()).hasSize(CachetCommand.subcommandNames().size());
    }

    /** Streams over byte arrays. */
    private static final class CommandIoCapture {
        final dev.cachet.cli.internal.CommandIo io = new dev.cachet.cli.internal.CommandIo(
                new java.io.ByteArrayInputStream(new byte[0]), new java.io.ByteArrayOutputStream(),
                new java.io.ByteArrayOutputStream());
    }
}
