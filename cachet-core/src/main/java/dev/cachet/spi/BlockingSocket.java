package dev.cachet.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One blocking TCP connection that one caller at a time uses for a call (write a request, read
 * its reply) on its own thread, for a backend whose calls should cost what a plain socket's
 * do: no hand-off to an event loop and back. It keeps what a watchdog needs to enforce
 * timeouts without a timer per call: whether a write or a read is in progress and when it last
 * moved; {@link #checkTimeouts} closes the channel under a call that stalled, and the blocked
 * write or read then fails. A reply expected soon can be polled for without blocking
 * ({@link #read(ByteBuffer, long)}), so that it wakes no blocked thread.
 *
 * <p>A socket that failed in any way is {@linkplain #abort aborted} and never used again;
 * {@link #failure} names why. Not thread-safe, but for {@link #abort} and
 * {@link #checkTimeouts}, which any thread may call.
 */
public final class BlockingSocket {
    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int READING = 2;
    /** Writes go out in pieces of at most this, so that progress is seen between them. */
    private static final int WRITE_PIECE = 256 * 1024;

    private final SocketChannel channel;
    private final String label;
    private volatile int state = IDLE;
    private volatile long progressNanos;
    private volatile String current;
    private volatile String abortReason;
    private volatile boolean abortIsFault;
    private long idleSinceNanos = System.nanoTime();

    private BlockingSocket(SocketChannel channel, String label) {
        this.channel = channel;
        this.label = label;
    }

    /**
     * Connects to {@code host:port} within {@code connectTimeoutMillis}, with {@code TCP_NODELAY}
     * and keep-alive, on the caller's thread.
     *
     * @param label how messages name the server, e.g. {@code host:port}
     * @throws IOException when it cannot connect
     */
    public static BlockingSocket open(String host, int port, long connectTimeoutMillis, String label) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            ch.socket().connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis));
            return new BlockingSocket(ch, label);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The server, as given at open. */
    public String label() {
        return label;
    }

    /** Starts a call described by {@code what} (for timeout messages): its write comes next. */
    public void begin(String what) {
        current = what;
        progressNanos = System.nanoTime();
        state = WRITING;
    }

    /** Writes all of {@code buffers}, blocking; the call then waits for its reply. */
    public void write(ByteBuffer[] buffers) throws IOException {
        long left = 0;
        for (ByteBuffer b : buffers) {
            left += b.remaining();
        }
        if (left <= WRITE_PIECE) {
            while (left > 0) {
                left -= channel.write(buffers);
                progressNanos = System.nanoTime();
            }
        } else {
            for (ByteBuffer b : buffers) {
                int limit = b.limit();
                while (b.hasRemaining()) {
                    b.limit(Math.min(limit, b.position() + WRITE_PIECE));
                    channel.write(b);
                    b.limit(limit);
                    progressNanos = System.nanoTime();
                }
            }
        }
        progressNanos = System.nanoTime();
        state = READING;
    }

    /**
     * Reads into {@code dst}, first polling without blocking until {@code spinUntil} (a
     * {@code System.nanoTime} value; 0: block at once), then blocking.
     *
     * @return the bytes read (at least one), or -1 at end of stream
     */
    public int read(ByteBuffer dst, long spinUntil) throws IOException {
        int n = 0;
        if (spinUntil != 0) {
            channel.configureBlocking(false);
            try {
                while ((n = channel.read(dst)) == 0 && System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                }
            } finally {
                channel.configureBlocking(true);
            }
        }
        if (n == 0) {
            n = channel.read(dst);
        }
        progressNanos = System.nanoTime();
        return n;
    }

    /** Ends the call: the socket is idle, ready for the next one. */
    public void end() {
        state = IDLE;
        current = null;
        idleSinceNanos = System.nanoTime();
    }

    /** How long the socket has been idle, in nanoseconds, at {@code now}. */
    public long idleNanos(long now) {
        return now - idleSinceNanos;
    }

    /**
     * For a socket that sat idle: true when it is still open with no unread byte; a peer that
     * closed it (a restarted server, an idle timeout) shows at once, without waiting. Three
     * system calls; false aborts it.
     */
    public boolean stillUsable() {
        try {
            channel.configureBlocking(false);
            int n;
            try {
                n = channel.read(ByteBuffer.allocate(1));
            } finally {
                channel.configureBlocking(true);
            }
            if (n == 0) {
                return true;
            }
            abort(n < 0 ? "closed by the server while idle" : "bytes arrived with no request waiting", false);
        } catch (IOException | RuntimeException e) {
            abort("failed while idle: " + e, false);
        }
        return false;
    }

    /**
     * The watchdog's look: closes the channel when the call in progress is reading and received
     * nothing for the read timeout, or writing and sent nothing for the write timeout; its
     * blocked read or write then fails with the reason.
     */
    public void checkTimeouts(long now, Timeouts timeouts) {
        int s = state;
        long still = now - progressNanos;
        if (s == READING && still > timeouts.readNanos()) {
            abort("no reply within " + timeouts.readOption() + " " + TimeUnit.NANOSECONDS.toMillis(timeouts.readNanos())
                    + " ms to " + current, true);
        } else if (s == WRITING && still > timeouts.writeNanos()) {
            abort("no byte of " + current + " could be sent within " + timeouts.writeOption() + " "
                    + TimeUnit.NANOSECONDS.toMillis(timeouts.writeNanos()) + " ms", true);
        }
    }

    /**
     * How long a call may go without progress, and the options that set it (for messages).
     *
     * @param readNanos the longest a call waits for a reply byte
     * @param readOption the option that set it, e.g. {@code read_timeout}
     * @param writeNanos the longest a write goes without sending a byte
     * @param writeOption the option that set it, e.g. {@code write_timeout}
     */
    public record Timeouts(long readNanos, String readOption, long writeNanos, String writeOption) {
    }

    /**
     * Closes the channel, even under a call in progress, which then fails; the first reason
     * given is the one {@link #failure} reports. Any thread.
     *
     * @param fault whether the server is to blame (a timeout, an anomaly), as opposed to the
     *     client (closed, interrupted)
     */
    public void abort(String reason, boolean fault) {
        if (abortReason == null) {
            abortIsFault = fault;
            abortReason = reason;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing more to do
        }
    }

    /** True once the socket was aborted. */
    public boolean isAborted() {
        return abortReason != null;
    }

    /**
     * Aborts the socket after {@code e} ended a call while {@code doing} (e.g. "sending GET"),
     * and says why in words: the watchdog's or a closer's reason when there was one, an
     * interrupt (not the server's fault), or the exception.
     */
    public Failure failure(String doing, Throwable e) {
        boolean interrupted = e instanceof ClosedByInterruptException;
        String reason = abortReason != null ? abortReason
                : interrupted ? "interrupted while " + doing : doing + " failed: " + e;
        boolean fault = abortReason != null ? abortIsFault : !interrupted;
        abort(reason, fault);
        return new Failure(abortReason, abortIsFault);
    }

    /**
     * Why a socket was given up.
     *
     * @param reason words for an error message
     * @param serverFault whether the server is to blame (counts against its health)
     */
    public record Failure(String reason, boolean serverFault) {
    }

    @Override
    public String toString() {
        return "blocking connection to " + label + (abortReason != null ? " (closed: " + abortReason + ")" : "");
    }
}
