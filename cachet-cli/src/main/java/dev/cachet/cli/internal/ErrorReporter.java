package dev.cachet.cli.internal;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception out of a command into one line on stderr ({@code cachet get: <the
 * library's message>}) and an exit code ({@link ExitCodes#of}); the stack trace follows only
 * with {@code --verbose}.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {
    /** The name of the option that asks for stack traces. */
    public static final String VERBOSE = "--verbose";

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult fullParseResult) {
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message(ex));
        if (verbose(fullParseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.of(ex);
    }

    /** The message of {@code e}, or its class name when it has none. */
    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }

    /** True when {@code --verbose} was given on the command or any of its parents. */
    public static boolean verbose(ParseResult result) {
        for (ParseResult p = result; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }
}
