package dev.cachet.redis;

import dev.cachet.spi.Store;
import dev.cachet.testkit.StoreContractTest;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Store contract on a private Redis (its own process: the scope test ends by emptying the
 * database), logged in as an ACL user, {@value #USER}, whose key permissions the
 * partial-failure test narrows so that one key cannot be written.
 */
class RedisStoreContractTest extends StoreContractTest {
    /** Redis counts an entry's time left from the write's arrival: it may outlive its deadline by the write's transit. */
    @Override
    protected java.time.Duration expiryLatency() {
        return java.time.Duration.ofMillis(250);
    }

    private static final String USER = "cachet";
    private static RedisProcess redis;

    @BeforeAll
    static void startServer() {
        redis = RedisProcess.launch("--user", USER, "on", ">secret", "~*", "&*", "+@all");
    }

    @AfterAll
    static void stopServer() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void restoreTheUsersKeys() {
        setUser("resetkeys", "~*");
    }

    @Override
    protected String location() {
        return "redis://" + USER + ":secret@" + redis.address() + "/0";
    }

    /**
     * {@code <prefix>:1:blocked}: the user may then read every key but write only the keys of
     * the prefix at version 1 that do not start with {@code b} (the prefix holds no glob
     * specials: it is letters and digits).
     */
    @Override
    protected String unwritableKey(Store store, String prefix) {
        setUser("resetkeys", "%R~*", "%W~" + prefix + ":1:[^b]*");
        return prefix + ":1:blocked";
    }

    /** {@code ACL SETUSER} of {@value #USER} with {@code rules}, as the default user. */
    private static void setUser(String... rules) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(USER);
        for (String r : rules) {
            args.add(r);
        }
        RedisKeys.with("redis://" + redis.address() + "/0",
                r -> r.dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args));
    }
}
