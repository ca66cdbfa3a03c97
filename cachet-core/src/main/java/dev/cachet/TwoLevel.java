package dev.cachet;

import dev.cachet.internal.twolevel.Backplanes;
import dev.cachet.spi.Backplane;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A two-level cache: local memory (Caffeine) in front of a shared cache, with invalidations
 * carried between the application's instances by a {@linkplain Backplane backplane} that
 * cannot lose one silently.
 * <pre>
 * Cache shared = Caches.open("redis://cache-host:6379/0");
 * Cache cache = TwoLevel.over(shared)
 *         .backplane("redis://cache-host:6379/0")
 *         .localMaxEntries(10_000)
 *         .localTimeout(Duration.ofMinutes(5))
 *         .stalenessBound(Duration.ofSeconds(1))
 *         .build();
 * </pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Reads</b> ({@code get}, {@code lookup}, {@code getMany}, {@code hasKey}, Django's
 *       {@code getOrSet}) answer from the local level when it holds the key, else from the
 *       shared cache, and keep what they read locally for at most the local timeout (less when
 *       this instance wrote the key with a shorter timeout). Values are kept by reference: do
 *       not modify a value read.</li>
 *   <li><b>Writes</b> ({@code set}, {@code add}, {@code touch}, {@code delete}, the bulk forms,
 *       {@code incr}, {@code incrVersion}) go to the shared cache first, then drop the local copy
 *       here and announce the key to the other instances, which drop theirs. {@code clear} and
 *       {@code invalidateTag} drop every local copy in every instance (a local copy does not
 *       know its tags). Namespaces work as on one level: a namespace's invalidation is a write of
 *       its generation.</li>
 *   <li><b>The fresh-data pipeline</b> ({@code getOrSet} and {@code getOrSetMany} with a
 *       {@link Freshness}, {@code refresh}, {@code prefetch}, registered loaders) reads the
 *       local level first: a local copy of the stamped entry answers a hit, still through the
 *       pipeline's rules (stale-while-revalidate, early refresh, fail-safe; a tagged entry's tags'
 *       versions are read from the shared cache every time), under the same staleness bound,
 *       and no longer than the shared entry lives; what a load or refresh stores goes to the
 *       shared cache, then to the local level, and is announced as a write is. Over a shared
 *       cache not opened by {@link Caches} (a decorator), the pipeline runs on the shared cache
 *       and what its loaders compute is announced when the loader returns and again one
 *       heartbeat later.</li>
 *   <li><b>The staleness bound</b>: once a write through any instance is acknowledged, no
 *       instance serves the value it replaced from its local level for longer than
 *       {@link Builder#stalenessBound the bound}, whatever the network does (a lost message, a
 *       cut connection, a dead broker). Each message carries its publisher's epoch and sequence
 *       number; every instance sends a heartbeat each quarter of the bound. A receiver clears
 *       its local level on a gap in a publisher's sequence, on a new publisher (epoch), on its
 *       own reconnect, and when a publisher stays silent for the bound. And the read path itself
 *       refuses a local copy read from the shared cache more than the bound ago unless the
 *       backplane has confirmed, less than the bound ago, that every message sent before was
 *       applied: so a lost message costs at most the bound, even with no message to reveal
 *       it. The bound is measured with the instances' wall clocks: clock skew between hosts adds
 *       to it.</li>
 *   <li>Entries the shared cache expires on its own (their timeout) may be read from a local
 *       copy until its local timeout: keep the local timeout below the shortest timeout you
 *       rely on, or write those keys through this instance (a write here caps its local copies
 *       at the write's timeout).</li>
 *   <li>{@link Cache#withVersion} views share the local level and the backplane; the async face
 *       answers a local hit at once and runs the rest on the shared cache's async face;
 *       {@code close} says goodbye on the backplane, closes it and the shared cache.</li>
 * </ul>
 * Thread-safe.
 */
public final class TwoLevel {
    private TwoLevel() {
    }

    /**
     * What a two-level cache did: the local copies it holds (every version), and how often it
     * cleared its local level because messages may have been lost (a gap, a new instance, a
     * reconnect, a silent instance).
     *
     * @param localEntries local copies held now (expired ones included until evicted or read)
     * @param resets clears of the local level for a possible loss, since the cache was built
     */
    public record Stats(long localEntries, long resets) {
    }

    /** The {@link Stats} of {@code cache}, or empty when it was not built by {@link Builder#build()}. */
    public static java.util.Optional<Stats> stats(Cache cache) {
        return cache instanceof dev.cachet.internal.twolevel.TwoLevelCache t
                ? java.util.Optional.of(new Stats(t.localSize(), t.resets())) : java.util.Optional.empty();
    }

    /** A builder of a two-level cache in front of {@code shared}, which the built cache owns (closes). */
    public static Builder over(Cache shared) {
        return new Builder(shared);
    }

    /** Configures a two-level cache. Not thread-safe. */
    public static final class Builder {
        private final Cache shared;
        private long maxEntries = 10_000;
        private Duration localTimeout = Duration.ofMinutes(1);
        private Duration bound = Duration.ofSeconds(1);
        private String location;
        private Backplane backplane;
        private String channel;
        private Clock clock = Clock.systemUTC();
        private UnaryOperator<Backplane> decorator = UnaryOperator.identity();

        private Builder(Cache shared) {
            this.shared = Objects.requireNonNull(shared, "shared cache must not be null");
        }

        /** How many local copies at most (Caffeine's size eviction); default 10,000. */
        public Builder localMaxEntries(long maxEntries) {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("localMaxEntries must be positive: " + maxEntries);
            }
            this.maxEntries = maxEntries;
            return this;
        }

        /** How long a local copy lives at most when the backplane confirms it is in sync; default 1 minute. */
        public Builder localTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "localTimeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("localTimeout must be positive: " + timeout);
            }
            this.localTimeout = timeout;
            return this;
        }

        /**
         * The bound on staleness (see the class comment); default 1 second. Heartbeats go out
         * each quarter of it, so a short bound costs messages: 4 per second per instance at 1 s.
         */
        public Builder stalenessBound(Duration bound) {
            Objects.requireNonNull(bound, "stalenessBound must not be null");
            if (bound.toMillis() < 4) {
                throw new IllegalArgumentException("stalenessBound must be at least 4 ms: " + bound);
            }
            this.bound = bound;
            return this;
        }

        /**
         * Where the backplane is: {@code redis://...} (module {@code cachet-redis}, pub/sub on
         * its own connection), {@code jdbc:postgresql://...} ({@code cachet-jdbc},
         * {@code LISTEN/NOTIFY}), {@code memcached://...} ({@code cachet-memcached}, a polled
         * generation key), or {@code memory:} (the two-level caches of this JVM). Options after
         * {@code ?}: {@code channel} and the backplane's own.
         */
        public Builder backplane(String location) {
            this.location = Objects.requireNonNull(location, "backplane location must not be null");
            this.backplane = null;
            return this;
        }

        /** A backplane opened by the caller (the built cache owns it). */
        public Builder backplane(Backplane backplane) {
            this.backplane = Objects.requireNonNull(backplane, "backplane must not be null");
            this.location = null;
            return this;
        }

        /** The channel when the location names none; default {@code cachet-} and the cache's name. */
        public Builder channel(String channel) {
            this.channel = Objects.requireNonNull(channel, "channel must not be null");
            return this;
        }

        /**
         * Wraps the backplane once it is opened (a test hook that drops messages, a metered
         * backplane); the wrapper is owned and closed with the cache.
         */
        public Builder decorateBackplane(UnaryOperator<Backplane> decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator must not be null");
            return this;
        }

        /** The clock of local expiry and of the bound (tests); default the system's UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * The two-level cache, subscribed to its backplane.
         *
         * @throws IllegalArgumentException when no backplane was given, or its location is bad
         */
        public Cache build() {
            if (location == null && backplane == null) {
                throw new IllegalArgumentException("cache '" + shared.name() + "': a two-level cache needs a backplane:"
                        + " redis://..., jdbc:postgresql://..., memcached://..., or memory: for caches in one JVM");
            }
            long boundMillis = bound.toMillis();
            Backplane b = backplane != null ? backplane : Backplanes.open(shared.name(), location,
                    channel != null ? channel : "cachet-" + shared.name(), Math.max(1, boundMillis / 4));
            return Backplanes.twoLevel(shared, Objects.requireNonNull(decorator.apply(b), "decorated backplane"), maxEntries, localTimeout.toMillis(), boundMillis, clock);
        }
    }
}
