package dev.cachet;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How {@link Cache#getOrSet(String, Class, java.util.function.Supplier, Freshness)} keeps a
 * value fresh under load: the entry's two expiries, what happens when the loader fails or is
 * slow, and when to recompute ahead of expiry. Immutable; build one with {@link #builder()} and
 * reuse it. Every knob is off by default, except cross-process leases.
 *
 * <h2>The two expiries</h2>
 * <ul>
 *   <li>{@link Builder#timeout(Timeout) timeout}: the entry's physical life on the backend (the
 *       cache's default unless given), as in {@link Cache#set(String, Object, Timeout)};</li>
 *   <li>{@link Builder#freshFor(Duration) freshFor}: its logical life. After it, and until the
 *       timeout, a read returns the stale value at once and starts one background refresh
 *       (stale-while-revalidate). Without it, an entry is fresh for its whole life.</li>
 * </ul>
 * Both travel in the entry, so every process and backend sees them; an entry written without
 * them (by {@code set}) is fresh until it expires.
 *
 * <h2>Failures and slow loaders</h2>
 * <ul>
 *   <li>{@link Builder#failSafe(Duration, Duration) failSafe(max, throttle)}: the entry is kept
 *       until {@code max} after its fresh period ends (or its timeout, if later). When the loader
 *       throws or times out, the last good value is returned instead of the failure, and marked
 *       fresh for {@code throttle}, so the loader is retried at most once per throttle period;
 *       never past {@code max}.</li>
 *   <li>{@link Builder#softLoaderTimeout(Duration) softLoaderTimeout}: when a key has a stale
 *       value and its load takes longer, the stale value is returned and the load finishes in
 *       the background (its result is stored).</li>
 *   <li>{@link Builder#hardLoaderTimeout(Duration) hardLoaderTimeout}: the longest a caller
 *       waits for a load: then it gets the fail-safe value, or a {@link LoadTimeoutException};
 *       the load still finishes in the background and stores its result.</li>
 * </ul>
 *
 * <h2>Recomputing ahead of expiry</h2>
 * <ul>
 *   <li>{@link Builder#eagerRefresh(double) eagerRefresh(f)}: a hit after the fraction
 *       {@code f} of the fresh period starts a background refresh;</li>
 *   <li>{@link Builder#xfetch(double) xfetch(beta)}: probabilistic early recomputation (Vattani,
 *       Chierichetti, Lowenstein, VLDB 2015): a hit at time {@code t} starts a background refresh
 *       when {@code t - delta * beta * ln(rand) >= freshUntil}, {@code delta} being the last
 *       load's duration, recorded in the entry;</li>
 *   <li>{@link Builder#jitter(Duration) jitter}: a random extra of up to this much on both
 *       expiries, so keys written together do not expire together.</li>
 * </ul>
 *
 * <h2>Stampedes</h2>
 * Loads and refreshes of one key are single-flight in the process. On a backend shared by
 * processes (every one but local memory) a load is also taken as a lease, a key added for
 * {@link Builder#leaseTime(Duration) leaseTime}: exactly one process loads; the others return
 * the stale value if there is one, else wait for the winner's value (polling with a backoff up
 * to 20 ms), or take over when the winner's lease expires (it died). Background work runs on the
 * cache's bounded refresh executor, or the one given by {@link Builder#executor(Executor)}; a
 * full executor drops the refresh (counted in {@link CacheStats#refreshesDropped()}) and never
 * blocks a reader.
 */
public final class Freshness {
    private static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    /** Every knob off: {@code getOrSet} as without options, with leases across processes. */
    public static final Freshness DEFAULT = builder().build();

    private final Timeout timeout;
    private final Duration freshFor;
    private final Duration failSafeMax;
    private final Duration failSafeThrottle;
    private final Duration softLoaderTimeout;
    private final Duration hardLoaderTimeout;
    private final double eagerRefresh;
    private final double xfetchBeta;
    private final Duration jitter;
    private final boolean leases;
    private final Duration leaseTime;
    private final Executor executor;

    private Freshness(Builder b) {
        this.timeout = b.timeout;
        this.freshFor = b.freshFor;
        this.failSafeMax = b.failSafeMax;
        this.failSafeThrottle = b.failSafeThrottle;
        this.softLoaderTimeout = b.softLoaderTimeout;
        this.hardLoaderTimeout = b.hardLoaderTimeout;
        this.eagerRefresh = b.eagerRefresh;
        this.xfetchBeta = b.xfetchBeta;
        this.jitter = b.jitter;
        this.leases = b.leases;
        this.leaseTime = b.leaseTime != null ? b.leaseTime
                : hardLoaderTimeout != null && hardLoaderTimeout.compareTo(DEFAULT_LEASE) > 0 ? hardLoaderTimeout
                : DEFAULT_LEASE;
        this.executor = b.executor;
        if (freshFor != null && !timeout.isDefault() && !timeout.isForever() && freshFor.compareTo(timeout.duration()) > 0
                && failSafeMax == null) {
            throw new IllegalArgumentException("freshFor " + freshFor + " is longer than the timeout "
                    + timeout.duration() + ": the entry would expire while still fresh");
        }
        if (softLoaderTimeout != null && hardLoaderTimeout != null
                && softLoaderTimeout.compareTo(hardLoaderTimeout) >= 0) {
            throw new IllegalArgumentException("softLoaderTimeout " + softLoaderTimeout
                    + " must be shorter than hardLoaderTimeout " + hardLoaderTimeout);
        }
    }

    /** Options with {@code freshFor} set and everything else off. */
    public static Freshness freshFor(Duration freshFor) {
        return builder().freshFor(freshFor).build();
    }

    /** A builder with every knob off. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change some. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeout = timeout;
        b.freshFor = freshFor;
        b.failSafeMax = failSafeMax;
        b.failSafeThrottle = failSafeThrottle;
        b.softLoaderTimeout = softLoaderTimeout;
        b.hardLoaderTimeout = hardLoaderTimeout;
        b.eagerRefresh = eagerRefresh;
        b.xfetchBeta = xfetchBeta;
        b.jitter = jitter;
        b.leases = leases;
        b.leaseTime = leaseTime;
        b.executor = executor;
        return b;
    }

    /** The entry's physical timeout ({@link Timeout#DEFAULT} unless set). */
    public Timeout timeout() {
        return timeout;
    }

    /** The logical life, or {@code null} when an entry is fresh for its whole life. */
    public Duration freshFor() {
        return freshFor;
    }

    /** How long past its fresh period a value may stand in for a failed load; {@code null} when fail-safe is off. */
    public Duration failSafeMax() {
        return failSafeMax;
    }

    /** After a fail-safe activation, how long before the loader is tried again; {@code null} when off. */
    public Duration failSafeThrottle() {
        return failSafeThrottle;
    }

    /** The soft loader timeout, or {@code null}. */
    public Duration softLoaderTimeout() {
        return softLoaderTimeout;
    }

    /** The hard loader timeout, or {@code null}. */
    public Duration hardLoaderTimeout() {
        return hardLoaderTimeout;
    }

    /** The fraction of the fresh period after which a hit refreshes; 0 when off. */
    public double eagerRefresh() {
        return eagerRefresh;
    }

    /** XFetch's beta; 0 when off. */
    public double xfetchBeta() {
        return xfetchBeta;
    }

    /** The most added at random to both expiries; zero when off. */
    public Duration jitter() {
        return jitter;
    }

    /** Whether loads are taken as leases on a backend shared by processes. */
    public boolean leases() {
        return leases;
    }

    /** How long a load's lease lives: the bound after which a dead loader's key is taken over. */
    public Duration leaseTime() {
        return leaseTime;
    }

    /** The executor for background loads and refreshes, or {@code null} for the cache's own. */
    public Executor executor() {
        return executor;
    }

    @Override
    public String toString() {
        return "Freshness[timeout=" + timeout + ", freshFor=" + freshFor + ", failSafe=" + failSafeMax + "/"
                + failSafeThrottle + ", loaderTimeouts=" + softLoaderTimeout + "/" + hardLoaderTimeout
                + ", eagerRefresh=" + eagerRefresh + ", xfetchBeta=" + xfetchBeta + ", jitter=" + jitter
                + ", leases=" + leases + "/" + leaseTime + "]";
    }

    /** Builds {@link Freshness} options; each setter checks its argument and names it when refusing it. */
    public static final class Builder {
        private Timeout timeout = Timeout.DEFAULT;
        private Duration freshFor;
        private Duration failSafeMax;
        private Duration failSafeThrottle;
        private Duration softLoaderTimeout;
        private Duration hardLoaderTimeout;
        private double eagerRefresh;
        private double xfetchBeta;
        private Duration jitter = Duration.ZERO;
        private boolean leases = true;
        private Duration leaseTime;
        private Executor executor;

        private Builder() {
        }

        /** The entry's physical timeout. */
        public Builder timeout(Timeout timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
            return this;
        }

        /** The entry's physical timeout, as a duration. */
        public Builder timeout(Duration timeout) {
            return timeout(Timeout.of(positive("timeout", timeout)));
        }

        /** The logical life: after it, reads serve the value stale while one refresh runs. */
        public Builder freshFor(Duration freshFor) {
            this.freshFor = positive("freshFor", freshFor);
            return this;
        }

        /**
         * Fail-safe: a value may stand in for a failed or timed-out load for up to {@code max}
         * after its fresh period, and the loader is retried at most once per {@code throttle}.
         */
        public Builder failSafe(Duration max, Duration throttle) {
            this.failSafeMax = positive("failSafe max", max);
            this.failSafeThrottle = positive("failSafe throttle", throttle);
            return this;
        }

        /** With a stale value at hand, wait at most this long for a load before returning it. */
        public Builder softLoaderTimeout(Duration timeout) {
            this.softLoaderTimeout = positive("softLoaderTimeout", timeout);
            return this;
        }

        /** Wait at most this long for a load, then fail safe or throw {@link LoadTimeoutException}. */
        public Builder hardLoaderTimeout(Duration timeout) {
            this.hardLoaderTimeout = positive("hardLoaderTimeout", timeout);
            return this;
        }

        /** A hit after {@code fraction} (between 0 and 1, exclusive) of the fresh period refreshes in the background. */
        public Builder eagerRefresh(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("eagerRefresh must be a fraction between 0 and 1 (exclusive), not "
                        + fraction);
            }
            this.eagerRefresh = fraction;
            return this;
        }

        /** Probabilistic early recomputation with this beta (1.0 is the paper's default; above 1 favours earlier). */
        public Builder xfetch(double beta) {
            if (!(beta > 0 && beta < 1e6)) {
                throw new IllegalArgumentException("xfetch beta must be positive and finite, not " + beta);
            }
            this.xfetchBeta = beta;
            return this;
        }

        /** Adds a random extra of up to {@code jitter} to both expiries. */
        public Builder jitter(Duration jitter) {
            Objects.requireNonNull(jitter, "jitter must not be null");
            if (jitter.isNegative()) {
                throw new IllegalArgumentException("jitter must not be negative, not " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /** Whether to take loads as leases across processes (on by default; local memory never needs them). */
        public Builder leases(boolean leases) {
            this.leases = leases;
            return this;
        }

        /** How long a load's lease lives (30 s, or the hard loader timeout if longer, by default). */
        public Builder leaseTime(Duration leaseTime) {
            this.leaseTime = positive("leaseTime", leaseTime);
            return this;
        }

        /** The executor for background loads and refreshes; it should reject work when full rather than queue without bound. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException when {@code freshFor} is longer than a timeout
         *     without fail-safe, or the soft loader timeout is not shorter than the hard one
         */
        public Freshness build() {
            return new Freshness(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what + " must not be null");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, not " + d);
            }
            return d;
        }
    }
}
