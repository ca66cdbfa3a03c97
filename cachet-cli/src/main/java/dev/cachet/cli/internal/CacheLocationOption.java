package dev.cachet.cli.internal;

import dev.cachet.CacheConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --cache LOCATION} option of the shell commands (default {@code $CACHET_CACHE}). */
public final class CacheLocationOption {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--cache", paramLabel = "LOCATION", defaultValue = "${env:CACHET_CACHE}",
            description = "The cache: memory:, file:DIR, dummy:, or a backend module's location; cache options "
                + "follow '?', e.g. file:/var/tmp/c?timeout=60. Default: the CACHET_CACHE environment variable.")
    private String location;

    @Option(names = {"-o", "--option"}, paramLabel = "NAME=VALUE",
            description = "A cache option (repeatable), e.g. -o timeout=60; the way to give jdbc: caches options, "
                + "whose '?' belongs to the JDBC URL.")
    private Map<String, String> options = new LinkedHashMap<>();

    /** The location given. */
    public String location() {
        if (location == null || location.isBlank()) {
            throw new ParameterException(mixee.commandLine(),
                    "Missing required option: '--cache=LOCATION' (or set CACHET_CACHE)");
        }
        return location;
    }

    /** The options given with {@code -o}, in order. */
    public Map<String, String> options() {
        return options;
    }

    /**
     * The configuration of the location and options given (checked when the cache is opened), a
     * relative {@code file:} directory made absolute (see {@link #absoluteFile}).
     */
    public CacheConfig config() {
        return CacheConfig.builder(absoluteFile(location(), mixee.commandLine().getErr())).options(options).build();
    }

    /**
     * {@code location}, with a relative {@code file:} directory resolved against the current
     * directory, and a note on {@code err} naming the absolute directory. Resolved rather than
     * refused: the library takes relative directories (as Django does), and a script that
     * changes to its directory first may mean one; what was wrong was the silence, which left a
     * stray folder wherever the command happened to run. Any other location is returned as it is.
     */
    public static String absoluteFile(String location, PrintWriter err) {
        CacheConfig parsed;
        try {
            parsed = CacheConfig.builder(location).build();
        } catch (RuntimeException e) {
            return location; // the open reports it, with its own message
        }
        String dir = parsed.target();
        if (!parsed.scheme().equals("file") || dir.isBlank() || Path.of(dir).isAbsolute()) {
            return location;
        }
        int at = location.indexOf(dir);
        if (at < 0) {
            return location;
        }
        Path abs = Path.of(dir).toAbsolutePath().normalize();
        err.println("cachet: file:" + dir + " is a relative directory; using " + abs);
        err.flush();
        return location.substring(0, at) + abs + location.substring(at + dir.length());
    }
}
