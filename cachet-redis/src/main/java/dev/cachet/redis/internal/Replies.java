package dev.cachet.redis.internal;

import dev.cachet.spi.ReplyWait;
import dev.cachet.spi.StoreException;
import io.lettuce.core.RedisFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waiting for Redis' replies, and what a failure says: every wait is bounded (Lettuce times
 * commands out itself; the bound only guards against a future it never completes), and every
 * failure becomes a {@link StoreException} naming the cache, the server and the command, never
 * the password. A caller spins briefly for a reply while round trips are short
 * ({@link ReplyWait}, the {@code spin_wait} option), so that Lettuce's event loop completing the
 * reply wakes no parked thread. Thread-safe.
 */
final class Replies {
    private final String where;
    private final long waitMillis;
    private final ReplyWait replyWait;

    /** Replies of the cache described by {@code where}, each awaited at most {@code waitMillis}, spinning first when {@code spin}. */
    Replies(String where, long waitMillis, boolean spin) {
        this.where = where;
        this.waitMillis = waitMillis;
        this.replyWait = new ReplyWait(spin);
    }

    /** The failure of a part of a batch left unawaited because an earlier reply is overdue. */
    StoreException abandoned(String command) {
        return new StoreException(where + ": " + command + " abandoned: an earlier reply of the batch is overdue");
    }

    /** Sends a command and waits for its reply; any failure is a {@link StoreException}. */
    <T> T call(String command, Supplier<RedisFuture<T>> send) {
        RedisFuture<T> future;
        long sent = System.nanoTime();
        try {
            future = send.get();
        } catch (RuntimeException e) {
            throw failure(command, e);
        }
        if (replyWait.spins() && !future.isDone()) {
            // the round trip as the event loop sees it, for the spin budget (pipelines are not sampled)
            future.thenRun(() -> replyWait.record(System.nanoTime() - sent));
        }
        return await(command, future);
    }

    /** The value of {@code future}; a failure is a {@link StoreException}. */
    <T> T await(String command, RedisFuture<T> future) {
        try {
            return awaitChecked(command, future);
        } catch (ExecutionException e) {
            throw failure(command, e);
        }
    }

    /** The value of {@code future}, waiting at most the command timeout (and a grace second). */
    <T> T awaitChecked(String command, Future<T> future) throws ExecutionException {
        try {
            return replyWait.get(future, waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new StoreException(where + ": interrupted while waiting for " + command, e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException(where + ": " + command + " got no reply within " + waitMillis + " ms", e);
        }
    }

    StoreException failure(String command, Exception e) {
        Throwable cause = e instanceof ExecutionException ? unwrap((ExecutionException) e) : e;
        if (cause instanceof StoreException s) {
            return s;
        }
        return new StoreException(where + ": " + command + " failed: " + describe(cause), cause);
    }

    private static RuntimeException unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        return c instanceof RuntimeException r ? r : new StoreException(String.valueOf(c), c);
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.toString();
    }
}
