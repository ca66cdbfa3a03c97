package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.cli.internal.CommandIo;
import dev.cachet.cli.internal.ErrorReporter;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.cli.internal.UsageErrorReporter;
import dev.cachet.cli.internal.VersionProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cachet} command: work with a cache from the shell ({@code get}, {@code set},
 * {@code delete}, {@code incr}, {@code clear}, {@code stats}) and benchmark caches
 * ({@code bench}). Every subcommand names its cache with {@code --cache LOCATION}, the same
 * location strings {@link Caches#open(String)} takes.
 *
 * <p>Errors print one line on stderr (the library's message) and end with the exit codes of
 * {@link ExitCodes}; {@code --verbose} adds the stack trace.
 */
@Command(name = "cachet", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = {"Django-shaped caching for the JVM: work with a cache from the shell, or benchmark caches.",
            "",
            "A cache is named by a location: memory:, file:DIR, dummy:, and with their modules jdbc:..., "
                + "memcached://host:port, redis://host:port. Cache options follow '?', e.g. "
                + "file:/var/tmp/c?timeout=60&key_prefix=app."},
        commandListHeading = "%nCommands:%n",
        subcommands = {BenchCommand.class, GetCommand.class, SetCommand.class, DeleteCommand.class,
            IncrCommand.class, ClearCommand.class, StatsCommand.class, CreateCacheTableCommand.class,
            CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  a miss: get found no value, delete deleted nothing, incr found no value",
            "  2  bad usage: unknown option, bad argument, bad location or cache option",
            "  3  the operation failed: backend error, value not an integer, bench read a",
            "     wrong value",
            "",
            "Run 'cachet COMMAND --help' for a command's options."})
public final class CachetCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-v", ErrorReporter.VERBOSE}, scope = ScopeType.INHERIT,
            description = "On an error, print its stack trace too.")
    private boolean verbose;

    private final CommandIo io;
    private final Function<CacheConfig, Cache> opener;

    CachetCommand(CommandIo io, Function<CacheConfig, Cache> opener) {
        this.io = Objects.requireNonNull(io, "io");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** Runs the command with {@code args} on the process's streams and exits with its code. */
    public static void main(String... args) {
        CommandIo io = CommandIo.system();
        int code = newCommandLine(io, Caches::open).execute(args);
        io.flush();
        System.exit(code);
    }

    /**
     * The command, ready to {@link CommandLine#execute(String...) execute}, reading {@code in}
     * and writing {@code out} and {@code err} (for embedding and tests).
     */
    public static CommandLine newCommandLine(InputStream in, OutputStream out, OutputStream err) {
        return newCommandLine(new CommandIo(in, out, err), Caches::open);
    }

    /** The command over {@code io}, opening caches with {@code opener}. */
    static CommandLine newCommandLine(CommandIo io, Function<CacheConfig, Cache> opener) {
        CommandLine cl = new CommandLine(new CachetCommand(io, opener));
        cl.setOut(io.out());
        cl.setErr(io.err());
        cl.setExecutionExceptionHandler(new ErrorReporter());
        cl.setParameterExceptionHandler(new UsageErrorReporter());
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } finally {
                io.flush();
            }
        });
        return cl;
    }

    /** Without a command: the usage on stderr, exit code 2. */
    @Override
    public Integer call() {
        io.err().println("cachet: a command is needed");
        spec.commandLine().usage(io.err());
        return ExitCodes.USAGE;
    }

    /** True when {@code --verbose} was given (on this command or a subcommand). */
    boolean verbose() {
        return verbose || ErrorReporter.verbose(spec.commandLine().getParseResult());
    }

    /** The streams of this run. */
    CommandIo io() {
        return io;
    }

    /** Opens the cache {@code config} describes. */
    Cache open(CacheConfig config) {
        return opener.apply(config);
    }

    /** How caches are opened. */
    Function<CacheConfig, Cache> opener() {
        return opener;
    }
}
