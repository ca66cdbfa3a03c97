package dev.cachet.cli.internal;

import dev.cachet.NotAnIntegerException;
import java.util.NoSuchElementException;

/** The exit codes of the {@code cachet} command, and which exception ends with which. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A miss: {@code get} found no value, {@code delete} deleted nothing, {@code incr} found no value. */
    public static final int MISS = 1;
    /** Bad usage: an unknown option, a bad argument, a bad location or cache option. */
    public static final int USAGE = 2;
    /** The operation failed: a backend error, a value that is not an integer, a wrong value in a bench. */
    public static final int FAILED = 3;
    /**
     * {@code get} found a value this command cannot decode (its class is not on the command's
     * class path or allow-list, or another codec wrote it); the entry was left in place. (4 is
     * the {@code cachet} script's failed build.)
     */
    public static final int UNREADABLE = 5;

    /** The help text that lists the codes. */
    public static final String[] HELP = {
        "  0  success",
        "  1  a miss: get found no value, delete deleted nothing, incr found no value",
        "  2  bad usage: unknown option, bad argument, bad location or cache option",
        "  3  the operation failed: backend error, value not an integer, bench read a wrong value",
        "  5  get found a value it cannot decode (class or codec unknown here); nothing was deleted",
    };

    private ExitCodes() {
    }

    /** The exit code a command that threw {@code e} ends with. */
    public static int of(Throwable e) {
        if (e instanceof NotAnIntegerException) {
            return FAILED;
        }
        if (e instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (e instanceof NoSuchElementException) {
            return MISS;
        }
        return FAILED;
    }
}
