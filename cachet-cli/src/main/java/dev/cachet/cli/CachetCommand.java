package dev.cachet.cli;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import dev.cachet.Caches;
import dev.cachet.cli.internal.CommandIo;
import dev.cachet.cli.internal.ErrorReporter;
import dev.cachet.cli.internal.ExitCodes;
import dev.cachet.cli.internal.UsageErrorReporter;
import dev.cachet.cli.internal.VersionProvider;
import dev.cachet.spi.Store;
import dev.cachet.spi.Stores;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cachet} command: work with a cache from the shell ({@code get}, {@code set},
 * {@code add}, {@code delete}, {@code has}, {@code touch}, {@code ttl}, {@code incr}, {@code decr},
 * {@code keys}, {@code clear}, {@code stats}), run the demo site ({@code demo}), benchmark caches ({@code bench}) and run a caching
 * reverse proxy ({@code proxy}). Every subcommand names its cache with {@code --cache LOCATION}, the same
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
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  a miss: get, incr, decr, touch, ttl or has found no value, delete deleted",
            "     nothing, add found a value already",
            "  2  bad usage: unknown option, bad argument, bad location or cache option",
            "  3  the operation failed: backend error, value not an integer, bench read a",
            "     wrong value, the backend cannot list keys or tell a deadline",
            "",
            "Run 'cachet COMMAND --help' for a command's options."})
public final class CachetCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-v", ErrorReporter.VERBOSE}, scope = ScopeType.INHERIT,
            description = "On an error, print its stack trace too.")
    private boolean verbose;

    /**
     * The subcommands, in the order help lists them. Made only when needed: a run builds the one
     * it names (picocli reads every option of every command it is given, which is most of the
     * start-up time), and all of them only for help or a name it does not know.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    /** Why a memory: cache shows nothing from the command line. */
    static final String IN_PROCESS_NOTE = "a memory: cache lives inside one process, and each cachet command starts"
            + " an empty one";

    private final CommandIo io;
    private final Function<CacheConfig, Cache> opener;
    private final Function<CacheConfig, Store> storeOpener;

    CachetCommand(CommandIo io, Function<CacheConfig, Cache> opener, Function<CacheConfig, Store> storeOpener) {
        this.io = Objects.requireNonNull(io, "io");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.storeOpener = Objects.requireNonNull(storeOpener, "storeOpener");
    }

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("demo", DemoCommand::new);
        m.put("bench", BenchCommand::new);
        m.put("get", GetCommand::new);
        m.put("set", SetCommand::new);
        m.put("add", AddCommand::new);
        m.put("delete", DeleteCommand::new);
        m.put("has", HasCommand::new);
        m.put("touch", TouchCommand::new);
        m.put("ttl", TtlCommand::new);
        m.put("incr", IncrCommand::new);
        m.put("decr", DecrCommand::new);
        m.put("keys", KeysCommand::new);
        m.put("clear", ClearCommand::new);
        m.put("stats", StatsCommand::new);
        m.put("createcachetable", CreateCacheTableCommand::new);
        m.put("proxy", ProxyCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(m);
    }

    /** The names of the subcommands, in help's order. */
    static Set<String> subcommandNames() {
        return SUBCOMMANDS.keySet();
    }

    /** Runs the command with {@code args} on the process's streams and exits with its code. */
    public static void main(String... args) {
        CommandIo io = CommandIo.system();
        int code = newCommandLine(io, Caches::open, Stores::open, args).execute(args);
        io.flush();
        System.exit(code);
    }

    /**
     * The command, ready to {@link CommandLine#execute(String...) execute}, reading {@code in}
     * and writing {@code out} and {@code err} (for embedding and tests).
     */
    public static CommandLine newCommandLine(InputStream in, OutputStream out, OutputStream err) {
        return newCommandLine(new CommandIo(in, out, err), Caches::open, Stores::open);
    }

    /**
     * The command over {@code io}, opening caches with {@code opener} and bare stores (for
     * stats, keys and ttl) with {@code storeOpener}; when {@code args} are given, with only the
     * subcommand they name (all of them when they name none or an unknown one).
     */
    static CommandLine newCommandLine(CommandIo io, Function<CacheConfig, Cache> opener,
            Function<CacheConfig, Store> storeOpener, String... args) {
        CommandLine cl = new CommandLine(new CachetCommand(io, opener, storeOpener));
        String named = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                named = a;
                break;
            }
        }
        if (named != null && SUBCOMMANDS.containsKey(named) && !named.equals("help")) {
            cl.addSubcommand(named, SUBCOMMANDS.get(named).get());
        } else {
            SUBCOMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
        }
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

    /** Opens the bare byte store {@code config} describes (the caller closes it). */
    Store openStore(CacheConfig config) {
        return storeOpener.apply(config);
    }

    /** True for a location whose entries live inside the process that opened it (memory:). */
    static boolean inProcess(CacheConfig config) {
        return config.scheme().equals("memory");
    }
}
