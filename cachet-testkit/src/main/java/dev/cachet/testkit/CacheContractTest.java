package dev.cachet.testkit;

import dev.cachet.Cache;
import dev.cachet.CacheConfig;
import java.util.concurrent.TimeUnit;

/**
 * The contract every cachet backend honours: the meaning of each {@link Cache} operation as
 * its javadoc states it, checked against real values. The Java twin of Django's
 * {@code BaseCacheTests}; every backend's test class extends it and runs it against the real
 * thing (a real server for server backends).
 *
 * <h2>Writing a backend's test</h2>
 * <pre>
 * class RedisCacheTest extends CacheContractTest {
 *     protected String location() {
 *         return "redis://" + Servers.requireRedis().address();
 *     }
 * }
 * </pre>
 * Hooks (declared in {@link ContractFixture}, with the fixture and its helpers):
 * <ul>
 *   <li>{@link #location()} (required): where the cache lives; it may carry options after
 *       {@code ?}.</li>
 *   <li>{@link #createCache(CacheConfig.Builder)}: opens a cache from a builder the suite has
 *       filled with {@code location()}, a {@code key_prefix} unique to the test (so tests can
 *       share one server), the test clock when there is one, and the test's own options.
 *       Override to add backend options; keep the given ones.</li>
 *   <li>{@link #clock()}: return {@link #testClock} when the backend honours
 *       {@link CacheConfig#clock()} (the suite then moves time instead of waiting). Server
 *       backends keep the default {@code null}: expiry tests then use real
 *       {@linkplain #shortTimeout() short timeouts} and wait, by polling with a deadline, for a
 *       probe key to expire.</li>
 *   <li>{@link #storesValues()}: false only for the dummy backend, whose own documented
 *       behaviour the {@code dummy*} tests check; tests about stored values are skipped for
 *       it.</li>
 *   <li>{@link #serializesValues()}: false when values are kept by reference (local memory by
 *       default), which skips the codec's checks.</li>
 *   <li>{@link #sharesStorage()}: false when two caches opened on one location do not see
 *       each other's entries (local memory).</li>
 * </ul>
 *
 * <p>A test that opens further caches (other options, another prefix) uses {@link #open}; the
 * suite closes them all after the test. Every test works inside its own key prefix, and entries
 * it leaves expire with the default timeout; one test alone empties the store at
 * {@link #location()}, as a cache with a custom key function's {@code clear} does (see
 * {@link ClearAndCloseContract}): give the suite a database, table or server of its own.
 *
 * <h2>How the suite is laid out</h2>
 * The hooks, the per-test fixture and the helpers are in {@link ContractFixture}. The tests are
 * in one abstract class per feature, each using nothing but that fixture: {@link ReadContract}
 * (get, lookup, set, a stored null), {@link WriteContract} (add, touch, delete, hasKey),
 * {@link GetOrSetContract}, {@link BulkContract} (getMany, setMany, deleteMany),
 * {@link CounterContract} (incr, decr, versions), {@link KeyContract} (prefixes, key functions,
 * hashed and strict keys), {@link ValueTypeContract} (value types, typed reads),
 * {@link CodecContract} (allowed and refused classes, copies, large values, compression),
 * {@link ExpiryContract}, {@link ClearAndCloseContract}, {@link AsyncContract},
 * {@link ConcurrencyContract}, {@link DummyContract}, {@link FreshnessContract}, {@link NamespaceContract}
 * and {@link ExpireContract}. They form
 * one inheritance chain, in that order from the fixture up to this class, so that a backend's
 * test class inherits every test as
 * its own: JUnit runs each as a method of that class on one fixture, and Surefire reports it
 * under that class's name. (With {@code @Nested} feature classes Surefire reports the tests of
 * every backend under one shared nested class name instead.) A new test goes in the class of its
 * feature; a new feature is a new link in the chain.
 */
@org.junit.jupiter.api.Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class CacheContractTest extends ExpireContract {
    // The tests are in the feature classes this class extends; see the class comment.
}
