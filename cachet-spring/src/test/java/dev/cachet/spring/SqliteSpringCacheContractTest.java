package dev.cachet.spring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Spring contract on SQLite (a database file in a scratch directory of this JVM). */
class SqliteSpringCacheContractTest extends SpringCacheContract {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("cachet-spring-sqlite");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String location() {
        return "jdbc:sqlite:" + DIR.resolve("spring.db");
    }

    @Override
    protected java.util.Map<String, String> options() {
        return java.util.Map.of("create_table", "true");
    }
}
