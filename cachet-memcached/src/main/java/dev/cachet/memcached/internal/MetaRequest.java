package dev.cachet.memcached.internal;

import dev.cachet.spi.ReplyWait;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One write to a connection: one or more commands, encoded on the caller's thread, and the
 * replies they expect. The connection calls {@link #onResponse} for each reply in order, on its
 * event loop, until it returns true; {@link #fail} ends it early (connection lost, timeout,
 * protocol anomaly). Exactly one of the two completes it.
 */
abstract class MetaRequest<T> {
    /** Completes with what the replies say, or fails. */
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final String what;
    private ByteBuf payload;
    /** When the request was handed to the connection (System.nanoTime). */
    long startedNanos;
    /** When its last byte was handed to the socket (System.nanoTime), 0 until then. Event loop. */
    long sentNanos;
    /** True once the request was handed to another connection because its first one closed before sending it. */
    boolean rerouted;
    /**
     * True for a request no caller waits for (a background refresh): with
     * {@code transport=blocking} it goes on the pipelined connections, off the caller's thread.
     */
    boolean background;
    /** Told how long the replies took, from the write to the last reply (event loop time). */
    ReplyWait replyWait;

    /** Records the round trip of a completed request. Event loop. */
    final void completed() {
        ReplyWait t = replyWait;
        if (t != null && startedNanos != 0) {
            t.record(System.nanoTime() - startedNanos);
        }
    }

    MetaRequest(ByteBuf payload, String what) {
        this.payload = payload;
        this.what = what;
    }

    /** The encoded commands; ownership passes to the caller (once). */
    final ByteBuf takePayload() {
        ByteBuf p = payload;
        payload = null;
        return p;
    }

    /** Releases the payload if it was never written. */
    final void releasePayload() {
        ByteBuf p = payload;
        payload = null;
        if (p != null) {
            p.release();
        }
    }

    /**
     * Takes the next reply.
     *
     * @return true when the request has all its replies
     * @throws ProtocolException when this reply cannot belong to this request
     */
    abstract boolean onResponse(MetaResponse r);

    /** Ends the request with {@code cause}, if it has not ended. */
    final void fail(Throwable cause) {
        releasePayload();
        future.completeExceptionally(cause);
    }

    /** A short description for error messages. */
    final String describe() {
        return what;
    }
}
