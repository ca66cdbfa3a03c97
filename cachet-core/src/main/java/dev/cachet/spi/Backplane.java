package dev.cachet.spi;

/**
 * The channel a two-level cache ({@link dev.cachet.TwoLevel}) announces its invalidations on
 * and hears the other instances' on: Redis pub/sub, PostgreSQL {@code LISTEN/NOTIFY}, a polled
 * memcached generation key, or the JVM itself ({@code memory:}). Opened from a location by a
 * {@link BackplaneProvider}. It only carries messages; the core numbers them, sends the
 * heartbeats, and decides what a gap, a new epoch, a reset or a silence means.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #publish} sends one message to every subscriber of the channel, this instance's
 *       own included, and keeps the order of one publisher's messages. It may return before
 *       delivery. It must not block longer than a short bounded time; when it cannot send it
 *       may throw or drop the message: the receivers see a gap in the sequence.</li>
 *   <li>{@link Listener#onMessage} is called in the order the channel delivers, from one
 *       thread at a time.</li>
 *   <li>{@link Listener#onReset} is called whenever messages may have been lost without a gap
 *       to show it: after the subscription was (re)established, or when a polling backplane saw
 *       its generation move. The receiver then drops its whole local level.</li>
 *   <li>A backplane that cannot deliver messages but can tell that nothing was published
 *       since a moment (memcached polling a generation) calls {@link Listener#onInSync}
 *       instead; a receiver of such a backplane treats a silence of {@code onInSync} like a
 *       silent publisher.</li>
 * </ul>
 * Implementations are thread-safe; {@link #close()} unsubscribes and releases connections.
 */
public interface Backplane extends AutoCloseable {

    /** Sends {@code message} to every subscriber; see the class comment. */
    void publish(Invalidation message);

    /**
     * Starts delivering the channel's messages to {@code listener} (one listener per backplane:
     * a second call replaces the first). Returns without waiting for the subscription; the
     * backplane calls {@link Listener#onReset} once it is live.
     */
    void subscribe(Listener listener);

    /** Where the backplane is, for messages: no password or other secret. */
    String describe();

    /** Unsubscribes and releases what the backplane holds. Idempotent. */
    @Override
    void close();

    /** What a backplane tells its subscriber. Implemented by the core. */
    interface Listener {
        /** A message from the channel (the subscriber's own included). */
        void onMessage(Invalidation message);

        /** Messages may have been lost (a new or restored subscription, a moved generation): drop everything. */
        void onReset(String reason);

        /** The subscription is down (it comes back by itself and then calls {@link #onReset}). */
        void onDisconnected(String reason);

        /**
         * Everything published before {@code asOfMillis} (wall clock) has reached this
         * subscriber: for backplanes that poll instead of delivering messages.
         */
        default void onInSync(long asOfMillis) {
        }
    }
}
