package dev.cachet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shell commands round trip through a cache that keeps its entries across command runs:
 * a file: cache (as across processes), or a memory: cache shared by the runs of one test.
 */
abstract class ShellCommandsContract {
    protected Cli cli;

    /** The --cache location of the test's cache. */
    protected abstract String location();

    @AfterEach
    void closeCli() {
        cli.close();
    }

    private Cli.Run run(String command, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = command;
        all[1] = "--cache";
        all[2] = location();
        System.arraycopy(args, 0, all, 3, args.length);
        return cli.run(all);
    }

    @Test
    void setThenGetPrintsTheTextAndANewline() {
        assertThat(run("set", "greeting", "héllo wörld").code()).isZero();
        Cli.Run got = run("get", "greeting");
        assertThat(got.code()).isZero();
        assertThat(got.out()).isEqualTo("héllo wörld\n");
        assertThat(got.stderr()).isEmpty();
    }

    @Test
    void aMissExitsWith1AndPrintsNothingOnStdout() {
        Cli.Run got = run("get", "absent");
        assertThat(got.code()).isEqualTo(1);
        assertThat(got.stdout()).isEmpty();
        assertThat(got.stderr()).contains("no value for key 'absent'");
    }

    @Test
    void bytesFromStdinComeBackUnchanged() {
        byte[] value = new byte[5 * 1024 * 1024 + 17];
        new Random(42).nextBytes(value);
        assertThat(cli.runWithInput(value, "set", "--cache", location(), "blob", "-").code()).isZero();
        Cli.Run got = run("get", "blob");
        assertThat(got.code()).isZero();
        assertThat(got.stdout()).isEqualTo(value);
    }

    @Test
    void anIntegerCountsWithIncr() {
        assertThat(run("set", "--int", "hits", "41").code()).isZero();
        Cli.Run one = run("incr", "hits");
        assertThat(one.code()).isZero();
        assertThat(one.out()).isEqualTo("42\n");
        assertThat(run("incr", "hits", "--by", "-50").out()).isEqualTo("-8\n");
        assertThat(run("incr", "--by=10", "hits").out()).isEqualTo("2\n");
        assertThat(run("get", "hits").out()).isEqualTo("2\n");
    }

    @Test
    void anIntegerFromStdin() {
        byte[] in = " 7\n".getBytes(StandardCharsets.UTF_8);
        assertThat(cli.runWithInput(in, "set", "--cache", location(), "--int", "n", "-").code()).isZero();
        assertThat(run("incr", "n").out()).isEqualTo("8\n");
    }

    @Test
    void incrOfAMissExitsWith1AndOfTextWith3() {
        Cli.Run missing = run("incr", "nothing");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.stdout()).isEmpty();
        assertThat(missing.stderr()).contains("'nothing' not found");

        run("set", "word", "seven");
        Cli.Run text = run("incr", "word");
        assertThat(text.code()).isEqualTo(3);
        assertThat(text.stderr()).contains("cachet incr: ", "word");
    }

    @Test
    void deleteExitsWith1WhenNothingWasDeleted() {
        run("set", "k", "v");
        assertThat(run("delete", "k").code()).isZero();
        Cli.Run again = run("delete", "k");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.stderr()).contains("nothing deleted");
        assertThat(run("get", "k").code()).isEqualTo(1);
    }

    @Test
    void clearRemovesEverything() {
        run("set", "a", "1");
        run("set", "--int", "b", "2");
        assertThat(run("clear").code()).isZero();
        assertThat(run("get", "a").code()).isEqualTo(1);
        assertThat(run("get", "b").code()).isEqualTo(1);
    }

    @Test
    void aZeroTimeoutStoresNothingReadable() {
        run("set", "k", "v");
        assertThat(run("set", "--timeout", "0", "k", "w").code()).isZero();
        assertThat(run("get", "k").code()).isEqualTo(1);
    }

    @Test
    void aShortTimeoutExpires() {
        long start = System.nanoTime();
        assertThat(run("set", "--timeout", "20ms", "brief", "v").code()).isZero();
        // wait for the expiry itself, bounded: the entry must go, and not before its 20 ms
        long deadline = start + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        int code;
        while ((code = run("get", "brief").code()) == 0) {
            assertThat(System.nanoTime()).as("expired within 5 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(code).isEqualTo(1);
        assertThat(System.nanoTime() - start).as("not before its timeout").isGreaterThanOrEqualTo(20_000_000L);
        assertThat(run("set", "--timeout", "forever", "long", "v").code()).isZero();
        assertThat(run("get", "long").out()).isEqualTo("v\n");
    }

    /** Runs {@code command} on this test's cache (for subclasses). */
    protected Cli.Run runOn(String command, String... args) {
        return run(command, args);
    }

    @Test
    void addStoresOnlyWhenTheKeyHoldsNothing() {
        Cli.Run first = run("add", "k", "one");
        assertThat(first.code()).isZero();
        assertThat(first.stderr()).isEmpty();
        Cli.Run second = run("add", "k", "two");
        assertThat(second.code()).isEqualTo(1);
        assertThat(second.stdout()).isEmpty();
        assertThat(second.stderr()).contains("nothing stored", "'k' already holds a value");
        assertThat(run("get", "k").out()).isEqualTo("one\n");
        assertThat(run("add", "--int", "n", "7").code()).isZero();
        assertThat(run("incr", "n").out()).isEqualTo("8\n");
    }

    @Test
    void hasAnswersByExitCodeAlone() {
        run("set", "present", "v");
        Cli.Run yes = run("has", "present");
        assertThat(yes.code()).isZero();
        assertThat(yes.stdout()).isEmpty();
        assertThat(yes.stderr()).isEmpty();
        Cli.Run no = run("has", "absent");
        assertThat(no.code()).isEqualTo(1);
        assertThat(no.stdout()).isEmpty();
        assertThat(no.stderr()).isEmpty();
    }

    @Test
    void touchGivesANewExpiryAndMissesAKeyWithoutValue() {
        // 500 ms leaves room for a loaded machine between the set and the touch (20 ms did not on CI)
        long start = System.nanoTime();
        run("set", "--timeout", "500ms", "k", "v");
        assertThat(run("touch", "--timeout", "forever", "k").code()).isZero();
        // the 500 ms are past once 600 ms have gone since the set: the entry must still be there
        while (System.nanoTime() - start < 600_000_000L) {
            Thread.onSpinWait();
        }
        assertThat(run("get", "k").out()).isEqualTo("v\n");
        Cli.Run missing = run("touch", "nothing");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.stderr()).contains("'nothing' holds no value");
        assertThat(run("touch", "--timeout", "0", "k").code()).isZero();
        assertThat(run("has", "k").code()).as("a zero timeout removes it").isEqualTo(1);
    }

    @Test
    void decrSubtracts() {
        run("set", "--int", "n", "10");
        Cli.Run r = run("decr", "n");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("9\n");
        assertThat(run("decr", "n", "--by", "12").out()).isEqualTo("-3\n");
        assertThat(run("decr", "absent").code()).isEqualTo(1);
    }

    @Test
    void incrOfTextThatLooksLikeANumberSaysToStoreItWithSetInt() {
        run("set", "n", "5");
        Cli.Run r = run("incr", "n");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).contains("it holds the text '5'", "cachet set --int n 5");
        assertThat(run("set", "--int", "n", "5").code()).isZero();
        assertThat(run("incr", "n").out()).isEqualTo("6\n");
        run("set", "word", "five");
        assertThat(run("incr", "word").stderr()).doesNotContain("set --int");
    }

    @Test
    void statsNamesTheLocationAndScheme() {
        Cli.Run r = run("stats");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("location  ", "scheme  ", "timeout  ", "key_prefix  ", "version  ");
    }
}
