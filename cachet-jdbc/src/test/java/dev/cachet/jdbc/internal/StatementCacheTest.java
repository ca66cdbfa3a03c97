package dev.cachet.jdbc.internal;

import static dev.cachet.jdbc.internal.JdbcFixture.b;
import static dev.cachet.jdbc.internal.JdbcFixture.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.NotAnIntegerException;
import dev.cachet.jdbc.Dialect;
import dev.cachet.spi.PutMode;
import dev.cachet.spi.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SQLite and H2 keep their prepared statements per connection (their drivers would prepare anew
 * at every use); PostgreSQL and MariaDB leave that to their drivers.
 */
class StatementCacheTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void onlyTheEmbeddedDatabasesKeepStatements(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "stmts")) {
            JdbcStore store = f.store();
            store.put("k", b("v"), Store.NEVER, PutMode.SET);
            assertThat(s(store.get("k"))).isEqualTo("v");
            if (dialect == Dialect.SQLITE || dialect == Dialect.H2) {
                assertThat(store.statementCache()).isNotNull();
                assertThat(store.statementCache().connections()).isEqualTo(1);
            } else {
                assertThat(store.statementCache()).isNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "H2"})
    void keptStatementsGiveTheSameAnswersAndStayBounded(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "stmtlru")) {
            JdbcStore store = f.store(o -> o.option("cull_probability", 0));
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    store.put("k" + i, b("v" + round + "-" + i), Store.NEVER, PutMode.SET);
                }
                for (int i = 0; i < 50; i++) {
                    assertThat(s(store.get("k" + i))).isEqualTo("v" + round + "-" + i);
                    assertThat(store.has("k" + i)).isTrue();
                }
            }
            assertThat(store.put("k0", b("again"), Store.NEVER, PutMode.ADD)).isFalse();
            assertThat(store.delete("k0")).isTrue();
            assertThat(store.delete("k0")).isFalse();
            assertThat(store.put("k0", b("again"), Store.NEVER, PutMode.ADD)).isTrue();
            // setMany of 70 different sizes: 70 statement texts, of which the cache keeps the latest
            for (int n = 2; n < 72; n++) {
                Map<String, byte[]> batch = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    batch.put("m" + i, b(n + ":" + i));
                }
                assertThat(store.putMany(batch, Store.NEVER)).isEmpty();
                String prefix = n + ":";
                assertThat(store.getMany(batch.keySet())).hasSize(n).allSatisfy((k, v) -> assertThat(s(v)).startsWith(prefix));
            }
            assertThat(store.statementCache().sizes()).singleElement()
                    .isEqualTo(StatementCache.PER_CONNECTION);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "H2"})
    void aFailedOperationDropsTheConnectionsStatementsAndTheNextOnePreparesAfresh(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "stmtfail")) {
            JdbcStore store = f.store();
            store.put("text", b("not a number"), Store.NEVER, PutMode.SET);
            store.put("n", b("41"), Store.NEVER, PutMode.SET);
            assertThat(store.get("n")).isNotNull();
            assertThat(store.statementCache().connections()).isEqualTo(1);
            assertThatThrownBy(() -> store.incr("text", 1)).isInstanceOf(NotAnIntegerException.class);
            assertThat(store.statementCache().connections()).isZero();
            assertThat(store.incr("n", 1)).isEqualTo(42L);
            assertThat(s(store.get("n"))).isEqualTo("42");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"SQLITE", "H2"})
    void keptStatementsSurviveTheTableBeingDroppedAndCreatedAgain(Dialect dialect) throws Exception {
        try (JdbcFixture f = new JdbcFixture(dialect, "stmtddl")) {
            JdbcStore store = f.store();
            store.put("k", b("before"), Store.NEVER, PutMode.SET);
            assertThat(s(store.get("k"))).isEqualTo("before");
            Databases.recreate(f.url, f.table);
            assertThat(store.get("k")).isNull();
            store.put("k", b("after"), Store.NEVER, PutMode.SET);
            assertThat(s(store.get("k"))).isEqualTo("after");
            assertThat(store.getMany(List.of("k", "other"))).containsOnlyKeys("k");
        }
    }
}
