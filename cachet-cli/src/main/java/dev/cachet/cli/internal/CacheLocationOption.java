package dev.cachet.cli.internal;

import dev.cachet.CacheConfig;
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

    /** The configuration of the location and options given (checked when the cache is opened). */
    public CacheConfig config() {
        return CacheConfig.builder(location()).options(options).build();
    }
}
